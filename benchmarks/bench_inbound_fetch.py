"""Received emails fetched from a local IMAP server and stored per second: 2,000 messages
APPENDed to a throwaway Dovecot (IMAPS on 127.0.0.1) — customers' replies found by their
sender or an invoice number (some with a PDF), out-of-office answers, bounces, and mail
that matches nobody — then one `mailbox_fetch` of them all into a fresh SQLite file and a
fresh PostgreSQL database: download, parsing, dedupe, matching, storing, the customers'
responses and their timeline included. Target: 200 messages/s. The assistant's proposals
are queued for the Celery worker, as in production (an in-memory broker here); they are
then made in this process, one by one, and timed apart: the assistant's time per reply.

`python -m benchmarks inbound_fetch -- --messages 2000 --databases sqlite,postgresql`"""

import argparse
import json
import os
import subprocess
import sys
import textwrap

from benchmarks.measure import BENCH_DIR, ROOT, drop_database, fresh_database, relance

TARGET_PER_SECOND = 200
CUSTOMERS = 200
PG_DATABASE = "relance_bench_inbound"

MEASURE = textwrap.dedent(
    """
    import json, os, time
    from datetime import timedelta
    from decimal import Decimal
    import django
    django.setup()
    from django.db import connection
    from relance.core.models import Entity
    from relance.customers.models import Contact, Customer
    from relance.delivery.models import Connector
    from relance.inbound.fetching import mailbox_fetch
    from relance.ledger.models import Item

    entity = Entity.objects.get(slug="bench")
    entity.email = "relances@acme.example"
    entity.save()
    customers = Customer.objects.bulk_create(
        Customer(entity=entity, external_id=f"C{n:05d}", name=f"Client {n}")
        for n in range(__CUSTOMERS__)
    )
    Contact.objects.bulk_create(
        Contact(customer=c, email=f"ap{n}@client{n}.example", is_collection=True)
        for n, c in enumerate(customers)
    )
    today = entity.today()
    Item.objects.bulk_create(
        Item(
            entity=entity, customer=c, number=f"BF-{n:05d}", issue_date=today - timedelta(60),
            due_date=today - timedelta(30), amount=Decimal("1200.00"),
            open_amount=Decimal("1200.00"),
        )
        for n, c in enumerate(customers)
    )
    connector = Connector.objects.create(
        entity=entity, channel="mailbox", kind="imap", settings=json.loads(os.environ["BENCH_IMAP"])
    )
    started, cpu = time.perf_counter(), time.process_time()
    summary = mailbox_fetch(connector)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert not summary.error, summary.error
    rate = summary.stored / seconds
    print(
        f"{connection.vendor}: fetched {summary.fetched:,}, stored {summary.stored:,} "
        f"(replies {summary.replies}, auto-replies {summary.auto_replies}, bounces "
        f"{summary.bounces}, unassigned {summary.unassigned}, refused {summary.refused}) "
        f"in {seconds:.1f} s: {rate:.0f} messages/s, "
        f"{seconds / max(summary.fetched, 1) * 1000:.1f} ms each "
        f"({cpu / max(summary.fetched, 1) * 1000:.1f} ms of this process's CPU: a busy "
        f"machine shows in the difference)"
    )
    from relance.agenda.models import CustomerResponse
    from relance.assistant.services import proposal_create

    replies = list(CustomerResponse.objects.filter(kind="reply").order_by("id"))
    started = time.perf_counter()
    for response in replies:
        proposal_create(response=response)
    took = (time.perf_counter() - started) * 1000
    print(f"{connection.vendor}: the assistant (the worker's part): {len(replies):,} replies "
          f"read in {took / 1000:.1f} s, {took / max(len(replies), 1):.1f} ms each "
          f"(the model loaded once)")
    started = time.perf_counter()
    again = mailbox_fetch(connector)
    print(f"{connection.vendor}: a second fetch: fetched {again.fetched}, "
          f"stored {again.stored} in {(time.perf_counter() - started) * 1000:.0f} ms")
    verdict = "met" if rate >= __TARGET__ else "MISSED"
    print(f"{connection.vendor}: target __TARGET__ messages/s: {verdict}")
    """
)


def messages(count: int) -> list[bytes]:
    """`count` varied messages, deterministic."""
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relance.config.settings")
    import django

    django.setup()
    from relance.inbound.tests import mails

    pdf = b"%PDF-1.4 remittance advice\n" + b"0" * 20_000
    out = []
    for n in range(count):
        c = n % CUSTOMERS
        kind = n % 20
        sender, number = f"ap{c}@client{c}.example", f"BF-{c:05d}"
        quoted = f"Bonjour,\nvotre facture {number} de 1 200,00 EUR est échue.\nAcme France"
        if kind < 10:
            attachments = [("avis.pdf", pdf, "application/pdf")] if kind == 0 else []
            raw = mails.reply(
                sender=sender,
                subject=f"Re: Relance facture {number}",
                body=f"Bonjour, la facture {number} sera réglée le 15. Cordialement\n",
                quoted=quoted,
                attachments=attachments,
            )
        elif kind < 13:
            raw = mails.reply(
                sender=f"comptable{n}@cabinet.example",
                subject="Paiement",
                body=f"We paid invoice {number} yesterday, see the remittance.\n",
            )
        elif kind < 15:
            raw = mails.auto_reply(sender=sender)
        elif kind < 17:
            raw = mails.dsn(recipient=sender, original_message_id=f"<lost{n}@acme.example>")
        else:
            raw = mails.reply(
                sender=f"news{n}@shop.example", subject="Offers", body="Our offers this week.\n"
            )
        out.append(raw)
    return out


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench inbound_fetch")
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    options = parser.parse_args(argv)
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    from relance.inbound.tests.dovecot import Dovecot, available

    if not available():
        print("Dovecot is not installed (apt-get install dovecot-imapd): skipped")
        return
    server = Dovecot().start()
    try:
        batch = messages(options.messages)
        for start in range(0, len(batch), 200):
            server.append(*batch[start : start + 200])
        print(f"{len(batch):,} messages in the mailbox ({sum(map(len, batch)) // 1024:,} KiB)")
        for database in options.databases.split(","):
            _measure(database, server)
    finally:
        server.stop()


def _measure(database: str, server) -> None:
    name = PG_DATABASE if database == "postgresql" else "inbound"
    try:
        url = fresh_database(database, name)
    except Exception as exc:  # PostgreSQL not running here: said, not fatal
        print(f"{database}: skipped ({exc})")
        return
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "RELANCE_VAR": str(BENCH_DIR / "var-inbound"),
        "BENCH_IMAP": json.dumps(server.settings()),
        "DJANGO_SETTINGS_MODULE": "relance.config.settings",
        "DEBUG": "false",  # as in production: no query log
        "SECRET_KEY": "bench-inbound-" + "k" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "CELERY_BROKER_URL": "memory://",  # the proposals queued for a worker, not made inline
        "CELERY_RESULT_BACKEND": "cache+memory://",
    }
    try:
        relance(env, "migrate", "--no-input", "-v", "0", name="inbound")
        relance(env, "entity", "create", "bench", "--name", "Bench", "--country", "FR",
                "--currency", "EUR", name="inbound")  # fmt: skip
        script = MEASURE.replace("__CUSTOMERS__", str(CUSTOMERS))
        script = script.replace("__TARGET__", str(TARGET_PER_SECOND))
        subprocess.run([sys.executable, "-c", script], env=env, check=True, cwd=ROOT)
    finally:
        drop_database(database, name)


if __name__ == "__main__":
    main(sys.argv[1:])
