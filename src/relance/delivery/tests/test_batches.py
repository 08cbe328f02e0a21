"""Emails sent in batches through a real SMTP server (aiosmtpd): one recipient refused,
the session dropped mid-batch, the server gone, a run killed mid-batch, and a batch's rows
taken back by another process while it hands them over. Whatever happens, no message
reaches the server twice, and one that may have reached it is never sent again."""

import threading

import pytest
from django.db import connection

from relance.agenda.models import Action
from relance.agenda.services import action_retry
from relance.delivery import protocol, services
from relance.delivery.models import Outbox
from relance.delivery.tests.conftest import Recorder, _serve
from relance.engine.runner import run_day
from relance.engine.tests.conftest import make_customer, make_invoice
from relance.engine.tests.simulation import d

pytestmark = pytest.mark.django_db

CUSTOMERS = 5


class Dropping(Recorder):
    """Takes the `drop_at`-th message (1-based), then closes the session before answering;
    with `then_close`, it also stops listening: the server is gone."""

    def __init__(self, drop_at: int, then_close: bool = False):
        super().__init__()
        self.drop_at, self.then_close, self.controller = drop_at, then_close, None

    async def handle_DATA(self, server, session, envelope):
        answer = await super().handle_DATA(server, session, envelope)
        if len(self.messages) == self.drop_at:
            if self.then_close:
                self.controller.server.close()  # no new session from now on
            server.transport.close()
        return answer


@pytest.fixture
def serve(settings):
    controllers = []

    def start(handler):
        controller = _serve(settings, handler)
        handler.controller = controller
        controllers.append(controller)
        return handler

    yield start
    for controller in controllers:
        controller.stop(no_assert=True)


def _due(entity, emails=None):
    """CUSTOMERS customers whose `courtesy` (scenario S) is due 01-26, in id order."""
    emails = emails or [f"c{n}@client.example" for n in range(CUSTOMERS)]
    for n, email in enumerate(emails):
        make_invoice(make_customer(entity, email=email), f"A{n}", d(1, 31), issue=d(1, 1))
    run_day(entity=entity, day=d(1, 19))
    return list(Action.objects.filter(step_name="courtesy").order_by("id"))


def _to(handler) -> list[str]:
    return [message["To"] for message in handler.messages]


def _statuses() -> list[str]:
    return list(
        Action.objects.filter(step_name="courtesy").order_by("id").values_list("status", flat=True)
    )


def test_a_batch_goes_over_one_session(scenario_s, acme_daily, serve):
    smtp = serve(Recorder())
    _due(acme_daily)
    sessions = []
    original = smtp.handle_DATA

    async def counting(server, session, envelope):
        sessions.append(id(session))
        return await original(server, session, envelope)

    smtp.handle_DATA = counting
    summary = run_day(entity=acme_daily, day=d(1, 26))
    assert summary.sent == CUSTOMERS
    assert len(set(sessions)) == 1
    assert sorted(_to(smtp)) == [f"c{n}@client.example" for n in range(CUSTOMERS)]
    assert set(Outbox.objects.values_list("status", "uncertain")) == {("sent", False)}


def test_a_refused_recipient_is_that_message_s_error_only(scenario_s, acme_daily, serve):
    class RefusingOne(Recorder):
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if address == "c2@client.example":
                return "550 5.1.1 no such mailbox"
            return await super().handle_RCPT(server, session, envelope, address, rcpt_options)

    smtp = serve(RefusingOne())
    _due(acme_daily)
    summary = run_day(entity=acme_daily, day=d(1, 26))
    assert (summary.sent, summary.errors) == (CUSTOMERS - 1, 1)
    assert _statuses() == ["sent", "sent", "error", "sent", "sent"]
    refused = Action.objects.get(status="error")
    assert refused.error_message == "The mail server refused it: 550 5.1.1 no such mailbox"
    assert Outbox.objects.get(action=refused).status == "failed"
    assert len(smtp.messages) == CUSTOMERS - 1


def test_a_session_dropped_mid_batch(scenario_s, acme_daily, serve):
    """The server took the 2nd message and closed the session before answering: that one
    is recorded sent but unconfirmed and never sent again; the next ones go on a new
    session."""
    smtp = serve(Dropping(drop_at=2))
    actions = _due(acme_daily)
    summary = run_day(entity=acme_daily, day=d(1, 26))
    assert summary.sent == CUSTOMERS
    assert len(smtp.messages) == CUSTOMERS  # each exactly once
    assert len(set(_to(smtp))) == CUSTOMERS
    dropped = Action.objects.get(pk=actions[1].pk)
    assert dropped.status == "sent"
    assert "Delivery not confirmed: the connection to the mail server broke" in dropped.note
    row = Outbox.objects.get(action=dropped)
    assert (row.status, row.uncertain) == ("sent", True)
    assert row.error.startswith("Delivery not confirmed")
    others = Outbox.objects.exclude(action=dropped)
    assert set(others.values_list("status", "uncertain", "error")) == {("sent", False, "")}

    run_day(entity=acme_daily, day=d(1, 27))
    assert len(smtp.messages) == CUSTOMERS


def test_the_server_gone_mid_batch_leaves_the_rest_to_retry(scenario_s, acme_daily, serve):
    smtp = serve(Dropping(drop_at=2, then_close=True))
    actions = _due(acme_daily)
    summary = run_day(entity=acme_daily, day=d(1, 26))
    assert (summary.sent, summary.errors) == (2, CUSTOMERS - 2)
    assert _statuses() == ["sent", "sent", "error", "error", "error"]
    unsent = Action.objects.filter(status="error")
    assert all("could not be reached" in a.error_message for a in unsent)
    assert set(Outbox.objects.filter(action__in=unsent).values_list("status", flat=True)) == {
        "failed"
    }
    assert "Delivery not confirmed" in Action.objects.get(pk=actions[1].pk).note

    smtp = serve(Recorder())  # the server is back; the collector retries
    for action in unsent:
        action_retry(action=action)
    run_day(entity=acme_daily, day=d(1, 27))
    assert _statuses() == ["sent"] * CUSTOMERS
    assert sorted(_to(smtp)) == [f"c{n}@client.example" for n in range(2, CUSTOMERS)]


class Killed(BaseException):
    """The process dies (a BaseException, as SystemExit)."""


@pytest.mark.django_db(transaction=True)
def test_a_run_killed_mid_batch_sends_the_rest_once(
    scenario_s, acme_daily, serve, monkeypatch, settings
):
    """Killed right after the server took the 2nd message of the batch, the first group of
    two: the rerun records those two unconfirmed, and sends the three never marked."""
    settings.SMTP_SESSIONS = 1
    smtp = serve(Recorder())
    actions = _due(acme_daily)
    monkeypatch.setattr(services, "HAND_OVER_GROUP", 2)
    calls = []

    def die_at_second(outbox):
        calls.append(outbox.pk)
        if len(calls) == 2:
            raise Killed

    monkeypatch.setattr(protocol, "handed_over", die_at_second)
    with pytest.raises(Killed):
        run_day(entity=acme_daily, day=d(1, 26))
    monkeypatch.undo()
    assert len(smtp.messages) == 2
    rows = Outbox.objects.order_by("action_id")
    assert (
        list(rows.values_list("status", "uncertain"))
        == [("sending", True)] * 2 + [("sending", False)] * 3
    )  # the batch was reserved at once

    summary = run_day(entity=acme_daily, day=d(1, 26))
    assert summary.recovered == 2  # the two handed over, recorded without a second send
    assert _statuses() == ["sent"] * CUSTOMERS
    assert sorted(_to(smtp)) == [f"c{n}@client.example" for n in range(CUSTOMERS)]
    assert "Delivery not confirmed" in Action.objects.get(pk=actions[1].pk).note
    # One row per action still: the three never handed over went again under their key.
    rows = Outbox.objects.order_by("action_id")
    assert list(rows.values_list("attempt", "status")) == [(1, "sent")] * CUSTOMERS
    assert [bool(error) for error in rows.values_list("error", flat=True)] == [True] * 2 + [
        False
    ] * 3


@pytest.mark.django_db(transaction=True)
def test_rows_taken_back_by_another_process_do_not_leave(
    scenario_s, acme_daily, serve, monkeypatch, settings
):
    """Another process (a redelivered task) releases the batch's rows while it hands the
    first group (two) over on its one session: the batch sends none of the rest, and each
    action still goes once."""
    settings.SMTP_SESSIONS = 1
    smtp = serve(Recorder())
    _due(acme_daily)
    monkeypatch.setattr(services, "HAND_OVER_GROUP", 2)
    released = []

    def other_process_releases(outbox):
        if not released:
            released.append(services.outbox_release(entity=acme_daily))

    monkeypatch.setattr(protocol, "handed_over", other_process_releases)
    run_day(entity=acme_daily, day=d(1, 26))
    monkeypatch.undo()
    assert released == [CUSTOMERS - 2]  # the first group was marked before it left: kept
    # The batch skipped the four; the run planned them again and sent them.
    assert _statuses() == ["sent"] * CUSTOMERS
    assert sorted(_to(smtp)) == [f"c{n}@client.example" for n in range(CUSTOMERS)]
    rows = Outbox.objects.values_list("attempt", "status", "error")
    assert list(rows) == [(1, "sent", "")] * CUSTOMERS


@pytest.mark.django_db(transaction=True)
def test_a_crash_reports_at_most_one_group_uncertain(
    scenario_s, acme_daily, serve, monkeypatch, settings
):
    """One session, groups of three, killed right after the 4th message left: nothing is
    sent again; the messages that left (outcomes are recorded per batch) and the rest of
    the group in flight, the 5th, which never left, are all reported as not confirmed. A
    crash costs at most HAND_OVER_GROUP - 1 such messages, never a message sent twice."""
    settings.SMTP_SESSIONS = 1
    smtp = serve(Recorder())
    actions = _due(acme_daily)
    monkeypatch.setattr(services, "HAND_OVER_GROUP", 3)
    calls = []

    def die_at_fourth(outbox):
        calls.append(outbox.pk)
        if len(calls) == 4:
            raise Killed

    monkeypatch.setattr(protocol, "handed_over", die_at_fourth)
    with pytest.raises(Killed):
        run_day(entity=acme_daily, day=d(1, 26))
    monkeypatch.undo()
    rows = Outbox.objects.order_by("action_id")
    # Both groups marked; nothing recorded yet (the outcomes are written per batch).
    assert list(rows.values_list("uncertain", flat=True)) == [True] * CUSTOMERS
    assert len(smtp.messages) == 4

    summary = run_day(entity=acme_daily, day=d(1, 26))
    assert summary.recovered == CUSTOMERS
    assert _statuses() == ["sent"] * CUSTOMERS
    assert len(smtp.messages) == 4  # none twice; the 5th is the one lost
    received = {message["Message-ID"] for message in smtp.messages}
    assert Outbox.objects.get(action=actions[4]).message_id not in received
    unconfirmed = Action.objects.filter(note__contains="Delivery not confirmed")
    assert unconfirmed.count() == CUSTOMERS


@pytest.mark.django_db(transaction=True)
def test_a_crash_with_two_sessions_leaves_one_group_each(
    scenario_s, acme_daily, serve, monkeypatch, settings
):
    """Two sessions, groups of two, eight messages: on PostgreSQL each session takes two
    groups. The process dies while both sessions are in their first group, each right after
    its first message left: the two groups in flight (four rows) are reported as not
    confirmed, their two messages that never left are lost, the other four go with the next
    run, and nothing reaches the server twice: the bound is SMTP_SESSIONS groups."""
    settings.SMTP_SESSIONS = 2
    smtp = serve(Recorder())
    emails = [f"c{n}@client.example" for n in range(8)]
    actions = _due(acme_daily, emails)
    monkeypatch.setattr(services, "HAND_OVER_GROUP", 2)
    both_in_flight = threading.Barrier(2)
    parallel = connection.vendor == "postgresql"

    def die_in_each_session(outbox):
        if parallel:
            both_in_flight.wait(timeout=10)  # each session has handed one message over
        raise Killed

    monkeypatch.setattr(protocol, "handed_over", die_in_each_session)
    with pytest.raises(Killed):
        run_day(entity=acme_daily, day=d(1, 26))
    monkeypatch.undo()
    uncertain = [0, 1, 4, 5] if parallel else [0, 1]
    rows = Outbox.objects.order_by("action_id").values_list("uncertain", flat=True)
    assert [n for n, flag in enumerate(rows) if flag] == uncertain
    assert len(smtp.messages) == len(uncertain) // 2

    summary = run_day(entity=acme_daily, day=d(1, 26))
    assert summary.recovered == len(uncertain)
    assert _statuses() == ["sent"] * 8
    received = [message["Message-ID"] for message in smtp.messages]
    assert len(received) == len(set(received)) == 8 - len(uncertain) // 2
    lost = {Outbox.objects.get(action=actions[n]).message_id for n in uncertain[1::2]}
    assert not lost & set(received)


@pytest.mark.django_db(transaction=True)
def test_batches_handed_over_while_the_next_is_prepared(scenario_s, acme_daily, serve, monkeypatch):
    """Batches of two: on PostgreSQL each goes from a thread while the next is rendered
    and reserved (in order elsewhere); every message once, every outcome recorded."""
    smtp = serve(Recorder())
    _due(acme_daily)
    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    summary = run_day(entity=acme_daily, day=d(1, 26))
    assert summary.sent == CUSTOMERS
    assert sorted(_to(smtp)) == [f"c{n}@client.example" for n in range(CUSTOMERS)]
    assert _statuses() == ["sent"] * CUSTOMERS
    rows = Outbox.objects.values_list("status", "uncertain", "error")
    assert list(rows) == [("sent", False, "")] * CUSTOMERS


@pytest.mark.django_db(transaction=True)
def test_killed_while_a_batch_is_in_flight(scenario_s, acme_daily, serve, monkeypatch):
    """Batches of two, killed after the 3rd message left (the 2nd batch, handed over while
    the 3rd was reserved): the first batch was recorded; the second is recovered as not
    confirmed (its 4th message never left: one group); the third, reserved but never
    marked, is sent by the next run. Nothing twice."""
    smtp = serve(Recorder())
    actions = _due(acme_daily)
    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    calls = []

    def die_at_third(outbox):
        calls.append(outbox.pk)
        if len(calls) == 3:
            raise Killed

    monkeypatch.setattr(protocol, "handed_over", die_at_third)
    with pytest.raises(Killed):
        run_day(entity=acme_daily, day=d(1, 26))
    monkeypatch.undo()
    assert len(smtp.messages) == 3
    rows = Outbox.objects.order_by("action_id")
    # The third batch is reserved only where it was prepared during the hand-over.
    reserved = [("sending", False)] if connection.vendor == "postgresql" else []
    expected = [("sent", False)] * 2 + [("sending", True)] * 2 + reserved
    assert list(rows.values_list("status", "uncertain")) == expected

    summary = run_day(entity=acme_daily, day=d(1, 26))
    assert summary.recovered == 2
    assert _statuses() == ["sent"] * CUSTOMERS
    received = sorted(_to(smtp))
    assert received == [f"c{n}@client.example" for n in (0, 1, 2, 4)]
    assert "Delivery not confirmed" in Action.objects.get(pk=actions[3].pk).note
