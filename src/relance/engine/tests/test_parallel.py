"""`relance run` on several processes (PostgreSQL) decides and sends exactly what a run in
one process does: the same days run both ways, from the command line as in production,
give the same actions and the same outbox."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.db import connection

from relance.agenda.models import Action
from relance.delivery.models import Outbox
from relance.engine.runner import _in_thread, processes_for_run
from relance.engine.tests.conftest import make_customer, make_invoice
from relance.engine.tests.simulation import d
from relance.insights.models import CustomerRisk, CustomerSnapshot, DailyTotal, SnapshotDay

CUSTOMERS, CHUNK = 12, 3
DAYS = [d(1, 26), d(2, 3), d(2, 15)]
POSTGRESQL_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite runs in one process"
)


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _run(entity, processes: int, tmp_path) -> list[str]:
    """`relance run` for each day, in a process of its own (no threads: it may fork)."""
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "EMAIL_URL": f"file://{tmp_path}/mail-{processes}",
        "RELANCE_VAR": str(tmp_path),
    }
    outputs = []
    for day in DAYS:
        command = [sys.executable, "-m", "relance", "run", "--date", day.isoformat()]
        command += ["--entity", entity.slug, "--processes", str(processes)]
        command += ["--chunk-size", str(CHUNK)]
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    return outputs


def _snapshot() -> tuple[list, list]:
    actions = Action.objects.order_by("customer__external_id", "created_on", "step_position")
    outbox = Outbox.objects.order_by("action__customer__external_id", "day")
    fields = ("customer__external_id", "step_position", "status", "due_date", "finished_on")
    return (
        list(actions.values_list(*fields, "reason")),
        list(outbox.values_list("action__customer__external_id", "day", "status")),
    )


def _insights() -> list[list]:
    """The days' Insights rows, which a parallel run writes while its processes plan."""
    snapshots = CustomerSnapshot.objects.order_by("customer__external_id", "since")
    risks = CustomerRisk.objects.order_by("customer__external_id", "day")
    return [
        list(SnapshotDay.objects.order_by("day").values_list("day")),
        list(
            snapshots.values_list(
                "customer__external_id", "since", "until", "open_amount", "overdue"
            )
        ),
        list(risks.values_list("customer__external_id", "day", "score")),
        list(DailyTotal.objects.order_by("day").values_list("day", "customers", "open_amount")),
    ]


@POSTGRESQL_ONLY
@pytest.mark.django_db(transaction=True)
def test_parallel_run_matches_the_single_process_run(scenario_s, acme_daily, tmp_path):
    for n in range(CUSTOMERS):
        customer = make_customer(acme_daily, external_id=f"P{n:02}")
        make_invoice(customer, f"F{n:02}", d(1, 20) + timedelta(n % 5), issue=d(1, 1))

    parallel = _run(acme_daily, 2, tmp_path)
    in_parallel, insights_in_parallel = _snapshot(), _insights()
    Outbox.objects.all().delete()
    Action.objects.all().delete()
    for model in (SnapshotDay, CustomerSnapshot, CustomerRisk, DailyTotal):
        model.objects.all().delete()
    single = _run(acme_daily, 1, tmp_path)

    assert all("processes: 2" in output for output in parallel)
    assert not any("processes:" in output for output in single)
    assert in_parallel == _snapshot()
    # The snapshot taken beside the planning processes is the one a run takes at its end.
    assert insights_in_parallel == _insights()
    assert [day for (day,) in insights_in_parallel[0]] == DAYS
    # Stored as runs of days: one row per customer while what it owes does not change.
    assert {row[0] for row in insights_in_parallel[1]} == {f"P{n:02}" for n in range(CUSTOMERS)}
    assert all(row[1] <= DAYS[-1] < row[2] for row in insights_in_parallel[1])
    # Something happened: every customer has its actions, the emails left once each.
    assert {row[0] for row in in_parallel[0]} == {f"P{n:02}" for n in range(CUSTOMERS)}
    assert len(in_parallel[1]) >= CUSTOMERS
    assert all(status == "sent" for _c, _d, status in in_parallel[1])


@pytest.mark.django_db(transaction=True)
def test_one_process_where_forking_is_unsafe_or_useless(monkeypatch):
    many = 100_000
    monkeypatch.setattr("relance.engine.runner.threading.active_count", lambda: 1)
    if connection.vendor == "sqlite":
        assert processes_for_run(4, many, 2000) == 1  # one writer
        return
    assert processes_for_run(4, many, 2000) == 4
    assert processes_for_run(1, many, 2000) == 1
    assert processes_for_run(4, 3000, 2000) == 1  # one chunk: nothing to share
    # A web server's or a worker's threads: forking could copy a lock held by one of them.
    monkeypatch.setattr("relance.engine.runner.threading.active_count", lambda: 3)
    assert processes_for_run(4, many, 2000) == 1


@pytest.mark.django_db(transaction=True)
def test_work_alongside_runs_in_its_own_thread_and_raises_there():
    import threading

    seen = []
    with _in_thread(lambda: seen.append(threading.current_thread().name)):
        seen.append("block")
    assert sorted(seen) == ["block", "relance-run-alongside"]

    def failing():
        raise ValueError("snapshot failed")

    ran = []
    with pytest.raises(ValueError, match="snapshot failed"), _in_thread(failing):
        ran.append(True)  # the block still runs to its end; the error comes after it
    assert ran == [True]
    with _in_thread(None):  # nothing alongside: the block alone
        ran.append(True)
    assert ran == [True, True]
