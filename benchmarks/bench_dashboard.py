"""Insights dashboard benchmark: the dashboard's server time at 100,000 customers and
1,000,000 items with a year of daily snapshots, on PostgreSQL (target: under 300 ms).

The customers and items are bench_engine's (`populate`: ten open invoices per customer,
issued over the year before its RUN_DAY), shared among 20 collectors. The year of snapshots
is written by the real backfill (`insights.services.snapshots_backfill`: the runs of days
with the same figures, then the daily totals and monthly sales); its time is printed.

The database is kept between runs (`--rebuild` builds it again). Each page is asked 5
times with Django's test client in one process, as the credit manager; printed: the median
wall time and the median CPU time of the process (the database's own time is in the wall
time only: the machine is shared, so read the CPU column with the load average printed).

`python -m benchmarks dashboard -- --customers 100000 --days 365`
"""

import argparse
import os
import subprocess
import sys
import time
from datetime import timedelta

from benchmarks.bench_engine import ENTITY, RUN_DAY, populate
from benchmarks.measure import BENCH_DIR, PG_ADMIN_URL, pg_admin, relance

# BENCH_PG_PREFIX: a prefix of one's own, when several people benchmark on one server.
PG_PREFIX = os.environ.get("BENCH_PG_PREFIX", "") + "relance_bench_dashboard"
COLLECTORS = 20
TARGET_MS = 300
PAGES = [
    "/insights/",
    "/insights/?collector={collector}",
    "/insights/customers/?amount=overdue",
    "/insights/?segment={segment}",
]


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench_dashboard")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--items-per-customer", type=int, default=10)
    parser.add_argument("--days", type=int, default=365, help="days of snapshots")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--compare", action="store_true", help="also time aging_over_time")
    args = parser.parse_args([str(arg) for arg in argv])
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    name = f"{PG_PREFIX}_{args.customers}_{args.items_per_customer}_{args.days}"
    env = {**os.environ, "DATABASE_URL": PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"}
    env.update(RELANCE_VAR=str(BENCH_DIR / "var"), DEBUG="true")
    env.pop("EMAIL_URL", None)
    if args.rebuild or not _exists(name):
        build(env, name, args)
    else:
        print(f"data set: {name} (kept; --rebuild to build it again)", flush=True)
    command = [sys.executable, "-m", "benchmarks.bench_dashboard", "--child-measure"]
    subprocess.run(
        [*command, str(int(args.compare))], env=env, check=True, cwd=BENCH_DIR.parent.parent
    )


def build(env: dict, name: str, args) -> None:
    building = env["DATABASE_URL"]
    pg_admin(f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}")
    started = time.perf_counter()
    relance(env, "migrate", "--no-input", "-v", "0", name="dashboard")
    relance(env, "entity", "create", ENTITY, "--name", "Bench", "--country", "FR",
            "--currency", "EUR", name="dashboard")  # fmt: skip
    relance(env, "setup", name="dashboard")
    child = [sys.executable, "-m", "benchmarks.bench_dashboard"]
    steps = [
        ["--child-populate", str(args.customers), str(args.items_per_customer)],
        ["--child-snapshots", str(args.days)],
    ]
    for step in steps:
        subprocess.run([*child, *step], env=env, check=True, cwd=BENCH_DIR.parent.parent)
    print(f"data set {name} built in {time.perf_counter() - started:.0f} s ({building})")


def _exists(name: str) -> bool:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return found.fetchone() is not None


# --- in the child processes, Django set up ---------------------------------------------


def _setup() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relance.config.settings")
    django.setup()


def collectors_and_people() -> None:
    """20 collectors (customer k to collector k mod 20), alice the credit manager, one
    segment of a tenth of the customers."""
    from django.db import connection

    from relance.accounts.models import User
    from relance.core.models import Entity
    from relance.customers.models import Customer
    from relance.scenarios.models import Scenario
    from relance.segments.models import Segment

    entity = Entity.objects.get(slug=ENTITY)
    User.objects.update_or_create(
        username="alice", defaults={"role": "credit_manager", "all_entities": True}
    )
    table = connection.ops.quote_name(Customer._meta.db_table)
    for number in range(COLLECTORS):
        user, _created = User.objects.update_or_create(
            username=f"collector-{number:02d}", defaults={"role": "collector"}
        )
        user.entities.set([entity])
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET collector_id = %s WHERE id %% %s = %s",
                [user.pk, COLLECTORS, number],
            )
    segment, _created = Segment.objects.get_or_create(
        name="Bench tenth", defaults={"entity": entity, "scenario": Scenario.objects.first()}
    )
    members = "segments_segmentmembership"
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {members} WHERE segment_id = %s", [segment.pk])
        cursor.execute(
            f"INSERT INTO {members} (segment_id, customer_id) "
            f"SELECT %s, id FROM {table} WHERE id %% 10 = 0",
            [segment.pk],
        )


def snapshots(days: int) -> None:
    """The snapshots of `days` days to RUN_DAY, by the backfill from the items' history
    (the items have none: each counts open from its issue date), then the statistics."""
    from django.db import connection

    from relance.core.models import Entity
    from relance.insights.services import snapshots_backfill

    entity = Entity.objects.get(slug=ENTITY)
    first = RUN_DAY - timedelta(days=days - 1)
    started, cpu = time.perf_counter(), time.process_time()
    result = snapshots_backfill(entity=entity, start=first, end=RUN_DAY)
    print(
        f"backfill of {result.days} days: {result.rows:,} runs in "
        f"{time.perf_counter() - started:.1f} s wall, {time.process_time() - cpu:.2f} s CPU "
        f"(Python; load {os.getloadavg()[0]:.2f})"
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def measure(compare: bool) -> None:
    import statistics

    from django.test import Client

    from relance.accounts.models import User
    from relance.core.models import Entity
    from relance.customers.models import Customer
    from relance.insights.models import CustomerSnapshot, DailyTotal
    from relance.insights.selectors import aging_over_time
    from relance.ledger.models import Item
    from relance.segments.models import Segment

    print(os.popen("uptime").read().strip())
    entity = Entity.objects.get(slug=ENTITY)
    print(
        f"{Customer.objects.count():,} customers, {Item.objects.count():,} items, "
        f"{CustomerSnapshot.objects.count():,} snapshots, {DailyTotal.objects.count():,} totals"
    )
    client = Client()
    client.force_login(User.objects.get(username="alice"))
    collector = User.objects.get(username="collector-00")
    segment = Segment.objects.get(name="Bench tenth")
    print(f"{'page':<45} {'wall ms':>9} {'CPU ms':>8}")
    for page in PAGES:
        url = page.format(collector=collector.pk, segment=segment.pk)
        walls, cpus = [], []
        for _ in range(5):
            started, cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            walls.append((time.perf_counter() - started) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        wall, cpu = statistics.median(walls), statistics.median(cpus)
        verdict = ""
        if page == "/insights/":
            verdict = "  ok" if wall < TARGET_MS else f"  over the {TARGET_MS} ms target"
        print(f"{url:<45} {wall:>9.0f} {cpu:>8.0f}{verdict}")
    from django.db import transaction

    from relance.insights.services import snapshot_totals_write

    with transaction.atomic():  # what the daily run's snapshot adds: one day's totals
        started, cpu = time.perf_counter(), time.process_time()
        snapshot_totals_write(entity=entity, start=RUN_DAY, end=RUN_DAY)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(
            f"totals of one day (the daily run): {wall * 1000:.0f} ms wall, {cpu * 1000:.0f} ms CPU"
        )
    if compare:
        start = RUN_DAY - timedelta(days=365)
        started = time.perf_counter()
        aging_over_time(entity, start, RUN_DAY)
        print(
            f"aging_over_time over the snapshots: {(time.perf_counter() - started) * 1000:.0f} ms"
        )


if __name__ == "__main__":
    _setup()
    flag, *rest = sys.argv[1:]
    if flag == "--child-populate":
        populate(int(rest[0]), int(rest[1]))
        collectors_and_people()
    elif flag == "--child-snapshots":
        snapshots(int(rest[0]))
    elif flag == "--child-measure":
        measure(bool(int(rest[0])))
