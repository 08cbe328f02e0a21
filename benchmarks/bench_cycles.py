"""Planning day after day: four cycles of the same ledger (run dates +0, +15, +30 and +45
days), with payments between them, on PostgreSQL. Each cycle is its own process, as a
daily `relance run` is: the run plans for real without sending (`run_day(send=False)`,
one process: the plan time), then the send tick sends the due automatic emails through
the real send path (outbox, SMTP) to an aiosmtpd server on 127.0.0.1, in the benchmark's
own process (bench_sending's Sink), that counts and discards them (the send time); each
cycle's line says whether the server got every email sent exactly once.

History accumulates from one cycle to the next (finished actions, outbox rows) and
nothing runs VACUUM or ANALYZE between cycles but what Relance runs itself (autovacuum is
off on this machine's server): the plan time of the fourth cycle must stay within 1.5
times the first's. The data is bench_engine's (`populate`): one collection contact per
customer, ten open invoices each, due over the year before the first run date.

Payments between cycles: a quarter of the overdue open invoices are paid in full
(settled on the run date), written by one UPDATE as a payment import would write them.

`python -m benchmarks cycles` runs 10,000 customers (ten invoices each); `-- --sizes
10000,100000` adds the 1,000,000-invoice ledger. Sending ~95,000 emails a cycle at that
size takes hours at today's speed (about 20 to 90 a second here), so `--sending recorded`
replaces the send tick by what it leaves behind: each due automatic email's outbox row
`sent` and its action `sent` on the run date, written in two statements, then ANALYZE as
the tick does after a bulk write. The plan times, the figure this benchmark judges, then
face the same history; the send time is not measured.
"""

import argparse
import os
import re
import socket
import sys
import time
from datetime import datetime, timedelta
from datetime import time as clock_time

from benchmarks.bench_engine import RUN_DAY, populate
from benchmarks.bench_sending import Sink
from benchmarks.measure import BENCH_DIR, drop_database, fresh_database, relance, run_measured

# BENCH_PG_PREFIX: a prefix of one's own, when several people benchmark on one server.
PG_DATABASE = os.environ.get("BENCH_PG_PREFIX", "") + "relance_bench_cycles"
ENTITY = "bench"  # populate's entity
CYCLES = 4
DAYS_BETWEEN = 15
ITEMS_PER_CUSTOMER = 10
TARGET_RATIO = 1.5


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench_cycles")
    parser.add_argument(
        "--sizes",
        default="10000",
        help="customers per ledger, comma-separated (ten open invoices each); 100000: 1M items",
    )
    parser.add_argument(
        "--sending",
        choices=("smtp", "recorded"),
        default="smtp",
        help="smtp: the send tick to a local SMTP server; recorded: its rows written in bulk",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args([str(arg) for arg in argv])
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    results = []
    for customers in [int(size) for size in args.sizes.split(",")]:
        results.append((customers, bench(customers, args.keep, args.sending)))
    print_table(results)


def bench(customers: int, keep: bool, sending: str = "smtp") -> list[dict]:
    from aiosmtpd.controller import Controller

    port, sink = _free_port(), Sink()
    server = Controller(sink, hostname="127.0.0.1", port=port)
    server.start()
    database = f"{PG_DATABASE}_{customers}"  # one per size
    url = fresh_database("postgresql", database)
    env = {**os.environ, "DATABASE_URL": url, "RELANCE_VAR": str(BENCH_DIR / "var")}
    env["EMAIL_URL"] = f"smtp://127.0.0.1:{port}"
    cycles = []
    try:
        relance(env, "migrate", "--no-input", "-v", "0", name="cycles")
        relance(env, "entity", "create", ENTITY, "--name", "Bench", "--country", "FR",
                "--currency", "EUR", name="cycles")  # fmt: skip
        relance(env, "setup", name="cycles")
        name = f"cycles-{customers}"  # var/bench/NAME.out: one per size
        seconds, _kb, out = _python(env, "populate", str(customers), name=name)
        print(f"populate {seconds:7.1f} s  {out.strip()}", flush=True)
        for number in range(CYCLES):
            sink.count, sink.ids = 0, set()
            _s, peak_kb, out = _python(env, "cycle", str(number), sending, name=name)
            figures = dict(re.findall(r"(\w+)=(\S+)", out))
            figures["peak_mb"] = peak_kb / 1024
            figures["server"] = _received(sink, int(figures["sent"]), sending)
            cycles.append(figures)
            print(f"{customers:,} customers, cycle {number + 1} ({figures['day']}): plan "
                  f"{float(figures['plan']):6.1f} s, send {float(figures['send']):6.1f} s "
                  f"({figures['sent']} sent, {figures['errors']} errors, at the server: "
                  f"{figures['server']}), paid before "
                  f"{figures['paid']}, created {figures['created']}, "
                  f"{figures['peak_mb']:.0f} MB", flush=True)  # fmt: skip
        return cycles
    finally:
        server.stop()
        if not keep:
            drop_database("postgresql", database)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _received(sink: Sink, sent: int, sending: str) -> str:
    """What the SMTP server got of a cycle's emails: each exactly once, or what went wrong."""
    if sending == "recorded":
        return "nothing sent (recorded)"
    if sink.count == len(sink.ids) == sent:
        return "each once"
    return f"{sink.count} received, {len(sink.ids)} distinct"


def print_table(results: list[tuple[int, list[dict]]]) -> None:
    print()
    print("| customers | cycle | run date | plan (s) | send (s) | sent | emails/s | server |")
    print("|---:|---:|---|---:|---:|---:|---:|---|")
    for customers, cycles in results:
        for number, figures in enumerate(cycles, 1):
            plan, send, sent = float(figures["plan"]), float(figures["send"]), int(figures["sent"])
            rate = sent / send if send else 0.0
            print(f"| {customers:,} | {number} | {figures['day']} | {plan:.1f} | {send:.1f} | "
                  f"{sent:,} | {rate:.0f} | {figures['server']} |")  # fmt: skip
    for customers, cycles in results:
        if len(cycles) < CYCLES:
            continue
        first, last = float(cycles[0]["plan"]), float(cycles[-1]["plan"])
        ratio = last / first if first else float("inf")
        verdict = "met" if ratio <= TARGET_RATIO else "MISSED"
        print(f"target at {customers:,} customers: cycle {CYCLES}'s plan within "
              f"{TARGET_RATIO}x cycle 1's: {ratio:.2f}x, {verdict}")  # fmt: skip


# --- a cycle, in its own process with Django set up --------------------------------------


def cycle(number: int, sending: str = "smtp") -> None:
    """Pay, plan for real without sending, then send what is due (or record it sent:
    `recorded`); prints its figures."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relance.config.settings")
    django.setup()
    from relance.core.models import Entity
    from relance.engine.runner import run_day
    from relance.engine.sendtick import entity_send_tick

    entity = Entity.objects.get(slug=ENTITY)
    day = RUN_DAY + timedelta(days=DAYS_BETWEEN * number)
    paid = _pay(entity, day) if number else 0
    started = time.perf_counter()
    summary = run_day(entity=entity, day=day, send=False, processes=1)
    plan = time.perf_counter() - started
    # Mid-morning of the run date, in the sending hours of a working day.
    ten = datetime.combine(day, clock_time(10), tzinfo=entity.local_now().tzinfo)
    started = time.perf_counter()
    if sending == "recorded":
        sent, errors = _record_sent(entity, day), 0
    else:
        tick = entity_send_tick(entity=entity, now=ten)
        sent, errors = (tick.sent, tick.errors) if tick else (0, 0)
    send = time.perf_counter() - started
    print(f"day={day.isoformat()} plan={plan:.2f} send={send:.2f} sent={sent} errors={errors} "
          f"paid={paid} created={summary.created} recovered={summary.recovered}")  # fmt: skip


def _pay(entity, day) -> int:
    """A quarter of the overdue open invoices paid in full, settled on `day`."""
    from django.db import connection

    from relance.ledger.models import Item

    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Item._meta.db_table} SET open_amount = 0, settled_on = %s, "
            "updated_at = now() WHERE entity_id = %s AND open_amount > 0 AND due_date < %s "
            "AND id %% 4 = %s",
            [day, entity.pk, day, day.toordinal() % 4],
        )
        return cursor.rowcount


def _record_sent(entity, day) -> int:
    """What the send tick leaves behind, without sending: an outbox row `sent` per due
    automatic email and its action `sent` on `day`; then ANALYZE, as the tick does."""
    from django.db import connection, transaction

    from relance.agenda.models import Action
    from relance.core.statistics import tables_analyze
    from relance.delivery.models import Outbox
    from relance.engine.sendtick import executable_due

    due = executable_due(entity, day).filter(channel="email")
    ids = list(due.values_list("pk", flat=True))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Outbox._meta.db_table} (action_id, attempt, key, channel, status, "
            "day, message_id, recipients, subject, body, html, error, idempotency_key, "
            "uncertain, provider_id, provider_status, proof, created_at, updated_at) "
            "SELECT a.id, 1, 'action-' || a.id || '-1', a.channel, 'sent', %s, "
            "'<relance.action-' || a.id || '-1@bench.example>', 'c' || a.customer_id || "
            "'@bench.example', 'Reminder', '', '', '', '', false, '', '', '{}', now(), now() "
            f"FROM {Action._meta.db_table} a WHERE a.id = ANY(%s)",
            [day, ids],
        )
        Action.objects.filter(pk__in=ids).update(status="sent", finished_on=day)
    tables_analyze(Action, Outbox, rows=2 * len(ids))
    return len(ids)


def _python(env: dict, *args: str, name: str = "cycles") -> tuple[float, int, str]:
    return run_measured(env, [sys.executable, "-m", "benchmarks.bench_cycles", *args], name)


if __name__ == "__main__":
    if sys.argv[1:2] == ["populate"]:
        populate(int(sys.argv[2]), ITEMS_PER_CUSTOMER)
    elif sys.argv[1:2] == ["cycle"]:
        cycle(int(sys.argv[2]), *sys.argv[3:4])
    else:
        main(sys.argv[1:])
