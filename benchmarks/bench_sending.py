"""Sending benchmark: N due automatic email actions (10,000 by default) sent through the
engine's executor (`actions_execute`, in chunks of the runner's CHUNK_SIZE) to an aiosmtpd
server on 127.0.0.1 that counts and discards, with 1 worker process and with 2 (each takes
a contiguous share of the actions, as the runner's processes take chunks of customers),
on PostgreSQL and SQLite. Target: 1,000 emails/s on PostgreSQL with one worker.

Each customer has one collection contact and two open invoices (bench_engine's data); the
actions are those of the entity's first automatic email step (`relance setup`), due on the
run day. Between two measures the actions are put back `planned` and the outbox emptied.
The workers set Django up first, then wait for one signal: the time is from that signal to
the last worker's end, and the server must have received each message exactly once.

`python -m benchmarks sending -- --actions 10000 --databases postgresql,sqlite --workers 1,2`
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import threading
import time

from benchmarks.bench_engine import ENTITY, RUN_DAY
from benchmarks.measure import BENCH_DIR, ROOT, drop_database, fresh_database, relance

PG_DATABASE = "relance_bench_sending"
TARGET_PER_SECOND = 1000
CHUNK = 2000  # engine.runner.CHUNK_SIZE: what one round hands to the executor at most


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench_sending")
    parser.add_argument("--actions", type=int, default=10_000)
    parser.add_argument("--databases", default="postgresql,sqlite")
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument("--pg-name", default=PG_DATABASE, help="the PostgreSQL database's name")
    args = parser.parse_args([str(arg) for arg in argv])
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    workers = [int(n) for n in args.workers.split(",")]
    results = []
    for database in args.databases.split(","):
        results += bench(database, args.actions, workers, args.keep, args.pg_name)
    print_table(results)


class Sink:
    """Accepts and discards; counts the messages and their distinct Message-IDs."""

    def __init__(self):
        self.count, self.ids, self.lock = 0, set(), threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        head = envelope.content.split(b"\r\n\r\n", 1)[0]
        message_id = next(
            (line for line in head.split(b"\r\n") if line.lower().startswith(b"message-id:")),
            b"",
        )
        with self.lock:
            self.count += 1
            self.ids.add(message_id)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench(
    database: str, actions: int, workers: list[int], keep: bool, pg_name: str = PG_DATABASE
) -> list[tuple]:
    from aiosmtpd.controller import Controller

    name = pg_name if database == "postgresql" else "sending"
    url = fresh_database(database, name)
    sink, port = Sink(), _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "RELANCE_VAR": str(BENCH_DIR / "var"),
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "DJANGO_SETTINGS_MODULE": "relance.config.settings",
    }
    results = []
    try:
        relance(env, "migrate", "--no-input", "-v", "0", name="sending")
        relance(env, "entity", "create", ENTITY, "--name", "Bench", "--country", "FR",
                "--currency", "EUR", name="sending")  # fmt: skip
        relance(env, "setup", name="sending")
        print(f"{database:<10} {_child(env, 'populate', str(actions)).strip()}", flush=True)
        for count in workers:
            sink.count = 0
            ceiling = _ceiling(env, count, min(actions, 5000))
            print(f"{database:<10} {count} worker(s): the SMTP ceiling, bare smtplib on one "
                  f"session each: {ceiling:,.0f}/s", flush=True)  # fmt: skip
            _child(env, "reset")
            sink.count, sink.ids = 0, set()
            try:
                seconds, cpu, outcomes = _measure(env, count)
            except RuntimeError as exc:
                print(f"{database:<10} {count} worker(s): failed: {exc}", flush=True)
                results.append((database, count, actions, None, None, "failed", ceiling))
                continue
            once = sink.count == len(sink.ids) == actions
            check = "each once" if once else f"{sink.count} received, {len(sink.ids)} distinct"
            rate = actions / seconds
            print(f"{database:<10} {count} worker(s): {actions:,} emails in {seconds:.1f} s = "
                  f"{rate:,.0f}/s, workers' CPU {cpu:.1f} s = {cpu * 1000 / actions:.2f} ms "
                  f"per email ({outcomes}; {check}; load {os.getloadavg()[0]:.1f})",
                  flush=True)  # fmt: skip
            results.append((database, count, actions, seconds, cpu, check, ceiling))
        return results
    finally:
        controller.stop()
        if not keep:
            drop_database(database, name)


def _ceiling(env: dict, count: int, messages: int) -> float:
    """Messages/s of `count` processes that only hand over a rendered-size message with
    smtplib, one session each: what the server and this machine allow at best."""
    argv = [sys.executable, "-m", "benchmarks.bench_sending", "ceiling", str(messages // count)]
    started = time.perf_counter()
    processes = [subprocess.Popen(argv, env=env, cwd=ROOT) for _n in range(count)]
    if any(process.wait() for process in processes):
        raise RuntimeError("the ceiling's smtplib client failed")
    return messages // count * count / (time.perf_counter() - started)


def ceiling(messages: int) -> None:
    import smtplib
    from urllib.parse import urlsplit

    server = urlsplit(os.environ["EMAIL_URL"])
    body = "Dear customer, your invoice F00000001 is overdue.\r\n" * 80  # about 4 KB
    head = "From: relance@bench.example\r\nTo: c1@bench.example\r\nSubject: Reminder\r\n"
    with smtplib.SMTP(server.hostname, server.port) as session:
        for n in range(messages):
            message = f"{head}Message-ID: <ceiling.{os.getpid()}.{n}@bench>\r\n\r\n{body}"
            session.sendmail("relance@bench.example", ["c1@bench.example"], message.encode())


def _child(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_sending", *args],
        env=env, cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode:
        raise RuntimeError(done.stderr[-3000:])
    return done.stdout


def _measure(env: dict, count: int) -> tuple[float, float, dict]:
    """Start `count` workers, let them go at once; (seconds, the workers' CPU seconds,
    outcomes summed)."""
    argv = [sys.executable, "-m", "benchmarks.bench_sending", "send"]
    processes = []
    for index in range(count):
        with open(BENCH_DIR / f"sending-{index}.err", "w") as errors:
            command = [*argv, str(index), str(count)]
            pipes = {"stdin": subprocess.PIPE, "stdout": subprocess.PIPE, "stderr": errors}
            processes.append(subprocess.Popen(command, env=env, cwd=ROOT, text=True, **pipes))
    for process in processes:
        if process.stdout.readline().strip() != "ready":
            raise RuntimeError(f"a worker did not start: see {BENCH_DIR}/sending-*.err")
    for process in processes:
        process.stdin.write("go\n")
        process.stdin.flush()
    reports = []
    for process in processes:
        line = process.stdout.readline()
        if process.wait() or not line:
            raise RuntimeError(f"a worker failed: see {BENCH_DIR}/sending-*.err")
        reports.append(json.loads(line))
    outcomes: dict[str, int] = {}
    for report in reports:
        for status, n in report["outcomes"].items():
            outcomes[status] = outcomes.get(status, 0) + n
    seconds = max(r["end"] for r in reports) - min(r["start"] for r in reports)
    return seconds, sum(r["cpu"] for r in reports), outcomes


# --- in the child processes, Django set up ---------------------------------------------


def populate(actions: int) -> None:
    """bench_engine's customers (two open invoices each), one due automatic email each."""
    from benchmarks.bench_engine import populate as customers_populate

    customers_populate(actions, 2)  # sets Django up
    from relance.agenda.models import Action
    from relance.core.models import Entity
    from relance.ledger.models import Item
    from relance.scenarios.models import Step

    entity = Entity.objects.get(slug=ENTITY)
    steps = Step.objects.filter(scenario=entity.default_scenario, channel="email", mode="auto")
    step = steps.select_related("scenario").filter(offset_days__gt=0).order_by("position")[0]
    first_items = {}
    for customer_id, item_id in Item.objects.filter(entity=entity).values_list("customer_id", "id"):
        first_items.setdefault(customer_id, item_id)
    Action.objects.bulk_create(
        [
            Action(
                entity=entity,
                customer_id=customer_id,
                scenario=step.scenario,
                step=step,
                step_position=step.position,
                step_name=step.name,
                channel=step.channel,
                mode=step.mode,
                reference_id=item_id,
                created_on=RUN_DAY,
                due_date=RUN_DAY,
            )
            for customer_id, item_id in sorted(first_items.items())
        ],
        batch_size=2000,
    )
    print(f"{len(first_items):,} due automatic emails ({step.scenario.name}: {step.name})")
    _analyze()


def reset() -> None:
    import django

    django.setup()
    from relance.agenda.models import Action
    from relance.delivery.models import Outbox

    Outbox.objects.all().delete()
    Action.objects.update(status="planned", finished_on=None, error_message="", note="")
    _analyze()


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def send(index: int, workers: int) -> None:
    import django

    django.setup()
    from relance.agenda.models import Action
    from relance.delivery.services import actions_execute

    ids = sorted(Action.objects.filter(status="planned").values_list("pk", flat=True))
    share = ids[index * len(ids) // workers : (index + 1) * len(ids) // workers]
    print("ready", flush=True)
    sys.stdin.readline()
    start, cpu, outcomes = time.time(), sum(os.times()[:2]), {}
    for first in range(0, len(share), CHUNK):
        done = actions_execute(action_ids=share[first : first + CHUNK], day=RUN_DAY)
        for status in done.values():
            outcomes[status] = outcomes.get(status, 0) + 1
    cpu = sum(os.times()[:2]) - cpu
    report = {"start": start, "end": time.time(), "cpu": cpu, "outcomes": outcomes}
    print(json.dumps(report), flush=True)


def print_table(results: list[tuple]) -> None:
    """Emails/s on the clock, the workers' CPU per email and emails per CPU second of the
    workers (what free cores would allow: this machine's are shared), and the bare SMTP
    ceiling of as many sessions."""
    print()
    print("| database | workers | emails | seconds | emails/s | CPU ms/email | "
          "per worker CPU s | SMTP ceiling/s | server |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for database, workers, actions, seconds, cpu, check, ceiling in results:
        if seconds is None:
            print(f"| {database} | {workers} | {actions:,} | – | – | – | – | {ceiling:,.0f} | "
                  f"{check} |")  # fmt: skip
            continue
        print(f"| {database} | {workers} | {actions:,} | {seconds:.1f} | "
              f"{actions / seconds:,.0f} | {cpu * 1000 / actions:.2f} | {actions / cpu:,.0f} | "
              f"{ceiling:,.0f} | {check} |")  # fmt: skip
    one = [r for r in results if r[0] == "postgresql" and r[1] == 1 and r[3]]
    if one:
        rate = one[0][2] / one[0][3]
        verdict = "met" if rate >= TARGET_PER_SECOND else "MISSED"
        print(f"\ntarget: {TARGET_PER_SECOND:,} emails/s on PostgreSQL, one worker: {verdict}")


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "populate":
        populate(int(sys.argv[2]))
    elif command == "reset":
        reset()
    elif command == "ceiling":
        ceiling(int(sys.argv[2]))
    elif command == "send":
        send(int(sys.argv[2]), int(sys.argv[3]))
    else:
        main(sys.argv[1:])
