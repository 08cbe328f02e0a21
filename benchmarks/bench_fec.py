"""FEC import benchmark: a FEC of 60,000 lines (sales entries of 3 lines, bank entries of 2,
half of the invoices lettered with their payment) imported into a fresh SQLite file and a
fresh PostgreSQL database, then imported again (everything found unchanged).

`python -m benchmarks fec -- --lines 60000 --databases sqlite,postgresql`
"""

import argparse
import os
import random
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

from benchmarks.measure import BENCH_DIR, drop_database, fresh_database, relance

PG_DATABASE = "m28_fec_bench"
HEADER = (
    "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\t"
    "CompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\t"
    "ValidDate\tMontantdevise\tIdevise"
)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench_fec")
    parser.add_argument("--lines", type=int, default=60_000)
    parser.add_argument("--customers", type=int, default=2_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args([str(arg) for arg in argv])
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    path = write_fec(args.lines, args.customers)
    results = []
    for database in args.databases.split(","):
        results += bench(database, path, args.lines)
    print()
    print("| database | run | lines | seconds | peak memory (MB) | result |")
    print("|---|---|---:|---:|---:|---|")
    for database, label, lines, seconds, peak_mb, output in results:
        print(f"| {database} | {label} | {lines:,} | {seconds:.1f} | {peak_mb:.0f} | {output} |")


def write_fec(lines: int, customers: int) -> Path:
    """A balanced FEC of about `lines` lines, generated once and kept in var/bench/."""
    path = BENCH_DIR / f"fec-{lines}.txt"
    if path.exists():
        return path
    draw = random.Random(lines)
    start = date(2026, 1, 1)
    out = [HEADER]
    sale = payment = 0
    while len(out) - 1 < lines:
        sale += 1
        customer = draw.randrange(customers)
        aux, name = f"C{customer:06d}", f"Client {customer}"
        day = start + timedelta(days=draw.randrange(300))
        net = draw.randrange(10_000, 500_000)  # cents
        vat = net // 5
        ref, when = f"FA{sale:07d}", day.strftime("%Y%m%d")
        paid = sale % 2 == 0
        letter, let_day = "", ""
        if paid:
            payment += 1
            paid_on = day + timedelta(days=draw.randrange(10, 40))
            letter, let_day = f"L{sale}", paid_on.strftime("%Y%m%d")
        out += [
            _line("VT", "Ventes", sale, when, "411000", aux, name, ref, when,
                  _money(net + vat), "0,00", letter, let_day),
            _line("VT", "Ventes", sale, when, "706000", "", "", ref, when, "0,00", _money(net)),
            _line("VT", "Ventes", sale, when, "445710", "", "", ref, when, "0,00", _money(vat)),
        ]  # fmt: skip
        if paid:
            out += [
                _line("BQ", "Banque", payment, let_day, "512000", "", "", f"R{payment}",
                      let_day, _money(net + vat), "0,00"),
                _line("BQ", "Banque", payment, let_day, "411000", aux, name, f"R{payment}",
                      let_day, "0,00", _money(net + vat), letter, let_day),
            ]  # fmt: skip
    path.write_text("\r\n".join(out) + "\r\n", encoding="utf-8")
    return path


def _money(cents: int) -> str:
    return f"{cents // 100},{cents % 100:02d}"


def _line(journal, label, entry, when, account, aux, name, ref, piece_day, debit, credit,
          letter="", let_day="") -> str:  # fmt: skip
    account_label = {"411000": "Clients", "706000": "Ventes", "445710": "TVA", "512000": "BNP"}
    return "\t".join([
        journal, label, str(entry), when, account, account_label[account], aux, name, ref,
        piece_day, f"Piece {ref}", debit, credit, letter, let_day, "20261130", "", "",
    ])  # fmt: skip


def bench(database: str, path: Path, lines: int) -> list[tuple]:
    url = fresh_database(database, _database_name(database))
    env = {**os.environ, "DATABASE_URL": url, "RELANCE_VAR": str(BENCH_DIR / "var")}
    results = []
    try:
        relance(env, "migrate", "--no-input", "-v", "0", name="fec")
        relance(env, "entity", "create", "bench", "--name", "Bench", "--country", "FR",
                "--currency", "EUR", name="fec")  # fmt: skip
        for label in ("first import", "again"):
            seconds, peak_kb, output = relance(env, "import", "fec", str(path), name="fec")
            results.append((database, label, lines, seconds, peak_kb / 1024, output.strip()))
            print(f"{database:<10} {label:<13} {lines:>7,} lines {seconds:6.1f} s "
                  f"{peak_kb / 1024:6.0f} MB  {output.strip()}", flush=True)  # fmt: skip
        return results
    finally:
        drop_database(database, _database_name(database))
        shutil.rmtree(BENCH_DIR / "var" / "media", ignore_errors=True)


def _database_name(database: str) -> str:
    return PG_DATABASE if database == "postgresql" else "fec-bench"


if __name__ == "__main__":
    main(sys.argv[1:])
