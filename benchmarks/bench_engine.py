"""Engine benchmark: one `relance run --no-send` over 100,000 customers with 1,000,000 open
invoices, on PostgreSQL and SQLite, cold (the first run: every action created) and warm
(the same date again: nothing to change).

The data is written straight into the tables (`demo.bulk.insert_rows`: COPY on PostgreSQL,
executemany on SQLite): one collection contact per customer, ten open invoices each, issue
dates spread over a year. Scenarios, segments and the entity's default scenario are those
of `relance setup`. Each step runs in its own process with DATABASE_URL set; its peak
memory is that process's own (os.wait4: the largest of the run's processes, when a run on
PostgreSQL plans on every core, RELANCE_ENGINE_PROCESSES; set it to 1 to time one process).

`--runs N` populates once, then times N cold and warm pairs, each on a fresh copy of the
populated database (PostgreSQL: a database created from it as a template; SQLite: a copy
of the file), and judges the median: on a machine others share, one run says little.
Beside each time, the CPU of the run's processes (Python: the command and its children;
the database server's own is not counted).

`python -m benchmarks engine -- --customers 100000 --databases postgresql --runs 3`
"""

import argparse
import os
import resource
import shutil
import statistics
import sys
import time
from datetime import date, timedelta

from benchmarks.measure import (
    BENCH_DIR,
    drop_database,
    fresh_database,
    pg_admin,
    pg_url,
    relance,
    run_measured,
)

# BENCH_PG_PREFIX: a prefix of one's own, when several people benchmark on one server.
PG_DATABASE = os.environ.get("BENCH_PG_PREFIX", "") + "relance_bench_engine"
ENTITY = "bench"
RUN_DAY = date(2026, 6, 15)  # a Monday; the invoices fall due over the year before
ITEMS_PER_CUSTOMER = 10
TARGET_COLD_PG = 10.0  # M2.6: the cold run at 100,000 customers / 1,000,000 items
TARGET_CUSTOMERS = 100_000  # the size the target is set for


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench_engine")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--items-per-customer", type=int, default=ITEMS_PER_CUSTOMER)
    parser.add_argument("--databases", default="postgresql,sqlite")
    parser.add_argument("--runs", type=int, default=1, help="cold/warm pairs, each on a copy")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    args = parser.parse_args([str(arg) for arg in argv])
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    results = []
    for database in args.databases.split(","):
        results += bench(database, args.customers, args.items_per_customer, args.keep, args.runs)
    print_table(results)


def bench(
    database: str, customers: int, per_customer: int, keep: bool, runs: int = 1
) -> list[tuple]:
    name = _database_name(database)
    url = fresh_database(database, name)
    env = {**os.environ, "DATABASE_URL": url, "RELANCE_VAR": str(BENCH_DIR / "var")}
    env.pop("EMAIL_URL", None)
    timed = {"cold": [], "warm": []}
    try:
        _relance(env, "migrate", "--no-input", "-v", "0")
        _relance(env, "entity", "create", ENTITY, "--name", "Bench", "--country", "FR",
                 "--currency", "EUR")  # fmt: skip
        _relance(env, "setup")
        seconds, peak_kb, out = _python(env, "populate", str(customers), str(per_customer))
        print(f"{database:<10} populate {seconds:7.1f} s {peak_kb / 1024:6.0f} MB  {out.strip()}",
              flush=True)  # fmt: skip
        for number in range(runs):
            run_env = env if runs == 1 else {**env, "DATABASE_URL": _copy(database, name)}
            for label in ("cold", "warm"):
                cpu_before = _children_cpu()
                seconds, peak_kb, out = _relance(
                    run_env, "run", "--date", RUN_DAY.isoformat(), "--entity", ENTITY, "--no-send"
                )
                cpu, summary = _children_cpu() - cpu_before, _summary(out)
                timed[label].append((seconds, cpu, peak_kb / 1024, summary))
                print(f"{database:<10} run {number + 1} {label:<5} {seconds:7.1f} s (Python CPU "
                      f"{cpu:5.1f} s, load {os.getloadavg()[0]:4.1f}) {peak_kb / 1024:6.0f} MB  "
                      f"{summary}", flush=True)  # fmt: skip
        return [(database, label, customers, *_medians(rows)) for label, rows in timed.items()]
    finally:
        if runs > 1:
            drop_database(database, f"{name}_run")
        if not keep:
            drop_database(database, name)


def _copy(database: str, name: str) -> str:
    """A fresh copy of the populated database `name`; answers its URL."""
    copy = f"{name}_run"
    if database == "postgresql":
        pg_admin(f"DROP DATABASE IF EXISTS {copy}", f"CREATE DATABASE {copy} TEMPLATE {name}")
        return pg_url(copy)
    drop_database(database, copy)
    shutil.copyfile(BENCH_DIR / f"{name}.sqlite3", BENCH_DIR / f"{copy}.sqlite3")
    return f"sqlite:///{BENCH_DIR / f'{copy}.sqlite3'}"


def _children_cpu() -> float:
    """User and system CPU of the finished child processes (and theirs) so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _medians(rows: list[tuple]) -> tuple:
    """(median seconds, runs, min, max, median CPU, largest peak MB, the last summary)."""
    seconds = [row[0] for row in rows]
    cpu = statistics.median(row[1] for row in rows)
    peak = max(row[2] for row in rows)
    return statistics.median(seconds), len(rows), min(seconds), max(seconds), cpu, peak, rows[-1][3]


def _summary(output: str) -> str:
    keep = ("customers scanned", "actions created", "cancelled", "skipped", "due dates moved")
    keep += ("due automatic", "processes", "seconds")
    lines = [line.strip() for line in output.splitlines()]
    return "; ".join(line for line in lines if line.startswith(keep))


# --- the data, written in a child process with Django set up ---------------------------


def populate(customers: int, per_customer: int) -> None:
    """Customers, one collection contact each, `per_customer` open invoices each."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relance.config.settings")
    django.setup()
    from typing import NamedTuple

    from django.db import connection, transaction

    from relance.core.models import Entity
    from relance.customers.models import Contact, Customer
    from relance.demo.bulk import insert_rows
    from relance.demo.ledger import ItemRow
    from relance.ledger.models import Item

    class CustomerRow(NamedTuple):
        id: int
        entity_id: int
        external_id: str
        name: str
        country: str
        language: str
        currency: str

    class ContactRow(NamedTuple):
        customer_id: int
        external_id: str
        last_name: str
        email: str
        is_collection: bool

    entity = Entity.objects.get(slug=ENTITY)
    first_day = RUN_DAY - timedelta(days=365)
    started = time.perf_counter()
    chunk = 10_000
    with transaction.atomic():
        for start in range(1, customers + 1, chunk):
            ids = range(start, min(start + chunk, customers + 1))
            insert_rows(Customer, [
                CustomerRow(pk, entity.pk, f"C{pk:07d}", f"Customer {pk}", "FR", "fr", "EUR")
                for pk in ids
            ])  # fmt: skip
            insert_rows(Contact, [
                ContactRow(pk, f"K{pk}", f"Contact {pk}", f"c{pk}@bench.example", True)
                for pk in ids
            ])  # fmt: skip
            items = []
            for pk in ids:
                for n in range(per_customer):
                    number = (pk - 1) * per_customer + n
                    issued = first_day + timedelta(days=(number * 7919) % 365)
                    amount, due = _amount(number), issued + timedelta(days=30)
                    row = (entity.pk, pk, "invoice", f"F{number:08d}", issued, due, amount)
                    items.append(ItemRow(*row, amount, "EUR"))
            insert_rows(Item, items)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT max(id) FROM "
                    f"{Customer._meta.db_table}))",
                    [Customer._meta.db_table],
                )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    seconds = time.perf_counter() - started
    print(f"{customers:,} customers, {customers * per_customer:,} open invoices in {seconds:.1f} s")


def _amount(number: int):
    from decimal import Decimal

    return Decimal(10_000 + (number * 104_729) % 990_000).scaleb(-2)


# --- processes and databases ----------------------------------------------------------


def _relance(env: dict, *args: str) -> tuple[float, int, str]:
    return relance(env, *args, name="engine")


def _python(env: dict, *args: str) -> tuple[float, int, str]:
    return run_measured(env, [sys.executable, "-m", "benchmarks.bench_engine", *args], "engine")


def _database_name(database: str) -> str:
    return PG_DATABASE if database == "postgresql" else "engine"


def print_table(results: list[tuple]) -> None:
    print()
    print("| database | run | customers | seconds (median) | runs | min–max | Python CPU (s) "
          "| peak memory (MB) | summary |")  # fmt: skip
    print("|---|---|---:|---:|---:|---:|---:|---:|---|")
    for database, label, customers, seconds, runs, low, high, cpu, peak_mb, summary in results:
        print(f"| {database} | {label} | {customers:,} | {seconds:.1f} | {runs} | "
              f"{low:.1f}–{high:.1f} | {cpu:.1f} | {peak_mb:.0f} | {summary} |")  # fmt: skip
    cold = [r for r in results if r[0] == "postgresql" and r[1] == "cold"]
    if not cold:
        return
    _database, _label, customers, seconds, runs, *_rest = cold[0]
    if customers < TARGET_CUSTOMERS:  # a smaller run says nothing of the target
        print(f"\ntarget: not judged, the run has fewer than {TARGET_CUSTOMERS:,} customers")
        return
    verdict = "met" if seconds < TARGET_COLD_PG else "MISSED"
    print(f"\ntarget: cold run under {TARGET_COLD_PG:.0f} s on PostgreSQL (median of {runs}): "
          f"{verdict}")  # fmt: skip


if __name__ == "__main__":
    if sys.argv[1:2] == ["populate"]:
        populate(int(sys.argv[2]), int(sys.argv[3]))
    else:
        main(sys.argv[1:])
