"""A distributed run on real Celery workers begins and ends as `run_day` does
(engine/runner.py: run_begin, run_end): it releases a hold that ended, writes the day's
snapshot of what customers owe, and analyses the tables it bulk-wrote. Needs PostgreSQL and
Redis on 127.0.0.1 (make test-integration)."""

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from tests.integration.test_celery_kill import CELERY_APP, RELANCE, ROOT, _kill, _query, _wait

pytestmark = pytest.mark.integration

REDIS_URL = "redis://127.0.0.1:6379/8"  # not the kill test's: both may run at once
CUSTOMERS = 1100  # the run creates more than ANALYZE_AFTER_ROWS actions


def _execute(db_url: str, sql: str, *params) -> None:
    with psycopg.connect(db_url) as conn:
        conn.execute(sql, params)


def test_a_distributed_run_begins_and_ends_as_run_day(database, broker, tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "CELERY_BROKER_URL": broker,
        "EMAIL_URL": "smtp://127.0.0.1:1",  # nothing is sent: the step waits for confirmation
        "RELANCE_VAR": str(tmp_path),
        "DEBUG": "true",
    }
    run = lambda *argv: subprocess.run(  # noqa: E731
        argv, env=env, cwd=ROOT, check=True, capture_output=True, text=True, timeout=120
    )
    run(*RELANCE, "migrate", "--no-input", "-v", "0")
    fill = run(sys.executable, str(Path(__file__).with_name("fill.py")), str(CUSTOMERS))
    entity_id, day = fill.stdout.split()
    _execute(database, "UPDATE scenarios_step SET mode = 'auto_confirm'")
    _execute(
        database,
        "UPDATE customers_customer SET on_hold = true, hold_reason = 'Dispute',"
        " hold_until = %s::date - 1 WHERE external_id = 'C00000'",
        day,
    )
    analysed = "SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'agenda_action'"
    assert _query(database, analysed) == [(None,)]

    argv = [sys.executable, "-m", "celery", "-A", CELERY_APP, "worker", "--concurrency", "1"]
    argv += ["-n", "run@%h", "--loglevel", "info", "--without-gossip", "--without-mingle"]
    with (tmp_path / "worker.log").open("w") as log:
        worker = subprocess.Popen(
            argv, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        enqueue = "from relance.engine.tasks import engine_run_entity as t; "
        run(*RELANCE, "shell", "-c", enqueue + f"t.delay({entity_id}, '{day}')")

        def finished():
            rows = _query(database, "SELECT status FROM engine_enginerun")
            return rows and rows[0][0] != "running"

        _wait(finished, 180, "the run to finish")
    finally:
        _kill(worker)

    status, counts = _query(database, "SELECT status, counts FROM engine_enginerun")[0]
    assert status == "finished", (tmp_path / "worker.log").read_text()[-3000:]
    assert (counts["created"], counts["holds_ended"]) == (CUSTOMERS, 1)
    held = "SELECT on_hold, hold_until FROM customers_customer WHERE external_id = 'C00000'"
    assert _query(database, held) == [(False, None)]
    # Snapshots are runs of days: each customer's covers the run's day.
    snapshot = (
        "SELECT count(*) FROM insights_customersnapshot"
        " WHERE since <= %s::date AND until > %s::date"
    )
    assert _query(database, snapshot, day, day) == [(CUSTOMERS,)]
    assert _query(database, "SELECT count(*) FROM insights_snapshotday") == [(1,)]
    assert counts["analyzed"] is True
    _wait(lambda: _query(database, analysed)[0][0] is not None, 10, "ANALYZE of the actions")
    rows_known = "SELECT reltuples FROM pg_class WHERE relname = 'agenda_action'"
    assert _query(database, rows_known) == [(CUSTOMERS,)]
