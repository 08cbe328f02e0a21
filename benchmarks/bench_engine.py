"""Engine benchmark: one `relance run --no-send` over 100,000 customers with 1,000,000 open
invoices, on PostgreSQL and SQLite, cold (the first run: every action created) and warm
(the same date again: nothing to change).

The data is written straight into the tables (`demo.bulk.insert_rows`: COPY on PostgreSQL,
executemany on SQLite): one collection contact per customer, ten open invoices each, issue
dates spread over a year. Scenarios, segments and the entity's default scenario are those
of `relance setup`. Each step runs in its own process with DATABASE_URL set; its peak
memory is that process's own (os.wait4: the largest of the run's processes, when a run on
PostgreSQL plans on every core, RELANCE_ENGINE_PROCESSES; set it to 1 to time one process).

`python -m benchmarks engine -- --customers 100000 --databases postgresql`
"""

import argparse
import os
import sys
import time
from datetime import date, timedelta

from benchmarks.measure import (
    BENCH_DIR,
    drop_database,
    fresh_database,
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
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    args = parser.parse_args([str(arg) for arg in argv])
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    results = []
    for database in args.databases.split(","):
        results += bench(database, args.customers, args.items_per_customer, args.keep)
    print_table(results)


def bench(database: str, customers: int, per_customer: int, keep: bool) -> list[tuple]:
    url = fresh_database(database, _database_name(database))
    env = {**os.environ, "DATABASE_URL": url, "RELANCE_VAR": str(BENCH_DIR / "var")}
    env.pop("EMAIL_URL", None)
    results = []
    try:
        _relance(env, "migrate", "--no-input", "-v", "0")
        _relance(env, "entity", "create", ENTITY, "--name", "Bench", "--country", "FR",
                 "--currency", "EUR")  # fmt: skip
        _relance(env, "setup")
        seconds, peak_kb, out = _python(env, "populate", str(customers), str(per_customer))
        print(f"{database:<10} populate {seconds:7.1f} s {peak_kb / 1024:6.0f} MB  {out.strip()}",
              flush=True)  # fmt: skip
        for label in ("cold", "warm"):
            seconds, peak_kb, out = _relance(
                env, "run", "--date", RUN_DAY.isoformat(), "--entity", ENTITY, "--no-send"
            )
            summary = _summary(out)
            results.append((database, label, customers, seconds, peak_kb / 1024, summary))
            print(f"{database:<10} run {label:<5} {seconds:7.1f} s {peak_kb / 1024:6.0f} MB  "
                  f"{summary}", flush=True)  # fmt: skip
        return results
    finally:
        if not keep:
            drop_database(database, _database_name(database))


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
    print("| database | run | customers | seconds | peak memory (MB) | summary |")
    print("|---|---|---:|---:|---:|---|")
    for database, label, customers, seconds, peak_mb, summary in results:
        print(f"| {database} | {label} | {customers:,} | {seconds:.1f} | {peak_mb:.0f} | "
              f"{summary} |")  # fmt: skip
    cold = [r for r in results if r[0] == "postgresql" and r[1] == "cold"]
    if not cold:
        return
    _database, _label, customers, seconds, *_rest = cold[0]
    if customers < TARGET_CUSTOMERS:  # a smaller run says nothing of the target
        print(f"\ntarget: not judged, the run has fewer than {TARGET_CUSTOMERS:,} customers")
        return
    verdict = "met" if seconds < TARGET_COLD_PG else "MISSED"
    print(f"\ntarget: cold run under {TARGET_COLD_PG:.0f} s on PostgreSQL: {verdict}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["populate"]:
        populate(int(sys.argv[2]), int(sys.argv[3]))
    else:
        main(sys.argv[1:])
