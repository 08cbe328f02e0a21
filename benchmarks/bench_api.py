"""API bulk upsert benchmark: items posted to /api/v1/items/bulk/ in requests of 10,000,
through the whole stack (token, JSON, the importers), into a fresh PostgreSQL database
that already holds the customers. Target (M2.8): 20,000 items/s.

Wall and CPU time (time.process_time of the Django process, and that of its PostgreSQL
backend, read from /proc where the server runs on this machine) are printed per pass: the
first creates every item, the second finds them all unchanged.
`python -m benchmarks api -- --items 100000`
"""

import argparse
import csv
import json
import os
import sys
import time

from benchmarks.bench_imports import write_files
from benchmarks.measure import BENCH_DIR, drop_database, fresh_database, relance, run_measured

PG_DATABASE = "relance_bench_api"
REQUEST_ITEMS = 10_000
TARGET = 20_000


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench_api")
    parser.add_argument("--items", type=int, default=100_000)
    args = parser.parse_args([str(arg) for arg in argv])
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    customers_csv, items_csv = write_files(args.items)
    url = fresh_database("postgresql", PG_DATABASE)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "RELANCE_VAR": str(BENCH_DIR / "var"),
        "API_RATE_LIMIT": "100000/minute",
    }
    try:
        relance(env, "migrate", "--no-input", "-v", "0")
        relance(env, "entity", "create", "bench", "--name", "Bench", "--country", "FR",
                "--currency", "EUR")  # fmt: skip
        relance(env, "import", "customers", str(customers_csv))
        command = [sys.executable, "-m", "benchmarks.bench_api", "--child", str(items_csv)]
        _seconds, _kb, output = run_measured(env, command, "api")
        for line in output.splitlines():
            passes = json.loads(line)
            rate = passes["items"] / passes["wall"]
            verdict = "met" if rate >= TARGET else "missed"
            backend = passes.get("db_cpu")
            backend = f" + {backend:5.1f} s PostgreSQL" if backend is not None else ""
            print(
                f"API bulk upsert, {passes['label']:<9} {passes['items']:>9,} items "
                f"{passes['wall']:6.1f} s wall {passes['cpu']:6.1f} s CPU{backend} "
                f"{rate:8,.0f} items/s (target {TARGET:,}: {verdict}; "
                f"load {os.getloadavg()[0]:.1f})",
                flush=True,
            )
    finally:
        drop_database("postgresql", PG_DATABASE)


def child(items_csv: str) -> None:
    """In the Django process: a credit manager's token, then two passes over the file."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relance.config.settings")
    django.setup()
    from django.test import Client

    from relance.accounts.models import User
    from relance.accounts.services import api_token_create
    from relance.core.models import Entity

    entity = Entity.objects.get(slug="bench")
    user = User.objects.create(username="bench-api", role="credit_manager", all_entities=True)
    _token, secret = api_token_create(user=user, name="bench")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_HOST="127.0.0.1")
    with open(items_csv, newline="") as handle:
        records = list(csv.DictReader(handle))
    for label in ("created", "unchanged"):
        wall, cpu, db_cpu = time.perf_counter(), time.process_time(), backend_cpu()
        for start in range(0, len(records), REQUEST_ITEMS):
            body = {"entity": entity.pk, "items": records[start : start + REQUEST_ITEMS]}
            response = client.post("/api/v1/items/bulk/", body, content_type="application/json")
            if response.status_code != 200:
                raise SystemExit(f"{response.status_code}: {response.content[:2000]!r}")
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        db_cpu = None if db_cpu is None else backend_cpu() - db_cpu
        passes = {"label": label, "items": len(records), "wall": wall, "cpu": cpu}
        print(json.dumps({**passes, "db_cpu": db_cpu}))


def backend_cpu() -> float | None:
    """CPU seconds of this process's PostgreSQL backend, if the server runs here."""
    from django.db import connection

    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2])
