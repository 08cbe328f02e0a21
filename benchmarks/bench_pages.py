"""Server time of the main pages at scale: the demo company with 100,000 customers.

Builds the demo once into var/bench/pages-N.sqlite3 (kept between runs), then times each page
with Django's test client in a fresh process, as a logged-in credit manager.
"""

import argparse
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RELANCE = [sys.executable, "-m", "relance"]
PAGES = [
    "/customers/",
    "/customers/?sort=-outstanding",
    "/customers/?sort=-overdue",
    "/customers/?sort=-days_overdue",
    "/customers/?q=martin",
    "/customers/?overdue=true&page=50",
    "/ledger/items/",
    "/ledger/items/?status=open&sort=-open_amount",
]

MEASURE = textwrap.dedent(
    """
    import statistics, sys, time
    import django
    django.setup()
    from django.test import Client
    from relance.accounts.models import User
    from relance.customers.models import Customer
    from relance.ledger.models import Item

    client = Client()
    client.force_login(User.objects.get(username="alice"))
    customer = Customer.objects.order_by("id").first()
    print(f"{Customer.objects.count():,} customers, {Item.objects.count():,} items")
    print(f"{'page':<45} {'median ms':>10} {'max ms':>8}")
    for url in sys.argv[1:] + [f"/customers/{customer.pk}/"]:
        timings = []
        for _ in range(5):
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        print(f"{url:<45} {statistics.median(timings):>10.0f} {max(timings):>8.0f}")
    """
)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench pages")
    parser.add_argument("--customers", type=int, default=100_000)
    args, _unknown = parser.parse_known_args(argv)
    database = ROOT / "var" / "bench" / f"pages-{args.customers}.sqlite3"
    database.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DEBUG": "true"}
    build = not database.exists()
    subprocess.run([*RELANCE, "migrate", "-v", "0"], env=env, check=True)
    if build:
        print(f"building the demo with {args.customers:,} customers (once) …", flush=True)
        subprocess.run(
            [
                *RELANCE,
                "demo",
                "--customers",
                str(args.customers),
                "--seed",
                "1",
                "--engine-days",
                "1",
            ],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    subprocess.run(
        [sys.executable, "-c", MEASURE, *PAGES],
        env={**env, "DJANGO_SETTINGS_MODULE": "relance.config.settings"},
        check=True,
    )
