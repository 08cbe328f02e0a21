"""Insights snapshots benchmark: `relance insights backfill` of one year, and the daily
snapshot (what it adds to `relance run`), on PostgreSQL (and SQLite, smaller: its path is
kept for correctness, not speed).

The ledger is written straight into the tables (`demo.bulk.insert_rows`: COPY on
PostgreSQL): CUSTOMERS customers with ten invoices each issued over the year before the
run day, due 30 days later, with their history (ItemAmountChange): every invoice created
on its issue day; six in ten settled 20 to 80 days after issue (if before the run day);
two in ten paid half 40 days after issue; the rest left open. The issue targets are set
for 1,000,000 items (100,000 customers): backfilling a year under 180 s, the daily snapshot
under 5 s.

Times are wall-clock and CPU: the Python process's own (time.process_time) and the
PostgreSQL backend's that served it (utime + stime from /proc/PID/stat, read through
pg_backend_pid(): the server runs on this machine), so that a loaded machine can be told
from a slow statement.

`python -m benchmarks snapshots -- --customers 100000 --databases postgresql`
"""

import argparse
import os
import sys
import time
from collections import namedtuple
from datetime import date, timedelta

from benchmarks.measure import BENCH_DIR, drop_database, fresh_database, relance, run_measured

PG_DATABASE = os.environ.get("BENCH_SNAPSHOTS_DATABASE", "relance_bench_snapshots")
ENTITY = "bench"
RUN_DAY = date(2026, 6, 15)
ITEMS_PER_CUSTOMER = 10
TARGET_BACKFILL_YEAR = 180.0
TARGET_SNAPSHOT = 5.0
TARGET_ITEMS = 1_000_000


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench_snapshots")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--sqlite-customers", type=int, default=2_000)
    parser.add_argument("--databases", default="postgresql,sqlite")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    args = parser.parse_args([str(arg) for arg in argv])
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    rows = []
    for database in args.databases.split(","):
        customers = args.customers if database == "postgresql" else args.sqlite_customers
        rows += bench(database, customers, args.keep)
    print_table(rows)


def bench(database: str, customers: int, keep: bool) -> list[tuple]:
    name = PG_DATABASE if database == "postgresql" else "snapshots"
    url = fresh_database(database, name)
    env = {**os.environ, "DATABASE_URL": url, "RELANCE_VAR": str(BENCH_DIR / "var")}
    env.pop("EMAIL_URL", None)
    try:
        relance(env, "migrate", "--no-input", "-v", "0", name="snapshots")
        relance(env, "entity", "create", ENTITY, "--name", "Bench", "--country", "FR",
                "--currency", "EUR", name="snapshots")  # fmt: skip
        _seconds, _peak, out = _python(env, "populate", str(customers))
        print(f"{database:<10} {out.strip()}", flush=True)
        _seconds, _peak, out = _python(env, "measure")
        print(out.strip(), flush=True)
        return [(database, customers, *line.split("\t")) for line in _rows(out)]
    finally:
        if not keep:
            drop_database(database, name)


def _rows(out: str) -> list[str]:
    return [line[4:] for line in out.splitlines() if line.startswith("ROW\t")]


def _python(env: dict, *args: str) -> tuple[float, int, str]:
    command = [sys.executable, "-m", "benchmarks.bench_snapshots", *args]
    return run_measured(env, command, "snapshots")


# --- in the child process, Django set up ------------------------------------------------


def _setup():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relance.config.settings")
    django.setup()


def populate(customers: int) -> None:
    _setup()
    from typing import NamedTuple

    from django.db import connection, transaction

    from relance.core.models import Entity
    from relance.customers.models import Customer
    from relance.demo.bulk import insert_rows
    from relance.demo.ledger import ItemRow
    from relance.ledger.models import Item, ItemAmountChange

    class CustomerRow(NamedTuple):
        id: int
        entity_id: int
        external_id: str
        name: str
        country: str
        language: str
        currency: str

    class ChangeRow(NamedTuple):
        entity_id: int
        item_id: int
        day: date
        open_amount_after: object
        delta: object

    ItemWithId = namedtuple("ItemWithId", ("id", *ItemRow._fields))  # the changes name it
    entity = Entity.objects.get(slug=ENTITY)
    first_day = RUN_DAY - timedelta(days=364)
    started = time.perf_counter()
    chunk, changes_count = 10_000, 0
    with transaction.atomic():
        for start in range(1, customers + 1, chunk):
            ids = range(start, min(start + chunk, customers + 1))
            insert_rows(Customer, [
                CustomerRow(pk, entity.pk, f"C{pk:07d}", f"Customer {pk}", "FR", "fr", "EUR")
                for pk in ids
            ])  # fmt: skip
            items, changes = [], []
            for pk in ids:
                for n in range(ITEMS_PER_CUSTOMER):
                    number = (pk - 1) * ITEMS_PER_CUSTOMER + n
                    item_row, item_changes = _history(entity.pk, pk, number + 1, number, first_day)
                    items.append(item_row)
                    changes += [ChangeRow(*change) for change in item_changes]
            insert_rows(Item, [ItemWithId(*row) for row in items])
            insert_rows(ItemAmountChange, changes)
            changes_count += len(changes)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in (Customer, Item):
                    table = model._meta.db_table
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT max(id) "
                        f"FROM {table}))",
                        [table],
                    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    seconds = time.perf_counter() - started
    print(f"populate: {customers:,} customers, {customers * ITEMS_PER_CUSTOMER:,} invoices, "
          f"{changes_count:,} changes in {seconds:.1f} s")  # fmt: skip


def _history(entity_id: int, customer_id: int, item_id: int, number: int, first_day: date):
    """(item row with its id, [change rows]) of one invoice, by the module's docstring."""
    from decimal import Decimal

    issued = first_day + timedelta(days=(number * 7919) % 365)
    amount = Decimal(10_000 + (number * 104_729) % 990_000).scaleb(-2)
    changes = [(entity_id, item_id, issued, amount, amount)]
    open_amount, settled_on = amount, None
    kind = number % 10
    if kind < 6:
        paid_on = issued + timedelta(days=20 + (number * 31) % 61)
        if paid_on <= RUN_DAY:
            changes.append((entity_id, item_id, paid_on, Decimal("0.00"), -amount))
            open_amount, settled_on = Decimal("0.00"), paid_on
    elif kind < 8:
        paid_on = issued + timedelta(days=40)
        if paid_on <= RUN_DAY:
            open_amount = (amount / 2).quantize(Decimal("0.01"))
            changes.append((entity_id, item_id, paid_on, open_amount, open_amount - amount))
    row = (item_id, entity_id, customer_id, "invoice", f"F{number:08d}", issued,
           issued + timedelta(days=30), amount, open_amount, "EUR")  # fmt: skip
    return (*row, False, "", None, None, False, settled_on), changes


def _backend_cpu() -> float:
    """CPU seconds of this connection's PostgreSQL backend so far (0 on SQLite)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _timed(label: str, call) -> None:
    """Print a ROW: label, wall s, Python CPU s, PostgreSQL backend CPU s, rows."""
    wall, cpu, server = time.perf_counter(), time.process_time(), _backend_cpu()
    result = call()
    wall = time.perf_counter() - wall
    cpu, server = time.process_time() - cpu, _backend_cpu() - server
    print(f"ROW\t{label}\t{wall:.1f}\t{cpu:.1f}\t{server:.1f}\t{result}", flush=True)


def measure() -> None:
    _setup()
    from relance.core.models import Entity
    from relance.insights.risk import risk_take
    from relance.insights.services import snapshot_take, snapshots_backfill

    entity = Entity.objects.get(slug=ENTITY)
    start = RUN_DAY - timedelta(days=364)
    # The daily snapshot first: it reads the items only, and its figure comes early.
    _timed("daily snapshot", lambda: snapshot_take(entity=entity, day=RUN_DAY))
    _timed("its risk scores alone", lambda: risk_take(entity=entity, day=RUN_DAY))
    _timed("backfill one year", lambda: snapshots_backfill(entity=entity, start=start,
                                                            end=RUN_DAY).rows)  # fmt: skip
    # The daily run's case: the year written, the next day's snapshot closes and opens the
    # runs of the customers whose figures changed.
    _timed("daily snapshot after the year", lambda: snapshot_take(
        entity=entity, day=RUN_DAY + timedelta(days=1)))  # fmt: skip
    load = os.getloadavg()
    print(f"load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


def print_table(rows: list[tuple]) -> None:
    print()
    print("| database | customers | items | step | wall (s) | Python CPU (s) | "
          "PostgreSQL CPU (s) | snapshot rows (runs) |")  # fmt: skip
    print("|---|---:|---:|---|---:|---:|---:|---:|")
    for database, customers, label, wall, cpu, server, written in rows:
        print(f"| {database} | {customers:,} | {customers * ITEMS_PER_CUSTOMER:,} | {label} | "
              f"{wall} | {cpu} | {server} | {int(written):,} |")  # fmt: skip
    for database, customers, label, wall, *_rest in rows:
        if database != "postgresql":
            continue
        if label.startswith("its "):  # a part of the daily snapshot, not a target
            continue
        target = TARGET_BACKFILL_YEAR if label.startswith("backfill") else TARGET_SNAPSHOT
        if customers * ITEMS_PER_CUSTOMER < TARGET_ITEMS:
            print(f"target ({label} under {target:.0f} s): not judged below "
                  f"{TARGET_ITEMS:,} items")  # fmt: skip
        else:
            verdict = "met" if float(wall) < target else "MISSED"
            print(f"target ({label} under {target:.0f} s on PostgreSQL): {verdict}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["populate"]:
        populate(int(sys.argv[2]))
    elif sys.argv[1:2] == ["measure"]:
        measure()
    else:
        main(sys.argv[1:])
