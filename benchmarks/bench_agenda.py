"""Server time of the agenda tabs with 1,000,000 actions for ~100,000 customers.

Starts from the demo company (var/bench/pages-N.sqlite3 of bench_pages, copied, or a fresh
`relance demo`), replaces its actions by `--actions` rows written with demo/bulk.py's
insert_rows (COPY on PostgreSQL, executemany on SQLite): per customer, one open action
(manual or automatic) and the rest finished, as the engine leaves them after months. Then
times each tab with Django's test client in a fresh process, as alice (credit manager),
with DEBUG off as in production.
The database is kept in var/bench/agenda-N-M.sqlite3 between runs.
"""

import argparse
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RELANCE = [sys.executable, "-m", "relance"]
TABS = ["agenda:manual", "agenda:automatic", "agenda:history", "agenda:responses"]

FILL = textwrap.dedent(
    """
    import random, sys, time
    from datetime import timedelta
    from typing import NamedTuple
    import django
    django.setup()
    from django.db import connection, transaction
    from django.db.models import Min
    from relance.agenda.models import Action, CustomerResponse
    from relance.core.models import Entity
    from relance.demo.bulk import insert_rows
    from relance.ledger.models import Item
    from relance.scenarios.models import Scenario, Step

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
        created_on: object
        due_date: object
        finished_on: object

    target = int(sys.argv[1])
    rng = random.Random(1)
    started = time.perf_counter()
    # Whole tables emptied in SQL (the ORM's delete would list a million ids): the outbox
    # and the responses are the rows that point at actions.
    from relance.delivery.models import Outbox
    with connection.cursor() as cursor:
        for model in (Outbox, CustomerResponse, Action):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")
    scenario = Scenario.objects.filter(steps__isnull=False).first()
    if scenario is None:
        scenario = Scenario.objects.create(name="Bench")
        for position, (channel, mode) in enumerate(
            [("email", "auto"), ("call", "manual"), ("registered_letter", "manual")], start=1
        ):
            Step.objects.create(scenario=scenario, position=position, name=f"step {position}",
                                channel=channel, mode=mode, anchor="due_date",
                                offset_days=position * 5)
    steps = list(scenario.steps.order_by("position"))
    todays = {entity.pk: entity.today() for entity in Entity.objects.all()}
    references = list(
        Item.objects.filter(kind="invoice").order_by().values("customer_id", "entity_id")
        .annotate(reference=Min("id")).values_list("customer_id", "entity_id", "reference")
    )
    per_customer = max(1, -(-target // len(references)))
    rows = []
    for customer_id, entity_id, reference in references:
        today = todays[entity_id]
        for number in range(per_customer):
            if len(rows) >= target:
                break
            is_open = number == per_customer - 1
            step = rng.choice(steps) if is_open else steps[number % len(steps)]
            due = today + timedelta(days=rng.randint(-10, 20) if is_open else -rng.randint(1, 400))
            if not is_open:
                status = rng.choice(["sent", "done", "skipped"])
            elif step.mode == "auto_confirm":
                status = rng.choice(["to_confirm", "to_confirm", "confirmed"])
            elif step.mode == "auto":
                status = "error" if rng.random() < 0.05 else "planned"
            else:
                status = "planned"
            rows.append(ActionRow(
                entity_id, customer_id, scenario.pk, step.pk, step.position, step.name,
                step.channel, step.mode, reference, status, due - timedelta(days=10), due,
                None if is_open else due,
            ))
    with transaction.atomic():
        insert_rows(Action, rows)
    # Statistics, as autovacuum keeps them (PostgreSQL: and the visibility map that lets
    # the counters read their index alone).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "VACUUM ANALYZE")
    print(f"{len(rows):,} actions for {len(references):,} customers written in "
          f"{time.perf_counter() - started:.0f} s", flush=True)
    """
)

MEASURE = textwrap.dedent(
    """
    import statistics, sys, time
    import django
    django.setup()
    from django.test import Client
    from django.urls import reverse
    from relance.accounts.models import User
    from relance.agenda.models import Action, CustomerResponse

    client = Client()
    client.force_login(User.objects.get(username="alice"))
    print(f"{Action.objects.count():,} actions")
    print(f"{'tab':<40} {'median ms':>10} {'max ms':>8}")
    for name in sys.argv[1:]:
        url = reverse(name)
        timings = []
        for _ in range(5):
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        print(f"{name:<40} {statistics.median(timings):>10.0f} {max(timings):>8.0f}", flush=True)
    """
)


def _build_demo(database: Path, customers: int, env: dict) -> None:
    pages = database.parent / f"pages-{customers}.sqlite3"
    if pages.exists():
        print(f"copying {pages.name} …", flush=True)
        shutil.copyfile(pages, database)
        subprocess.run([*RELANCE, "migrate", "-v", "0"], env=env, check=True)
        return
    subprocess.run([*RELANCE, "migrate", "-v", "0"], env=env, check=True)
    print(f"building the demo with {customers:,} customers (once) …", flush=True)
    command = [*RELANCE, "demo", "--customers", str(customers), "--seed", "1"]
    subprocess.run([*command, "--engine-days", "1"], env=env, check=True, stdout=subprocess.DEVNULL)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench agenda")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--actions", type=int, default=1_000_000)
    parser.add_argument("--refill", action="store_true", help="replace the database's actions")
    args, _unknown = parser.parse_known_args(argv)
    env = {**os.environ, "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "relance.config.settings"}
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        database = ROOT / "var" / "bench" / f"agenda-{args.customers}-{args.actions}.sqlite3"
        database.parent.mkdir(parents=True, exist_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{database}"
        fresh = not database.exists() or args.refill
        if not database.exists():
            _build_demo(database, args.customers, env)
    else:  # PostgreSQL: its actions are replaced only when asked to (--refill)
        fresh = args.refill
        subprocess.run([*RELANCE, "migrate", "-v", "0"], env=env, check=True)
    if fresh:
        subprocess.run([sys.executable, "-c", FILL, str(args.actions)], env=env, check=True)
    # Measured as served in production: DEBUG off (no query log, cached templates).
    production = {**env, "DEBUG": "false", "ALLOWED_HOSTS": "testserver"}
    production["SECRET_KEY"] = "bench-" + "x" * 40
    production["PYTHONWARNINGS"] = "ignore::UserWarning"  # no collected static files here
    subprocess.run([sys.executable, "-c", MEASURE, *TABS], env=production, check=True, cwd=ROOT)


if __name__ == "__main__":
    main(sys.argv[1:])
