"""Payment behaviour, step effectiveness and cash forecast at 100,000 customers and
1,000,000 invoices (insights/behaviour.py, effectiveness.py, forecast.py).

The data is written straight into the tables (`demo.bulk.insert_rows`): ten invoices per
customer issued over the year before RUN_DAY, 60 % settled (paid from 10 days early to 30
late, each with its decrease of the open amount in the item history), promises on some of
the others, 2 % disputed, and one sent action of the first step of the `relance setup`
scenario per customer. Each figure is then read three times for all customers at once;
the best of the three is shown, as wall time (client and database together) and the
client's CPU time (time.process_time: the Python part; the rest is the database's).

`python -m benchmarks behaviour -- --customers 100000 --databases postgresql`
"""

import argparse
import os
import subprocess
import sys
import time
from datetime import date, timedelta
from decimal import Decimal

from benchmarks.measure import BENCH_DIR, drop_database, fresh_database, relance

PG_DATABASE = "relance_bench_behaviour"
ENTITY = "bench"
RUN_DAY = date(2026, 6, 15)
ITEMS_PER_CUSTOMER = 10
ROUNDS = 3


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench_behaviour")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--databases", default="postgresql")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    args = parser.parse_args([str(arg) for arg in argv])
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    for database in args.databases.split(","):
        bench(database, args.customers, args.keep)


def bench(database: str, customers: int, keep: bool) -> None:
    name = PG_DATABASE if database == "postgresql" else "bench_behaviour"
    url = fresh_database(database, name)
    env = {**os.environ, "DATABASE_URL": url, "RELANCE_VAR": str(BENCH_DIR / "var")}
    env.pop("EMAIL_URL", None)
    try:
        relance(env, "migrate", "--no-input", "-v", "0")
        relance(env, "entity", "create", ENTITY, "--name", "Bench", "--country", "FR",
                "--currency", "EUR")  # fmt: skip
        relance(env, "setup")
        command = [sys.executable, "-m", "benchmarks.bench_behaviour", "child", str(customers)]
        output = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
        for line in output.stdout.splitlines():
            print(f"{database:<10} {line}", flush=True)
    finally:
        if not keep:
            drop_database(database, name)


# --- in a child process with Django set up -----------------------------------------------


def populate(customers: int) -> None:
    from typing import NamedTuple

    from django.db import connection, transaction

    from relance.agenda.models import Action
    from relance.core.models import Entity
    from relance.customers.models import Customer
    from relance.demo.bulk import insert_rows
    from relance.demo.ledger import ItemRow
    from relance.ledger.models import Item
    from relance.scenarios.models import Step

    class CustomerRow(NamedTuple):
        id: int
        entity_id: int
        external_id: str
        name: str
        country: str
        language: str
        currency: str

    class ActionRow(NamedTuple):
        entity_id: int
        customer_id: int
        scenario_id: int
        step_id: int
        step_position: int
        step_name: str
        channel: str
        mode: str
        reference_id: int
        status: str
        created_on: date
        due_date: date
        finished_on: date

    entity = Entity.objects.get(slug=ENTITY)
    step = Step.objects.order_by("scenario_id", "position").first()
    first_day = RUN_DAY - timedelta(days=365)
    chunk = 10_000
    with transaction.atomic():
        for start in range(1, customers + 1, chunk):
            ids = range(start, min(start + chunk, customers + 1))
            insert_rows(Customer, [
                CustomerRow(pk, entity.pk, f"C{pk:07d}", f"Customer {pk}", "FR", "fr", "EUR")
                for pk in ids
            ])  # fmt: skip
            insert_rows(Item, [_item(ItemRow, entity.pk, pk, n, first_day) for pk in ids
                               for n in range(ITEMS_PER_CUSTOMER)])  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO ledger_itemamountchange (entity_id, item_id, day,"
                " open_amount_after, delta) SELECT entity_id, id, settled_on, 0, -amount"
                " FROM ledger_item WHERE settled_on IS NOT NULL"
            )
        references = dict(
            Item.objects.filter(entity=entity, number__endswith="0")
            .order_by()
            .values_list("customer_id", "pk")
        )
        rows = []
        for customer_id, reference_id in references.items():
            due = RUN_DAY - timedelta(days=10 + customer_id % 200)
            finished = due + timedelta(days=customer_id % 3 * 5)  # some sent late
            status = "skipped" if customer_id % 7 == 0 else "sent"
            rows.append(ActionRow(entity.pk, customer_id, step.scenario_id, step.pk,
                                  step.position, step.name, step.channel, step.mode,
                                  reference_id, status, due, due, finished))  # fmt: skip
        insert_rows(Action, rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def _item(ItemRow, entity_id: int, customer_id: int, n: int, first_day: date):
    number = (customer_id - 1) * ITEMS_PER_CUSTOMER + n
    issued = first_day + timedelta(days=(number * 7919) % 365)
    due = issued + timedelta(days=30)
    amount = Decimal(100 + (number * 37) % 9900)
    settled = due + timedelta(days=(number * 13) % 41 - 10)
    if number % 10 < 6 and settled < RUN_DAY:
        return ItemRow(entity_id, customer_id, "invoice", f"F{number:08d}", issued, due, amount,
                       Decimal(0), "EUR", settled_on=settled,
                       promise_date=settled - timedelta(days=number % 3))  # fmt: skip
    promise = RUN_DAY + timedelta(days=number % 40 - 10) if number % 10 == 6 else None
    disputed = number % 50 == 7
    return ItemRow(entity_id, customer_id, "invoice", f"F{number:08d}", issued, due, amount,
                   amount, "EUR", disputed=disputed, promise_date=promise)  # fmt: skip


def measure(label: str, function) -> None:
    best_wall = best_cpu = None
    for _ in range(ROUNDS):
        wall, cpu = time.perf_counter(), time.process_time()
        answer = function()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        best_wall = wall if best_wall is None else min(best_wall, wall)
        best_cpu = cpu if best_cpu is None else min(best_cpu, cpu)
    print(f"{label:<40} wall {best_wall * 1000:8.0f} ms   client CPU {best_cpu * 1000:7.0f} ms"
          f"   {answer}", flush=True)  # fmt: skip


def child(customers: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relance.config.settings")
    django.setup()
    from relance.core.models import Entity
    from relance.insights import behaviour, effectiveness, forecast

    started = time.perf_counter()
    populate(customers)
    print(
        f"populated {customers:,} customers, {customers * ITEMS_PER_CUSTOMER:,} invoices in "
        f"{time.perf_counter() - started:.1f} s; load average {os.getloadavg()}",
        flush=True,
    )
    entity = Entity.objects.get(slug=ENTITY)
    measure(
        "behaviour of every customer",
        lambda: f"{len(behaviour.behaviour_sums(entity, as_of=RUN_DAY)):,} customers",
    )
    measure(
        "behaviour of the entity",
        lambda: f"{behaviour.behaviour_of(entity, as_of=RUN_DAY).average_days_late} days late",
    )
    measure(
        "cash forecast, 13 weeks",
        lambda: f"{forecast.cash_forecast(entity, as_of=RUN_DAY).currencies[0].open_total} open",
    )
    measure(
        "step effectiveness",
        lambda: f"{len(effectiveness.step_effectiveness(entity, as_of=RUN_DAY))} step stages",
    )
    print(f"load average {os.getloadavg()}")


if __name__ == "__main__" and sys.argv[1:2] == ["child"]:
    child(int(sys.argv[2]))
