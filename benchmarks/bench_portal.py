"""Server time of the customer's page (portal) for a customer with 1,000 open items: the
demo (a few customers) in a throwaway SQLite database, one of its customers given 1,000
more open invoices and credit notes in two currencies, then the page timed with Django's
test client in a fresh process with the production settings. Target: under 200 ms."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RELANCE = [sys.executable, "-m", "relance"]
ITEMS = 1000
TARGET_MS = 200

MEASURE = textwrap.dedent(
    f"""
    import statistics, time
    from datetime import timedelta
    from decimal import Decimal
    import django
    django.setup()
    from django.test import Client
    from relance.customers.models import Customer
    from relance.ledger.models import Item
    from relance.portal.services import portal_link_issue

    customer = Customer.objects.order_by("id").first()
    today = customer.entity.today()
    Item.objects.bulk_create(
        Item(
            entity_id=customer.entity_id,
            customer=customer,
            kind="invoice" if n % 10 else "credit_note",
            number=f"BENCH-{{n:05d}}",
            issue_date=today - timedelta(days=30 + n % 200),
            due_date=today - timedelta(days=n % 200 - 20),
            amount=Decimal("120.50") + n,
            open_amount=Decimal("100.25") + n,
            currency="EUR" if n % 7 else "USD",
        )
        for n in range({ITEMS})
    )
    url = portal_link_issue(customer=customer).split("://", 1)[1].split("/", 1)[1]
    client = Client()
    response = client.get("/" + url)
    assert response.status_code == 200, response.status_code
    opened = Item.objects.filter(customer=customer, open_amount__gt=0).count()
    timings = []
    for _ in range(10):
        started = time.perf_counter()
        response = client.get("/" + url)
        timings.append((time.perf_counter() - started) * 1000)
    assert response.status_code == 200
    assert b"BENCH-00999" in response.content
    median = statistics.median(timings)
    print(f"customer's page, {{opened:,}} open items: median {{median:.0f}} ms, "
          f"max {{max(timings):.0f}} ms ({{len(response.content) // 1024}} KiB)")
    verdict = "met" if median < {TARGET_MS} else "MISSED"
    print(f"target: under {TARGET_MS} ms: {{verdict}}")
    """
)


def main(argv: list[str]) -> None:
    database = ROOT / "var" / "bench" / "portal.sqlite3"
    database.parent.mkdir(parents=True, exist_ok=True)
    database.unlink(missing_ok=True)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DEBUG": "true"}
    subprocess.run([*RELANCE, "migrate", "-v", "0"], env=env, check=True)
    demo = [*RELANCE, "demo", "--customers", "10", "--seed", "1", "--engine-days", "0"]
    subprocess.run(demo, env=env, check=True, stdout=subprocess.DEVNULL)
    production = {
        **env,
        "DEBUG": "false",
        "SECRET_KEY": "bench-portal-" + "k" * 40,
        "ALLOWED_HOSTS": "testserver,127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "STATIC_MANIFEST": "false",
        "PYTHONWARNINGS": "ignore::UserWarning",
        "DJANGO_SETTINGS_MODULE": "relance.config.settings",
    }
    subprocess.run([sys.executable, "-c", MEASURE], env=production, check=True)
