"""API bulk upsert benchmark: items posted to /api/v1/items/bulk/ in requests of 10,000,
through the whole stack (gunicorn with the production settings, token, JSON, the
importers), into a fresh PostgreSQL database that already holds the customers.
Target (M2.8): 20,000 items/s.

`--clients N` runs N clients at once, each with its own HTTP connection, as an integrator
loading a ledger from several jobs does: the items are split by customer (customer k goes
to client k mod N), so that two requests never write the same rows. By default the bench
runs with 1 client, then with 2, each on a fresh copy of the database. Per run it prints
two passes: the first creates every item, the second finds them all unchanged, with the
aggregate rate (all items over the wall time of the pass), the CPU of gunicorn's workers,
how busy the machine was over the pass (every process, PostgreSQL included) and the load.
`python -m benchmarks api -- --items 100000 --clients 1 2`
"""

import argparse
import csv
import http.client
import json
import os
import subprocess
import sys
import threading
import time

from benchmarks.bench_imports import write_files
from benchmarks.bench_load import _free_port, production_env, serve
from benchmarks.measure import BENCH_DIR, ROOT, pg_admin, pg_url, relance

PG_DATABASE = "relance_bench_api"
REQUEST_ITEMS = 10_000
TARGET = 20_000


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench_api")
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=2, help="threads per process")
    parser.add_argument("--database", default=PG_DATABASE, help="PostgreSQL database name")
    args = parser.parse_args([str(arg) for arg in argv])
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    customers_csv, items_csv = write_files(args.items)
    with open(items_csv, newline="") as handle:
        records = list(csv.DictReader(handle))
    template, copy = f"{args.database}_template", args.database
    pg_admin(f"DROP DATABASE IF EXISTS {template}", f"CREATE DATABASE {template}")
    try:
        env = {**production_env(pg_url(template)), "API_RATE_LIMIT": "100000/minute"}
        relance(env, "migrate", "--no-input", "-v", "0")
        relance(env, "entity", "create", "bench", "--name", "Bench", "--country", "FR",
                "--currency", "EUR")  # fmt: skip
        relance(env, "import", "customers", str(customers_csv))
        for clients in args.clients:
            pg_admin(
                f"DROP DATABASE IF EXISTS {copy}", f"CREATE DATABASE {copy} TEMPLATE {template}"
            )
            env["DATABASE_URL"] = pg_url(copy)
            run(env, records, clients, args.workers, args.threads)
    finally:
        pg_admin(f"DROP DATABASE IF EXISTS {copy}", f"DROP DATABASE IF EXISTS {template}")


def run(env: dict, records: list[dict], clients: int, workers: int, threads: int) -> None:
    """`clients` clients at once against one gunicorn, two passes over the items."""
    entity, secret = json.loads(
        subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_api", "--token"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        ).stdout
    )
    shares = [[] for _ in range(clients)]
    for record in records:
        shares[int(record["customer_external_id"][1:]) % clients].append(record)
    bodies = [
        [
            json.dumps({"entity": entity, "items": share[start : start + REQUEST_ITEMS]}).encode()
            for start in range(0, len(share), REQUEST_ITEMS)
        ]
        for share in shares
    ]
    port = _free_port()
    server = serve(env, port, workers, threads)
    try:
        warm_up(port, secret, entity, records[:100], clients)
        for label in ("created", "unchanged"):
            machine, gunicorn = machine_busy(), tree_cpu(server.pid)
            wall = time.perf_counter()
            errors: list[str] = []
            senders = [
                threading.Thread(target=send, args=(port, secret, requests, errors))
                for requests in bodies
            ]
            for sender in senders:
                sender.start()
            for sender in senders:
                sender.join()
            wall = time.perf_counter() - wall
            if errors:
                raise SystemExit(errors[0])
            gunicorn = tree_cpu(server.pid) - gunicorn
            busy = machine_busy(machine)
            rate = len(records) / wall
            verdict = "met" if rate >= TARGET else "missed"
            print(
                f"API bulk upsert, {clients} client{'s' if clients > 1 else ' '} "
                f"{label:<9} {len(records):>9,} items {wall:6.1f} s wall "
                f"{gunicorn:6.1f} s CPU gunicorn, machine {busy:3.0f}% busy "
                f"{rate:8,.0f} items/s (target {TARGET:,}: {verdict}; "
                f"load {os.getloadavg()[0]:.1f})",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(60)


def warm_up(port: int, secret: str, entity: int, records: list[dict], clients: int) -> None:
    """A checked-only request per client at once (not counted): workers import and connect."""
    body = json.dumps({"entity": entity, "items": records}).encode()
    errors: list[str] = []
    senders = [
        threading.Thread(target=send, args=(port, secret, [body], errors, "?dry_run=true"))
        for _ in range(clients)
    ]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join()
    if errors:
        raise SystemExit(errors[0])


def send(port: int, secret: str, requests: list[bytes], errors: list[str], query="") -> None:
    """One client: its requests one after another on one keep-alive connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
    try:
        for body in requests:
            connection.request("POST", f"/api/v1/items/bulk/{query}", body, headers)
            response = connection.getresponse()
            content = response.read()
            if response.status != 200:
                errors.append(f"{response.status}: {content[:2000]!r}")
                return
    except OSError as exc:
        errors.append(repr(exc))
    finally:
        connection.close()


def tree_cpu(pid: int) -> float:
    """CPU seconds of a process and all its descendants alive now (gunicorn's workers)."""
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    pending += [int(child) for child in handle.read().split()]
        except OSError:
            continue
    return total


def machine_busy(since: tuple[int, int] | None = None):
    """(busy, total) jiffies of every core now; given an earlier reading, the % busy since."""
    with open("/proc/stat") as handle:
        values = [int(value) for value in handle.readline().split()[1:]]
    idle = values[3] + values[4]
    now = (sum(values) - idle, sum(values))
    if since is None:
        return now
    return 100 * (now[0] - since[0]) / max(1, now[1] - since[1])


def token() -> None:
    """In a Django process: the entity's id and a credit manager's token, as JSON."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relance.config.settings")
    django.setup()
    from relance.accounts.models import User
    from relance.accounts.services import api_token_create
    from relance.core.models import Entity

    entity = Entity.objects.get(slug="bench")
    user = User.objects.create(username="bench-api", role="credit_manager", all_entities=True)
    _token, secret = api_token_create(user=user, name="bench")
    print(json.dumps([entity.pk, secret]))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--token"]:
        token()
