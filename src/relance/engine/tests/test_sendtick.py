"""The send tick: confirmed and retried automatic actions leave within the entity's sending
hours (working days, local time), once, and never while another run or tick holds the
entity. Emails reach a real SMTP server (delivery/tests/conftest.py)."""

import threading
import time
import zoneinfo
from datetime import UTC, datetime, timedelta
from datetime import time as clock

import pytest
from django.core.exceptions import ValidationError

from relance.agenda.models import Action
from relance.agenda.services import action_confirm, action_retry
from relance.core.models import Entity
from relance.delivery.models import Outbox
from relance.delivery.tests.conftest import (  # noqa: F401 (fixtures)
    acme_daily,
    email_template,
    scenario_s,
    smtp,
)
from relance.engine import sendtick
from relance.engine.choices import RunKind, RunStatus
from relance.engine.models import EngineRun
from relance.engine.runner import RunInProgress, run_day
from relance.engine.sendtick import entity_send_tick, send_tick
from relance.engine.tests.conftest import make_customer, make_invoice
from relance.engine.tests.simulation import d

pytestmark = pytest.mark.django_db


PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def paris(day, hour: int, minute: int = 0) -> datetime:
    """`day` at hour:minute in Paris."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def confirmed(scenario_s, acme_daily):  # noqa: F811
    """`courtesy` after confirmation: created to confirm by the run of 01-26 (due 01-26),
    then confirmed by a collector during the day."""
    scenario_s.steps.filter(name="courtesy").update(mode="auto_confirm")
    customer = make_customer(acme_daily)
    make_invoice(customer, "A1", d(1, 31), issue=d(1, 1))
    run_day(entity=acme_daily, day=d(1, 26))
    action = Action.objects.get(step_name="courtesy")
    assert action.status == "to_confirm" and action.due_date == d(1, 26)
    return action_confirm(action=action)


def test_a_confirmed_email_leaves_at_the_next_tick(confirmed, acme_daily, smtp):  # noqa: F811
    summary = entity_send_tick(entity=acme_daily, now=paris(d(1, 26), 10, 15))

    [message] = smtp.messages
    assert message["Message-ID"] == f"<relance.action-{confirmed.pk}-1@acme.example>"
    confirmed.refresh_from_db()
    assert (confirmed.status, confirmed.finished_on) == ("sent", d(1, 26))
    assert (summary.customers, summary.sent, summary.errors) == (1, 1, 0)
    run = EngineRun.objects.get(kind=RunKind.SEND_TICK)
    assert (run.status, run.day, run.counts["sent"]) == (RunStatus.FINISHED, d(1, 26), 1)


def test_a_tick_sends_nothing_twice(confirmed, acme_daily, smtp):  # noqa: F811
    entity_send_tick(entity=acme_daily, now=paris(d(1, 26), 10, 15))
    assert entity_send_tick(entity=acme_daily, now=paris(d(1, 26), 10, 20)) is None
    send_tick(now=paris(d(1, 26), 10, 25))
    run_day(entity=acme_daily, day=d(1, 26))  # the daily run of the same day, once more
    assert len(smtp.messages) == 1
    assert Outbox.objects.filter(action=confirmed).count() == 1


def test_a_retried_email_leaves_as_the_next_attempt(confirmed, acme_daily, smtp):  # noqa: F811
    Action.objects.filter(pk=confirmed.pk).update(status="error", error_message="550 busy")
    confirmed.refresh_from_db()
    action_retry(action=confirmed)
    confirmed.refresh_from_db()
    assert confirmed.status == "confirmed"

    entity_send_tick(entity=acme_daily, now=paris(d(1, 26), 15, 0))
    entity_send_tick(entity=acme_daily, now=paris(d(1, 26), 15, 5))

    [message] = smtp.messages
    assert message["Message-ID"] == f"<relance.action-{confirmed.pk}-1@acme.example>"
    confirmed.refresh_from_db()
    assert confirmed.status == "sent"


def test_outside_the_sending_hours_nothing_leaves(confirmed, acme_daily, smtp):  # noqa: F811
    assert entity_send_tick(entity=acme_daily, now=paris(d(1, 26), 7, 59)) is None
    assert entity_send_tick(entity=acme_daily, now=paris(d(1, 26), 19, 0)) is None
    assert smtp.messages == [] and not EngineRun.objects.filter(kind=RunKind.SEND_TICK)
    acme_daily.sending_start, acme_daily.sending_end = clock(9, 30), clock(12, 0)
    acme_daily.save()
    assert entity_send_tick(entity=acme_daily, now=paris(d(1, 26), 9, 29)) is None
    assert entity_send_tick(entity=acme_daily, now=paris(d(1, 26), 9, 30)).sent == 1
    assert len(smtp.messages) == 1


def test_weekends_and_holidays_of_the_entity_wait_for_the_next_working_day(
    scenario_s,  # noqa: F811
    acme_daily,  # noqa: F811
    smtp,  # noqa: F811
):
    scenario_s.steps.filter(name="first").update(mode="auto_confirm")
    customer = make_customer(acme_daily)
    # First seen on 04-30, due 04-27: courtesy skipped (already due), first due 04-30.
    make_invoice(customer, "A1", d(4, 27), issue=d(4, 1))
    run_day(entity=acme_daily, day=d(4, 30))
    action_confirm(action=Action.objects.get(step_name="first", status="to_confirm"))
    acme_daily.working_days, acme_daily.holidays_country = "mon,tue,wed,thu,fri", "FR"
    acme_daily.save()
    acme_daily = Entity.objects.get(pk=acme_daily.pk)  # as each tick reads it

    assert entity_send_tick(entity=acme_daily, now=paris(d(5, 1), 10, 0)) is None  # Labour Day
    assert entity_send_tick(entity=acme_daily, now=paris(d(5, 2), 10, 0)) is None  # Saturday
    assert entity_send_tick(entity=acme_daily, now=paris(d(5, 3), 10, 0)) is None  # Sunday
    assert smtp.messages == []
    assert entity_send_tick(entity=acme_daily, now=paris(d(5, 4), 8, 0)).sent == 1
    action = Action.objects.get(step_name="first")
    assert (action.status, action.finished_on) == ("sent", d(5, 4))


def test_the_hours_are_those_of_the_entity_time_zone(confirmed, acme_daily, smtp):  # noqa: F811
    acme_daily.time_zone = "America/New_York"  # UTC-5 in January
    acme_daily.save()
    # 13:00 UTC: 14:00 in Paris but 08:00 in New York on 01-27, after the action's due date.
    assert (
        entity_send_tick(entity=acme_daily, now=datetime(2026, 1, 27, 12, 59, tzinfo=UTC)) is None
    )
    summary = entity_send_tick(entity=acme_daily, now=datetime(2026, 1, 27, 13, 0, tzinfo=UTC))
    assert (summary.day, summary.sent) == (d(1, 27), 1)


def test_an_action_put_on_hold_since_it_was_confirmed_is_cancelled_not_sent(
    confirmed,
    acme_daily,  # noqa: F811
    smtp,  # noqa: F811
):
    confirmed.customer.on_hold = True
    confirmed.customer.save()
    summary = entity_send_tick(entity=acme_daily, now=paris(d(1, 26), 11, 0))
    assert (summary.sent, summary.cancelled) == (0, 1)
    confirmed.refresh_from_db()
    assert (confirmed.status, confirmed.reason) == ("cancelled", "on hold")
    assert smtp.messages == []


def test_an_automatic_action_a_run_left_unsent_leaves_at_the_tick(
    scenario_s,  # noqa: F811
    acme_daily,  # noqa: F811
    smtp,  # noqa: F811
):
    make_invoice(make_customer(acme_daily), "A1", d(1, 31), issue=d(1, 1))
    run_day(entity=acme_daily, day=d(1, 26), send=False)
    assert Action.objects.get(step_name="courtesy").status == "planned"
    assert entity_send_tick(entity=acme_daily, now=paris(d(1, 26), 8, 0)).sent == 1
    assert len(smtp.messages) == 1


# --- the lock ---------------------------------------------------------------------------


def test_a_tick_is_refused_while_a_run_or_another_tick_holds_the_entity(
    confirmed,
    acme_daily,  # noqa: F811
    smtp,  # noqa: F811
):
    tick = EngineRun.objects.create(entity=acme_daily, day=d(1, 26), kind=RunKind.SEND_TICK)
    with pytest.raises(RunInProgress):
        entity_send_tick(entity=acme_daily, now=paris(d(1, 26), 10, 0))
    assert send_tick(now=paris(d(1, 26), 10, 0)) == []  # the others go on; this one waits
    assert smtp.messages == []
    tick.status = RunStatus.FINISHED
    tick.save()
    assert [s.sent for s in send_tick(now=paris(d(1, 26), 10, 5))] == [1]


def test_a_second_tick_started_during_a_tick_is_refused(confirmed, acme_daily, smtp):  # noqa: F811
    from relance.engine.runner import deliver

    refused = []

    def deliver_while_ticking_again(*, action_ids, day):
        try:
            entity_send_tick(entity=acme_daily, now=paris(d(1, 26), 10, 0))
        except RunInProgress:
            refused.append(True)
        return deliver(action_ids=action_ids, day=day)

    entity_send_tick(
        entity=acme_daily, now=paris(d(1, 26), 10, 0), execute=deliver_while_ticking_again
    )
    assert refused == [True]
    assert len(smtp.messages) == 1


def test_a_tick_does_not_count_as_the_daily_run(confirmed, acme_daily, smtp):  # noqa: F811
    from relance.engine.tasks import entities_due

    entity_send_tick(entity=acme_daily, now=paris(d(1, 26), 10, 0))
    EngineRun.objects.filter(kind=RunKind.DAILY).delete()
    assert entities_due(paris(d(1, 26), 10, 0)) == [(acme_daily.pk, d(1, 26))]


# --- the sending hours ------------------------------------------------------------------


def test_sending_hours_must_end_after_they_start(acme):
    acme.sending_start, acme.sending_end = clock(19, 0), clock(8, 0)
    with pytest.raises(ValidationError) as error:
        acme.full_clean()
    assert error.value.message_dict["sending_end"] == [
        "The end of the sending hours must come after their start (19:00)."
    ]


def test_the_next_sending_time_skips_nights_weekends_and_holidays(acme):
    assert acme.working_days == "mon,tue,wed,thu,fri" and acme.holidays_country == "FR"
    thursday_evening = paris(d(4, 30), 19, 0)  # then Labour Day, and a weekend
    assert acme.next_sending_time(thursday_evening).isoformat() == "2026-05-04T08:00:00+02:00"
    assert acme.next_sending_time(paris(d(5, 4), 6, 0)).isoformat() == "2026-05-04T08:00:00+02:00"
    assert acme.next_sending_time(paris(d(1, 26), 10, 7)) == paris(d(1, 26), 10, 7)


# --- without a broker: the thread of the server -----------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_in_process_scheduler_sends_without_anyone_running_anything(
    scenario_s,  # noqa: F811
    acme_daily,  # noqa: F811
    smtp,  # noqa: F811
    settings,
    monkeypatch,
):
    """The thread started with the server ticks by itself (a tick every 0.6 s here)."""
    settings.CELERY_BROKER_URL, settings.SEND_TICK_IN_PROCESS = "", True
    monkeypatch.setattr(sendtick, "_started", [])
    acme_daily.sending_start, acme_daily.sending_end = clock(0, 0), clock(23, 59, 59)
    acme_daily.save()
    scenario_s.steps.filter(name="courtesy").update(mode="auto_confirm")
    customer = make_customer(acme_daily)
    today = acme_daily.today()
    make_invoice(customer, "A1", today + timedelta(days=5), issue=today)  # courtesy: today
    Action.objects.all().delete()
    action = Action.objects.create(
        entity=acme_daily,
        customer=customer,
        scenario=scenario_s,
        step=scenario_s.steps.get(name="courtesy"),
        step_position=1,
        step_name="courtesy",
        channel="email",
        mode="auto_confirm",
        reference=customer.items.get(),
        status="confirmed",
        created_on=today,
        due_date=today,
    )
    stop = threading.Event()
    thread = sendtick.start_in_process(minutes=0.01, stop=stop)
    try:
        assert sendtick.start_in_process() is None  # once per process
        for _ in range(100):
            action.refresh_from_db()
            if action.status != "confirmed":
                break
            time.sleep(0.1)
    finally:
        stop.set()
        thread.join(5)
    assert action.status == "sent"
    assert len(smtp.messages) == 1


def test_no_thread_when_a_broker_ticks(settings, monkeypatch):
    monkeypatch.setattr(sendtick, "_started", [])
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    assert sendtick.start_in_process() is None
    settings.CELERY_BROKER_URL, settings.SEND_TICK_IN_PROCESS = "", False
    assert sendtick.start_in_process() is None


# --- the beat's daily run waits for the sending hours -------------------------------------


def _hours(entity, start: clock, end: clock):
    entity.sending_start, entity.sending_end = start, end
    entity.save()


def test_the_beats_daily_run_outside_the_hours_plans_and_leaves_the_sends_to_the_tick(
    scenario_s,  # noqa: F811
    acme_daily,  # noqa: F811
    smtp,  # noqa: F811
):
    from relance.engine.tasks import engine_run_entity

    make_invoice(make_customer(acme_daily), "A1", d(1, 31), issue=d(1, 1))
    _hours(acme_daily, clock(0, 0), clock(0, 0, 1))  # closed now, whatever the clock says
    run_id = engine_run_entity.delay(acme_daily.pk, "2026-01-26", sending_hours=True).get()
    run = EngineRun.objects.get(pk=run_id)
    assert (run.status, run.counts["unsent"], run.counts.get("sent", 0)) == ("finished", 1, 0)
    assert Action.objects.get(step_name="courtesy").status == "planned"
    assert smtp.messages == []
    _hours(acme_daily, clock(8, 0), clock(19, 0))
    assert entity_send_tick(entity=acme_daily, now=paris(d(1, 26), 8, 0)).sent == 1


def test_the_beats_daily_run_within_the_hours_sends(scenario_s, acme_daily, smtp):  # noqa: F811
    from relance.engine.tasks import engine_run_entity

    make_invoice(make_customer(acme_daily), "A1", d(1, 31), issue=d(1, 1))
    _hours(acme_daily, clock(0, 0), clock(23, 59, 59))
    engine_run_entity.delay(acme_daily.pk, "2026-01-26", sending_hours=True).get()
    assert Action.objects.get(step_name="courtesy").status == "sent"
    assert len(smtp.messages) == 1


# --- the command and the beat -------------------------------------------------------------


def test_the_tick_command_sends_what_may_leave_now(scenario_s, acme_daily, smtp):  # noqa: F811
    import io

    from django.core.management import call_command

    _hours(acme_daily, clock(0, 0), clock(23, 59, 59))
    make_invoice(make_customer(acme_daily), "A1", acme_daily.today() + timedelta(days=5))
    run_day(entity=acme_daily, day=acme_daily.today(), send=False)
    out = io.StringIO()
    call_command("tick", stdout=out)
    assert "sent 1, errors 0" in out.getvalue()
    call_command("tick", stdout=out)
    assert out.getvalue().endswith("Nothing to send now\n")
    assert len(smtp.messages) == 1


def test_the_beat_ticks_every_five_minutes():
    from relance.config.celery import app

    entry = app.conf.beat_schedule["engine-send-tick"]
    assert entry["task"] == "relance.engine.tasks.engine_send_tick"
    assert entry["schedule"].minute == set(range(0, 60, 5))


def test_the_sending_hours_are_edited_with_the_entitys_other_settings(client, acme):
    from django.urls import reverse

    from relance.accounts.tests.factories import UserFactory

    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    url = reverse("admin:core_entity_change", args=[acme.pk])
    page = client.get(url).content.decode()
    assert 'name="sending_start" value="08:00:00"' in page
    assert 'name="sending_end" value="19:00:00"' in page


def test_a_tick_with_nothing_to_send_costs_a_query_per_entity(
    confirmed,
    acme_daily,  # noqa: F811
    globex,
    django_assert_num_queries,
):
    with django_assert_num_queries(1):  # the entities; both closed at 03:00 in Paris/London
        assert send_tick(now=paris(d(1, 26), 3, 0)) == []
    Action.objects.filter(pk=confirmed.pk).update(status="sent", finished_on=d(1, 26))
    with django_assert_num_queries(3):  # the entities, then what is due for each
        assert send_tick(now=paris(d(1, 26), 10, 0)) == []
