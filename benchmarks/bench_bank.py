"""Bank matching benchmark: a camt.053 statement of LINES credit lines imported and matched
against CUSTOMERS customers with ten open invoices each (1,000,000 open items at the
default size), on PostgreSQL; the issue's target is under 30 s for 10,000 lines against
1,000,000 open items.

The ledger is written straight into the tables (`demo.bulk.insert_rows`: COPY on
PostgreSQL); one customer in five has a known payer IBAN. The statement's lines, in turn:
30 % name an invoice number in the text (paid in full), 15 % carry the ISO 11649 reference
the customer page prints for one invoice, 20 % come from a known IBAN for the amount of
one of its invoices, 10 % from a known IBAN for the sum of two, 10 % name an invoice and
pay part of it, 15 % match nothing (an unknown payer, a free text).

Times: the whole import (reading the file, storing the lines, matching, settling, the
allocations) and, inside it, the matching's reads and decisions alone; wall-clock, with
the Python process's CPU.

`python -m benchmarks bank -- --customers 100000 --lines 10000 --databases postgresql`
"""

import argparse
import os
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from benchmarks.measure import BENCH_DIR, drop_database, fresh_database, relance, run_measured

PG_DATABASE = os.environ.get("BENCH_BANK_DATABASE", "relance_bench_bank")
ENTITY = "bench"
ITEMS_PER_CUSTOMER = 10
IBAN_EVERY = 5  # one customer in five pays from a known IBAN
TARGET_SECONDS = 30.0
TARGET_ITEMS, TARGET_LINES = 1_000_000, 10_000
STATEMENT = BENCH_DIR / "bank_statement.xml"
DAY = date(2026, 12, 3)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench_bank")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--sqlite-customers", type=int, default=2_000)
    parser.add_argument("--sqlite-lines", type=int, default=1_000)
    parser.add_argument("--databases", default="postgresql,sqlite")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    args = parser.parse_args([str(arg) for arg in argv])
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    rows = []
    for database in args.databases.split(","):
        pg = database == "postgresql"
        customers = args.customers if pg else args.sqlite_customers
        lines = args.lines if pg else args.sqlite_lines
        rows += bench(database, customers, lines, args.keep)
    print_table(rows)


def bench(database: str, customers: int, lines: int, keep: bool) -> list[tuple]:
    name = PG_DATABASE if database == "postgresql" else "bank"
    url = fresh_database(database, name)
    env = {**os.environ, "DATABASE_URL": url, "RELANCE_VAR": str(BENCH_DIR / "var")}
    env.pop("EMAIL_URL", None)
    try:
        relance(env, "migrate", "--no-input", "-v", "0", name="bank")
        relance(env, "entity", "create", ENTITY, "--name", "Bench", "--country", "FR",
                "--currency", "EUR", name="bank")  # fmt: skip
        _seconds, _peak, out = _python(env, "populate", str(customers), str(lines))
        print(f"{database:<10} {out.strip()}", flush=True)
        _seconds, peak, out = _python(env, "measure")
        print(out.strip(), flush=True)
        return [
            (database, customers, lines, *line.split("\t"), peak // 1024) for line in _rows(out)
        ]
    finally:
        if not keep:
            drop_database(database, name)


def _rows(out: str) -> list[str]:
    return [line[4:] for line in out.splitlines() if line.startswith("ROW\t")]


def _python(env: dict, *args: str) -> tuple[float, int, str]:
    return run_measured(env, [sys.executable, "-m", "benchmarks.bench_bank", *args], "bank")


# --- in the child process, Django set up ------------------------------------------------


def _setup():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relance.config.settings")
    django.setup()


def _amount(number: int) -> Decimal:
    return Decimal(10_000 + (number * 104_729) % 990_000).scaleb(-2)


def _iban(customer_id: int) -> str:
    from schwifty import IBAN

    return IBAN.generate("DE", bank_code="37040044", account_code=f"{customer_id:010d}").compact


def populate(customers: int, lines: int) -> None:
    _setup()
    from typing import NamedTuple

    from django.db import connection, transaction

    from relance.banking.models import PayerAccount
    from relance.core.models import Entity
    from relance.customers.models import Customer
    from relance.demo.bulk import insert_rows
    from relance.ledger.models import Item

    class CustomerRow(NamedTuple):
        id: int
        entity_id: int
        external_id: str
        name: str
        country: str
        language: str
        currency: str

    class ItemRow(NamedTuple):
        id: int
        entity_id: int
        customer_id: int
        kind: str
        number: str
        issue_date: date
        due_date: date
        amount: Decimal
        open_amount: Decimal
        currency: str

    class AccountRow(NamedTuple):
        entity_id: int
        customer_id: int
        iban: str
        learned: bool

    entity = Entity.objects.get(slug=ENTITY)
    started = time.perf_counter()
    chunk = 10_000
    with transaction.atomic():
        for start in range(1, customers + 1, chunk):
            ids = range(start, min(start + chunk, customers + 1))
            insert_rows(Customer, [
                CustomerRow(pk, entity.pk, f"C{pk:07d}", f"Customer {pk}", "FR", "fr", "EUR")
                for pk in ids
            ])  # fmt: skip
            items = []
            for pk in ids:
                for n in range(ITEMS_PER_CUSTOMER):
                    number = (pk - 1) * ITEMS_PER_CUSTOMER + n + 1
                    issued = DAY - timedelta(days=10 + number % 90)
                    amount = _amount(number)
                    items.append(ItemRow(number, entity.pk, pk, "invoice", f"F{number:08d}",
                                         issued, issued + timedelta(days=30), amount, amount,
                                         "EUR"))  # fmt: skip
            insert_rows(Item, items)
            insert_rows(PayerAccount, [
                AccountRow(entity.pk, pk, _iban(pk), False) for pk in ids if pk % IBAN_EVERY == 0
            ])  # fmt: skip
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
    STATEMENT.write_bytes(statement_xml(customers, lines))
    print(f"populate: {customers:,} customers, {customers * ITEMS_PER_CUSTOMER:,} open "
          f"invoices, {customers // IBAN_EVERY:,} known IBANs in {seconds:.1f} s; "
          f"statement of {lines:,} lines")  # fmt: skip


def _line(index: int, customers: int) -> tuple[Decimal, str, str, str]:
    """(amount, payer's IBAN, structured reference, text) of the statement's line `index`."""
    from stdnum.iso7064 import mod_97_10

    kind = index % 20
    # A customer per line, spread over the ledger; the IBAN lines take a known payer's.
    customer = 1 + (index * 7_919) % customers
    if 9 <= kind < 15:
        customer = max(IBAN_EVERY, customer - customer % IBAN_EVERY)
    base = (customer - 1) * ITEMS_PER_CUSTOMER + 1
    first = base + index % ITEMS_PER_CUSTOMER
    second = base + (index + 1) % ITEMS_PER_CUSTOMER
    if kind < 6:  # 30 %: the invoice's number in the text
        return _amount(first), "", "", f"Facture F{first:08d} merci"
    if kind < 9:  # 15 %: the creditor reference of the customer page
        body = f"C{customer:07d}F{first:08d}"
        reference = "RF" + mod_97_10.calc_check_digits(body + "RF") + body
        return _amount(first), "", reference, ""
    if kind < 13:  # 20 %: a known IBAN, one invoice's amount
        return _amount(first), _iban(customer), "", "Virement"
    if kind < 15:  # 10 %: a known IBAN, the sum of two invoices
        return _amount(first) + _amount(second), _iban(customer), "", "Reglement"
    if kind < 17:  # 10 %: part of an invoice named in the text
        return (_amount(first) / 2).quantize(Decimal("0.01")), "", "", f"Acompte F-{first:08d}"
    # 15 %: nothing to go on
    return Decimal(1_000 + index).scaleb(-2), "", "", f"Loyer {index} lot 7"


def statement_xml(customers: int, lines: int) -> bytes:
    """A camt.053.001.08 statement of `lines` credit entries, by the module's docstring."""
    from xml.sax.saxutils import escape

    entries = []
    for index in range(lines):
        amount, iban, reference, text = _line(index, customers)
        account = f"<DbtrAcct><Id><IBAN>{iban}</IBAN></Id></DbtrAcct>" if iban else ""
        remittance = (
            f"<RmtInf><Strd><CdtrRefInf><Ref>{reference}</Ref></CdtrRefInf></Strd></RmtInf>"
            if reference
            else f"<RmtInf><Ustrd>{escape(text)}</Ustrd></RmtInf>"
        )
        entries.append(
            f'<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
            f"<Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>{DAY}</Dt></BookgDt>"
            f"<AcctSvcrRef>B{index:08d}</AcctSvcrRef><NtryDtls><TxDtls><RltdPties>"
            f"<Dbtr><Pty><Nm>Payer {index}</Nm></Pty></Dbtr>{account}</RltdPties>"
            f"{remittance}</TxDtls></NtryDtls></Ntry>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>'
        "<GrpHdr><MsgId>BENCH</MsgId><CreDtTm>2026-12-04T06:00:00</CreDtTm></GrpHdr>"
        "<Stmt><Id>BENCH-1</Id><Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id></Acct>"
        + "".join(entries)
        + "</Stmt></BkToCstmrStmt></Document>\n"
    ).encode()


def measure() -> None:
    _setup()
    from relance.banking import matching, services
    from relance.core.models import Entity

    entity = Entity.objects.get(slug=ENTITY)
    spent = {}
    match = matching.match

    def timed_match(*args, **kwargs):
        started, cpu = time.perf_counter(), time.process_time()
        result = match(*args, **kwargs)
        spent["match"] = (time.perf_counter() - started, time.process_time() - cpu)
        return result

    services.matching.match = timed_match
    content = STATEMENT.read_bytes()
    server = _server_cpu()
    wall, cpu = time.perf_counter(), time.process_time()
    statement = services.statement_import(entity=entity, content=content, file_name=STATEMENT.name)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    counts = services.statement_counts(statement).summary()
    if server is not None:
        counts += f"; PostgreSQL backend CPU {_server_cpu() - server:.1f} s"
    print(f"ROW\twhole import\t{wall:.1f}\t{cpu:.1f}\t{counts}", flush=True)
    print(f"ROW\tits matching alone\t{spent['match'][0]:.1f}\t{spent['match'][1]:.1f}\t",
          flush=True)  # fmt: skip
    load = os.getloadavg()
    print(f"load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


def _server_cpu() -> float | None:
    """CPU seconds of this connection's PostgreSQL backend so far (read from /proc: the
    server runs on this machine), None elsewhere. On a loaded machine the wall-clock time
    is mostly waiting for a core; the CPU of both processes is the work done."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def print_table(rows: list[tuple]) -> None:
    print()
    print("| database | open items | lines | step | wall (s) | Python CPU (s) | peak RSS (MB) "
          "| outcome |")  # fmt: skip
    print("|---|---:|---:|---|---:|---:|---:|---|")
    for database, customers, lines, label, wall, cpu, outcome, peak in rows:
        print(f"| {database} | {customers * ITEMS_PER_CUSTOMER:,} | {lines:,} | {label} | "
              f"{wall} | {cpu} | {peak} | {outcome} |")  # fmt: skip
    for database, customers, lines, label, wall, *_rest in rows:
        if database != "postgresql" or label != "whole import":
            continue
        if customers * ITEMS_PER_CUSTOMER < TARGET_ITEMS or lines < TARGET_LINES:
            print(f"target (under {TARGET_SECONDS:.0f} s): not judged below {TARGET_LINES:,} "
                  f"lines and {TARGET_ITEMS:,} items")  # fmt: skip
        else:
            verdict = "met" if float(wall) < TARGET_SECONDS else "MISSED"
            print(f"target (bank import of {lines:,} lines against {customers * 10:,} open "
                  f"items under {TARGET_SECONDS:.0f} s on PostgreSQL): {verdict}")  # fmt: skip


if __name__ == "__main__":
    if sys.argv[1:2] == ["populate"]:
        populate(int(sys.argv[2]), int(sys.argv[3]))
    elif sys.argv[1:2] == ["measure"]:
        measure()
    else:
        main(sys.argv[1:])
