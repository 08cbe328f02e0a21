"""The engine through the database: the spec's examples replayed with run_day, emails in
Django's locmem outbox; idempotency, dry runs, the lock and the query budget."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core import mail

from relance.agenda.models import Action
from relance.engine.models import EngineRun
from relance.engine.runner import RunInProgress, run_day
from relance.engine.tests.conftest import make_customer, make_invoice, replay
from relance.engine.tests.simulation import d
from relance.ledger.tests.factories import ItemFactory

START, END = d(1, 1), d(3, 31)
pytestmark = pytest.mark.django_db


def history(customer=None) -> list[tuple]:
    actions = Action.objects.order_by("id")
    if customer is not None:
        actions = actions.filter(customer=customer)
    return list(
        actions.values_list(
            "step_name",
            "reference__number",
            "status",
            "created_on",
            "due_date",
            "finished_on",
            "reason",
        )
    )


def test_example_a(scenario_s, acme_daily):
    customer = make_customer(acme_daily)
    make_invoice(customer, "A1", d(1, 31), issue=d(1, 1))
    replay(acme_daily, START, END)
    assert history() == [
        ("courtesy", "A1", "sent", d(1, 19), d(1, 26), d(1, 26), ""),
        ("first", "A1", "sent", d(1, 27), d(2, 3), d(2, 3), ""),
        ("second", "A1", "sent", d(2, 8), d(2, 15), d(2, 15), ""),
        ("notice", "A1", "planned", d(2, 23), d(3, 2), None, ""),
    ]
    assert len(mail.outbox) == 3
    assert [m.to for m in mail.outbox] == [["compta@client.example"]] * 3


def test_example_b(scenario_s, acme_daily):
    customer = make_customer(acme_daily)
    invoice = make_invoice(customer, "A1", d(1, 31), issue=d(1, 1))

    def pay():
        invoice.open_amount = Decimal("0")
        invoice.save()

    replay(acme_daily, START, END, {d(2, 10): pay})
    assert history() == [
        ("courtesy", "A1", "sent", d(1, 19), d(1, 26), d(1, 26), ""),
        ("first", "A1", "sent", d(1, 27), d(2, 3), d(2, 3), ""),
        ("second", "A1", "cancelled", d(2, 8), d(2, 15), d(2, 10), "settled"),
    ]


def test_example_c(scenario_s, acme_daily):
    def first_seen():
        customer = make_customer(acme_daily)
        make_invoice(customer, "C1", d(1, 31))

    replay(acme_daily, START, END, {d(3, 1): first_seen})
    assert history() == [
        ("courtesy", "C1", "skipped", d(3, 1), d(3, 1), d(3, 1), "already due"),
        ("first", "C1", "sent", d(3, 1), d(3, 1), d(3, 1), ""),
        ("second", "C1", "sent", d(3, 1), d(3, 8), d(3, 8), ""),
        ("notice", "C1", "planned", d(3, 8), d(3, 15), None, ""),
    ]


def test_example_d(scenario_s, acme_daily):
    customer = make_customer(acme_daily)
    d1 = make_invoice(customer, "D1", d(1, 31))
    make_invoice(customer, "D2", d(2, 20))

    def dispute(flag):
        def event():
            d1.disputed = flag
            d1.save()

        return event

    replay(acme_daily, START, END, {d(2, 10): dispute(True), d(3, 1): dispute(False)})
    assert history() == [
        ("courtesy", "D1", "sent", d(1, 19), d(1, 26), d(1, 26), ""),
        ("first", "D1", "sent", d(1, 27), d(2, 3), d(2, 3), ""),
        ("second", "D1", "cancelled", d(2, 8), d(2, 15), d(2, 10), "reference changed"),
        ("courtesy", "D2", "sent", d(2, 10), d(2, 15), d(2, 15), ""),
        ("first", "D2", "sent", d(2, 16), d(2, 23), d(2, 23), ""),
        ("second", "D2", "cancelled", d(2, 28), d(3, 7), d(3, 1), "reference changed"),
        ("second", "D1", "sent", d(3, 1), d(3, 2), d(3, 2), ""),
        ("notice", "D1", "planned", d(3, 2), d(3, 9), None, ""),
    ]


def test_example_e(scenario_s, acme_daily):
    customer = make_customer(acme_daily)
    make_invoice(customer, "A1", d(1, 31), issue=d(1, 1))

    def credit_note():
        ItemFactory(customer=customer, kind="credit_note", number="AV1", issue_date=d(2, 1))

    replay(acme_daily, START, END, {d(2, 1): credit_note})
    assert history() == [
        ("courtesy", "A1", "sent", d(1, 19), d(1, 26), d(1, 26), ""),
        ("first", "A1", "cancelled", d(1, 27), d(2, 3), d(2, 1), "below threshold"),
    ]


def test_example_f(scenario_r2, acme_daily):
    customer = make_customer(acme_daily)
    make_invoice(customer, "F1", d(1, 31))
    replay(acme_daily, START, END)
    sent = list(
        Action.objects.filter(status="sent").order_by("id").values_list("step_name", "finished_on")
    )
    assert sent == [
        ("first", d(2, 3)),
        ("final", d(2, 10)),
        ("final", d(2, 20)),
        ("final", d(3, 2)),
        ("final", d(3, 12)),
        ("final", d(3, 22)),
    ]
    assert len(mail.outbox) == 6


# --- a run ------------------------------------------------------------------------------


def test_running_the_same_day_twice_changes_nothing(scenario_s, acme_daily):
    customer = make_customer(acme_daily)
    make_invoice(customer, "C1", d(1, 31))
    first = run_day(entity=acme_daily, day=d(3, 1))
    before = list(Action.objects.order_by("id").values())
    again = run_day(entity=acme_daily, day=d(3, 1))
    assert (first.created, first.skipped, first.sent) == (2, 1, 1)
    assert (again.created, again.skipped, again.sent, again.updated) == (0, 0, 0, 0)
    assert list(Action.objects.order_by("id").values()) == before
    assert len(mail.outbox) == 1


def test_a_dry_run_writes_and_sends_nothing_but_its_history(scenario_s, acme_daily):
    customer = make_customer(acme_daily)
    make_invoice(customer, "C1", d(1, 31))
    summary = run_day(entity=acme_daily, day=d(3, 1), dry_run=True)
    assert (summary.created, summary.skipped, summary.sent) == (2, 1, 1)
    assert not Action.objects.exists()
    assert mail.outbox == []
    run = EngineRun.objects.get()
    assert (run.dry_run, run.status, run.counts["sent"]) == (True, "finished", 1)


def test_the_summary_counts_cancellations_by_reason(scenario_s, acme_daily):
    held = make_customer(acme_daily, on_hold=True)
    make_invoice(held, "H1", d(1, 31))
    free = make_customer(acme_daily)
    invoice = make_invoice(free, "F1", d(1, 31))
    run_day(entity=acme_daily, day=d(1, 20))
    assert Action.objects.filter(customer=held).count() == 0
    invoice.disputed = True
    invoice.save()
    summary = run_day(entity=acme_daily, day=d(1, 21))
    assert summary.cancelled == {"settled": 1}
    assert summary.customers == 2


def test_a_hold_with_an_end_date_lapses(scenario_s, acme_daily):
    customer = make_customer(acme_daily, on_hold=True, hold_until=d(1, 25))
    make_invoice(customer, "A1", d(1, 31))
    run_day(entity=acme_daily, day=d(1, 25))
    assert not Action.objects.exists()
    customer.refresh_from_db()
    assert customer.on_hold
    summary = run_day(entity=acme_daily, day=d(1, 26))
    assert history()[0][:3] == ("courtesy", "A1", "sent")
    # The run that plans again also releases the customer, so no page still says "On hold".
    customer.refresh_from_db()
    assert (customer.on_hold, customer.hold_until, summary.holds_ended) == (False, None, 1)
    event = customer.events.get(kind="customer_released")
    assert (event.day, event.data) == (d(1, 26), {"ended": "2026-01-25"})
    assert event.describe().startswith("Hold ended on ")


def test_a_customer_scenario_wins_over_segments_and_the_default(
    scenario_s, acme_daily, monkeypatch
):
    from relance.scenarios.tests.factories import ScenarioFactory
    from relance.segments.models import Segment, SegmentMembership

    pinned = ScenarioFactory(name="Pinned", steps=[{"name": "pinned", "offset_days": 1}])
    seg_scenario = ScenarioFactory(name="Seg", steps=[{"name": "seg", "offset_days": 1}])
    late = ScenarioFactory(name="Late", steps=[{"name": "late", "offset_days": 1}])
    customers = [make_customer(acme_daily) for _ in range(3)]
    for customer in customers:
        make_invoice(customer, f"I{customer.pk}", d(1, 31))
    customers[0].scenario = pinned
    customers[0].save()
    first = Segment.objects.create(name="A", priority=10, scenario=seg_scenario, criteria={})
    second = Segment.objects.create(name="B", priority=20, scenario=late, criteria={})
    for segment in (first, second):
        SegmentMembership.objects.create(segment=segment, customer=customers[1])
    # The memberships above are set by hand: keep the run from recomputing them.
    monkeypatch.setattr("relance.engine.runner.recompute_segments", lambda entity, day: None)
    run_day(entity=acme_daily, day=d(1, 27))
    names = dict(Action.objects.values_list("customer_id", "step_name"))
    assert names[customers[0].pk] == "pinned"
    assert names[customers[1].pk] == "seg"
    assert names[customers[2].pk] == "first"  # the entity's default, S


def test_a_second_run_is_refused_while_one_is_in_progress(scenario_s, acme_daily, monkeypatch):
    from relance.engine import runner

    monkeypatch.setattr(runner, "_try_advisory_lock", lambda entity: None)
    EngineRun.objects.create(entity=acme_daily, day=d(1, 20))
    with pytest.raises(RunInProgress, match="a run is already in progress for acme-fr"):
        run_day(entity=acme_daily, day=d(1, 20))


def test_a_silent_running_row_does_not_lock_forever(scenario_s, acme_daily, monkeypatch):
    from relance.engine import runner

    monkeypatch.setattr(runner, "_try_advisory_lock", lambda entity: None)
    stale = EngineRun.objects.create(entity=acme_daily, day=d(1, 20))
    long_ago = datetime(2026, 1, 1, tzinfo=UTC)
    EngineRun.objects.filter(pk=stale.pk).update(heartbeat_at=long_ago)
    run_day(entity=acme_daily, day=d(1, 20))
    stale.refresh_from_db()
    assert stale.status == "interrupted"


def test_every_date_written_is_the_run_date_not_the_clock(scenario_s, acme_daily):
    customer = make_customer(acme_daily)
    make_invoice(customer, "C1", date(2030, 1, 31))
    run_day(entity=acme_daily, day=date(2030, 3, 1))
    assert {a.created_on for a in Action.objects.all()} == {date(2030, 3, 1)}


# --- the query budget -------------------------------------------------------------------


def _customers(entity, n: int) -> None:
    for i in range(n):
        make_invoice(make_customer(entity), f"I{i:04d}", d(1, 31))


# Planning reads a chunk in a fixed number of queries and writes in bulk; SQLite splits a
# bulk insert into batches of ~49 actions (999 parameters), hence a small margin; one
# UPDATE per chunk closes the engine errors of customers planned again (isolation.py), and
# one SELECT per chunk reads the customers paused by an email reply (M2.4); one SELECT per
# run finds the holds that ended; twelve per run write the day's snapshots (M2.7: a
# savepoint, the new figures kept in a temporary table and counted, whether a later day is
# written, a DELETE and two UPDATEs of the runs, the DELETE of the figures already open, the
# INSERT of the others, the DROP, the day's upsert, its release), four their totals (DELETE
# and INSERT … SELECT of the daily totals and of the monthly sales), two the risk scores
# (DELETE and INSERT … SELECT), and one the entity's webhook subscriptions (M2.8: the run's
# end and the actions it created are reported to those that listen).
PLANNING_BUDGET = 54


@pytest.mark.parametrize("n", [10, 100])
def test_creating_actions_costs_the_same_queries_for_10_or_100_customers(
    scenario_s, acme_daily, n, django_assert_max_num_queries
):
    _customers(acme_daily, n)
    with django_assert_max_num_queries(PLANNING_BUDGET):
        summary = run_day(entity=acme_daily, day=d(1, 19))
    assert summary.created == n


@pytest.mark.parametrize("n", [10, 100])
def test_cancelling_costs_the_same_queries_for_10_or_100_customers(
    scenario_s, acme_daily, n, django_assert_max_num_queries
):
    _customers(acme_daily, n)
    run_day(entity=acme_daily, day=d(2, 8))
    ItemFactory._meta.model.objects.update(disputed=True)
    with django_assert_max_num_queries(PLANNING_BUDGET):
        summary = run_day(entity=acme_daily, day=d(2, 10))
    assert summary.cancelled == {"settled": n}


@pytest.mark.parametrize("n", [10, 100])
def test_sending_costs_a_constant_per_message(
    scenario_s, acme_daily, n, django_assert_max_num_queries
):
    """Each message needs its own commit before the mail server (the outbox protocol), begun
    under the action's row lock: 8 queries per message (4 of them the savepoints that stand
    for commits inside the test's transaction), a few set-based reads for the whole send
    (attempts, contacts, copies), nothing per customer beyond that."""
    _customers(acme_daily, n)
    run_day(entity=acme_daily, day=d(1, 19))
    with django_assert_max_num_queries(PLANNING_BUDGET + 4 + 8 * n):
        summary = run_day(entity=acme_daily, day=d(1, 26))
    assert summary.sent == n
    assert len(mail.outbox) == n


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_of_one_entity(scenario_s, acme_daily):
    """A real second connection holds the entity (PostgreSQL: the advisory lock too)."""
    import threading

    from django.db import connection

    from relance.engine.runner import entity_lock

    holding, release = threading.Event(), threading.Event()

    def hold():
        try:
            with entity_lock(acme_daily, d(1, 20)):
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert holding.wait(10)
        with pytest.raises(RunInProgress):
            run_day(entity=acme_daily, day=d(1, 20))
    finally:
        release.set()
        thread.join(10)
    run_day(entity=acme_daily, day=d(1, 20))  # free again
    assert list(EngineRun.objects.values_list("status", flat=True).order_by("id")) == [
        "finished",
        "finished",
    ]


def test_chunks_give_the_same_result_as_one_chunk(scenario_s, acme_daily):
    _customers(acme_daily, 5)
    summary = run_day(entity=acme_daily, day=d(3, 1), chunk_size=2)
    assert (summary.customers, summary.skipped, summary.sent, summary.created) == (5, 5, 5, 10)
    assert Action.objects.filter(status="planned").count() == 5


def test_an_invoice_paid_online_awaits_reconciliation_without_reminders(scenario_s, acme_daily):
    """Paid through the customer's page: no reminder until an import closes it; were the
    payment undone, the dunning takes up again as for any invoice that becomes dunnable."""
    customer = make_customer(acme_daily)
    invoice = make_invoice(customer, "A1", d(1, 31), issue=d(1, 1))
    invoice.payment_pending_since = datetime(2026, 1, 15, 10, tzinfo=UTC)
    invoice.save()

    replay(acme_daily, START, d(2, 28))
    assert history() == []

    invoice.payment_pending_since = None
    invoice.save()
    replay(acme_daily, d(3, 1), d(3, 1))
    assert [(step, status, reason) for step, _ref, status, *_dates, reason in history()] == [
        ("courtesy", "skipped", "already due"),  # a preventive step past its date
        ("first", "sent", ""),
        ("second", "planned", ""),
    ]
