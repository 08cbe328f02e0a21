"""Import benchmark: files of 100,000 and 1,000,000 items (and the customers they need)
imported into a fresh SQLite file and a fresh PostgreSQL database.

Each step runs `relance import` in its own process with DATABASE_URL set, so every run starts
from a clean Django set-up, and its peak memory is that process's own (os.wait4).
`python -m benchmarks imports -- --sizes 100000 --databases postgresql`
"""

import argparse
import csv
import os
import random
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

from benchmarks.measure import (
    BENCH_DIR,
    drop_database,
    fresh_database,
    relance,
)

PG_DATABASE = "relance_bench"
DEFAULT_SIZES = [100_000, 1_000_000]
CUSTOMERS_FOR = {100_000: 1_000, 1_000_000: 100_000}
ITEM_HEADER = [
    "customer_external_id",
    "kind",
    "number",
    "issue_date",
    "due_date",
    "amount",
    "open_amount",
    "currency",
    "disputed",
    "dispute_reason",
]


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench_imports")
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)))
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args([str(arg) for arg in argv])
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    results = []
    for size in (int(part) for part in str(args.sizes).split(",")):
        customers_csv, items_csv = write_files(size)
        for database in args.databases.split(","):
            results += bench(database, size, customers_csv, items_csv)
    print_table(results)


def write_files(size: int) -> tuple[Path, Path]:
    """The customers and items CSV files of a size, generated once and kept in var/bench/."""
    customers = CUSTOMERS_FOR.get(size, max(1, size // 100))
    customers_csv = BENCH_DIR / f"customers-{customers}.csv"
    items_csv = BENCH_DIR / f"items-{size}.csv"
    if not customers_csv.exists():
        with open(customers_csv, "w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["external_id", "name", "city", "country", "tags"])
            for n in range(customers):
                writer.writerow([f"C{n:06d}", f"Customer {n}", "Lyon", "FR", f"t{n % 7}"])
    if not items_csv.exists():
        _write_items(items_csv, size, customers)
    return customers_csv, items_csv


def _write_items(path: Path, size: int, customers: int) -> None:
    draw = random.Random(size)
    start = date(2025, 1, 1)
    kinds = ["invoice"] * 8 + ["credit_note", "payment"]
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(ITEM_HEADER)
        for n in range(size):
            kind = kinds[n % 10]
            issued = start + timedelta(days=n % 365)
            amount = draw.randint(100, 2_000_000)
            open_amount = amount if draw.random() < 0.6 else 0
            disputed = kind == "invoice" and n % 50 == 0
            writer.writerow(
                [
                    f"C{draw.randrange(customers):06d}",
                    kind,
                    f"{kind[0].upper()}{n:08d}",
                    issued.isoformat(),
                    (issued + timedelta(days=30)).isoformat() if kind == "invoice" else "",
                    f"{amount / 100:.2f}",
                    f"{open_amount / 100:.2f}",
                    "EUR",
                    "1" if disputed else "",
                    "price" if disputed else "",
                ]
            )


def bench(database: str, size: int, customers_csv: Path, items_csv: Path) -> list[tuple]:
    """Import customers, then items twice (the second run finds them all unchanged)."""
    url = fresh_database(database, _database_name(database))
    env = {**os.environ, "DATABASE_URL": url, "RELANCE_VAR": str(BENCH_DIR / "var")}
    try:
        _relance(env, "migrate", "--no-input", "-v", "0")
        _relance(env, "entity", "create", "bench", "--name", "Bench", "--country", "FR",
                 "--currency", "EUR")  # fmt: skip
        steps = [
            ("customers", customers_csv),
            ("items", items_csv),
            ("items (again)", items_csv),
        ]
        results = []
        for label, path in steps:
            seconds, peak_kb, output = _relance(env, "import", label.split()[0], str(path))
            results.append((database, label, size, seconds, peak_kb / 1024, output.strip()))
            print(f"{database:<10} {label:<14} {size:>9,} rows {seconds:7.1f} s "
                  f"{peak_kb / 1024:7.0f} MB  {output.strip()}", flush=True)  # fmt: skip
        return results
    finally:
        drop_database(database, _database_name(database))
        shutil.rmtree(BENCH_DIR / "var" / "media", ignore_errors=True)


def _relance(env: dict, *args: str) -> tuple[float, int, str]:
    return relance(env, *args, name="last")


def _database_name(database: str) -> str:
    return PG_DATABASE if database == "postgresql" else "bench"


def print_table(results: list[tuple]) -> None:
    print()
    print("| database | file | rows | seconds | peak memory (MB) | result |")
    print("|---|---|---:|---:|---:|---|")
    for database, label, size, seconds, peak_mb, output in results:
        print(f"| {database} | {label} | {size:,} | {seconds:.1f} | {peak_mb:.0f} | {output} |")


if __name__ == "__main__":
    main(sys.argv[1:])
