from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection

from relance.agenda.models import Action
from relance.core.tests.test_statistics import _analyze_now, _rows_known
from relance.delivery.models import Outbox
from relance.engine import shards
from relance.engine.choices import RunStatus
from relance.engine.models import EngineRun
from relance.engine.runner import run_day
from relance.engine.tasks import engine_run, engine_run_all, engine_run_entity, entities_due
from relance.engine.tests.conftest import make_customer, make_invoice
from relance.engine.tests.simulation import d
from relance.engine.tests.test_runner import history

pytestmark = pytest.mark.django_db


def test_the_task_runs_one_entity_at_a_given_date(scenario_s, acme_daily):
    make_invoice(make_customer(acme_daily), "C1", d(1, 31))
    result = engine_run.delay(acme_daily.pk, "2026-03-01").get()
    assert (result["day"], result["created"], result["sent"]) == ("2026-03-01", 2, 1)


def test_the_daily_task_runs_every_entity_at_its_today(scenario_s, acme_daily, globex):
    assert engine_run_all.delay().get() == [acme_daily.pk, globex.pk]
    assert EngineRun.objects.count() == 2


# --- engine_tick ----------------------------------------------------------------------


def _london(entity):
    entity.time_zone = "Europe/London"
    entity.save()
    return entity


def test_an_entity_is_due_from_six_in_its_own_time_zone(acme):
    _london(acme)
    summer = datetime(2026, 7, 1, 4, 59, tzinfo=UTC)  # 05:59 in London (BST)
    assert entities_due(summer) == []
    assert entities_due(summer + timedelta(minutes=1)) == [(acme.pk, date(2026, 7, 1))]
    winter = datetime(2026, 1, 15, 5, 59, tzinfo=UTC)  # 05:59 in London (GMT)
    assert entities_due(winter) == []
    assert entities_due(winter + timedelta(minutes=1)) == [(acme.pk, date(2026, 1, 15))]


def test_each_entity_is_due_at_its_own_local_day(acme, globex):
    acme.time_zone, globex.time_zone = "Europe/Paris", "America/New_York"
    acme.save()
    globex.save()
    now = datetime(2026, 7, 1, 5, 0, tzinfo=UTC)  # 07:00 in Paris, 01:00 in New York
    assert entities_due(now) == [(acme.pk, date(2026, 7, 1))]
    late = datetime(2026, 7, 2, 3, 0, tzinfo=UTC)  # 05:00 in Paris, 23:00 on 07-01 in NY
    assert entities_due(late) == [(globex.pk, date(2026, 7, 1))]


def test_a_finished_day_is_skipped_but_not_a_failed_or_dry_one(acme):
    _london(acme)
    now = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
    EngineRun.objects.create(entity=acme, day=date(2026, 7, 1), status=RunStatus.FAILED)
    EngineRun.objects.create(
        entity=acme, day=date(2026, 7, 1), dry_run=True, status=RunStatus.FINISHED
    )
    EngineRun.objects.create(entity=acme, day=date(2026, 6, 30), status=RunStatus.FINISHED)
    assert entities_due(now) == [(acme.pk, date(2026, 7, 1))]
    EngineRun.objects.create(entity=acme, day=date(2026, 7, 1), status=RunStatus.FINISHED)
    assert entities_due(now) == []


def test_a_second_run_of_a_finished_day_does_nothing(scenario_s, acme_daily):
    make_invoice(make_customer(acme_daily), "C1", d(1, 31))
    assert engine_run_entity.delay(acme_daily.pk, "2026-03-01").get() is not None
    assert engine_run_entity.delay(acme_daily.pk, "2026-03-01").get() is None
    assert (EngineRun.objects.count(), len(mail.outbox)) == (1, 1)


# --- a distributed run, eager ---------------------------------------------------------


def _snapshot():
    rows = Action.objects.order_by("customer_id", "step_position", "created_on", "id")
    fields = ("customer_id", "step_position", "status", "created_on", "due_date")
    return [r for r in rows.values_list(*fields, "finished_on", "channel", "reason")]


def _population(entity):
    for n in range(7):
        customer = make_customer(entity, name=f"Client {n}")
        make_invoice(customer, f"F{n}", d(1, 20) + timedelta(days=4 * n))
        if n % 3 == 0:
            make_invoice(customer, f"G{n}", d(2, 10) + timedelta(days=n))


def test_eager_tasks_give_the_result_of_run_day(scenario_s, acme_daily, monkeypatch):
    monkeypatch.setattr(shards, "SHARD_SIZE", 3)  # several shards per round
    _population(acme_daily)
    days = [d(2, 20) + timedelta(days=n) for n in range(20)]
    for day in days:
        engine_run_entity.delay(acme_daily.pk, day.isoformat()).get()
    by_tasks, sent_by_tasks = _snapshot(), len(mail.outbox)
    task_counts = [r.counts for r in EngineRun.objects.order_by("day")]
    assert all(r.status == RunStatus.FINISHED for r in EngineRun.objects.all())

    Outbox.objects.all().delete()
    Action.objects.all().delete()
    EngineRun.objects.all().delete()
    mail.outbox.clear()
    for day in days:
        run_day(entity=acme_daily, day=day)
    assert _snapshot() == by_tasks
    assert len(mail.outbox) == sent_by_tasks > 0
    keys = ("customers", "created", "skipped", "updated", "cancelled", "sent", "errors")
    keys += ("holds_ended", "analyzed")
    by_run_day = [r.counts for r in EngineRun.objects.order_by("day")]
    assert [{k: c[k] for k in keys} for c in task_counts] == [
        {k: c[k] for k in keys} for c in by_run_day
    ]


def test_a_distributed_run_past_its_rounds_records_the_customers_not_the_run(
    scenario_s, acme_daily, monkeypatch
):
    """Unreachable (runner.max_rounds); if it were, the customers still changing get an
    engine error and the run finishes for everyone else."""
    from relance.engine import tasks
    from relance.engine.models import EngineError

    monkeypatch.setattr(tasks, "MAX_ROUNDS", 1)
    customer = make_customer(acme_daily)
    make_invoice(customer, "C1", d(1, 31))
    run_id = engine_run_entity.delay(acme_daily.pk, "2026-03-01").get()
    run = EngineRun.objects.get(pk=run_id)
    assert (run.status, run.counts["failed"], run.counts["sent"]) == ("finished", 1, 1)
    assert EngineError.objects.get().customer == customer


# --- a distributed run begins and ends as run_day does (runner.run_begin, run_end) ------


def test_a_distributed_run_releases_a_hold_that_ended(scenario_s, acme_daily):
    customer = make_customer(acme_daily, on_hold=True, hold_until=d(1, 25))
    make_invoice(customer, "A1", d(1, 31))
    run_id = engine_run_entity.delay(acme_daily.pk, d(1, 26).isoformat()).get()
    customer.refresh_from_db()
    assert (customer.on_hold, customer.hold_until) == (False, None)
    assert customer.events.get(kind="customer_released").day == d(1, 26)
    assert EngineRun.objects.get(pk=run_id).counts["holds_ended"] == 1
    # Released before the planning: the run that releases it plans for it.
    assert history()[0][:3] == ("courtesy", "A1", "sent")


def test_a_distributed_run_writes_the_days_snapshot(scenario_s, acme_daily):
    from relance.insights.models import CustomerSnapshot, SnapshotDay

    customer = make_customer(acme_daily)
    make_invoice(customer, "A1", d(1, 31), amount=Decimal("120.00"))
    engine_run_entity.delay(acme_daily.pk, d(2, 5).isoformat()).get()
    assert SnapshotDay.objects.filter(entity=acme_daily, day=d(2, 5)).exists()
    snapshot = CustomerSnapshot.objects.on(d(2, 5)).get(customer=customer)
    assert (snapshot.open_amount, snapshot.overdue) == (Decimal("120.00"), Decimal("120.00"))


def test_a_distributed_run_that_wrote_many_rows_analyses_them(scenario_s, acme_daily, monkeypatch):
    """Recorded on the run (`analyzed`) on either database; on PostgreSQL the planner's row
    count of the actions moves too."""
    _population(acme_daily)
    run_id = engine_run_entity.delay(acme_daily.pk, d(1, 5).isoformat()).get()
    assert EngineRun.objects.get(pk=run_id).counts["analyzed"] is False  # below the threshold
    if connection.vendor == "postgresql":
        _analyze_now("agenda_action")
    # The threshold lowered to the few rows the next run writes (1,000 in production).
    monkeypatch.setattr("relance.core.statistics.ANALYZE_AFTER_ROWS", 1)
    run_id = engine_run_entity.delay(acme_daily.pk, d(2, 20).isoformat()).get()
    assert EngineRun.objects.get(pk=run_id).counts["analyzed"] is True
    if connection.vendor == "postgresql":
        assert _rows_known("agenda_action") == Action.objects.count() > 0
