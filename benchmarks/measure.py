"""What the benchmarks share: a command timed in its own process with its peak memory, and
a throwaway database (an SQLite file under var/bench/, or a PostgreSQL database)."""

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def run_measured(env: dict, command: list[str], name: str) -> tuple[float, int, str]:
    """Run `command`; answers (seconds, its peak RSS in KB, stdout). Its output goes to
    var/bench/NAME.out and .err; a failure raises with the end of the errors."""
    out_path, err_path = BENCH_DIR / f"{name}.out", BENCH_DIR / f"{name}.err"
    with open(out_path, "w") as out, open(err_path, "w") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=out, stderr=err, cwd=ROOT)
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status):
        raise RuntimeError(f"{' '.join(command[2:])} failed:\n{err_path.read_text()[-3000:]}")
    return seconds, usage.ru_maxrss, out_path.read_text()


def relance(env: dict, *args: str, name: str = "last") -> tuple[float, int, str]:
    return run_measured(env, [sys.executable, "-m", "relance", *args], name)


def fresh_database(database: str, name: str) -> str:
    """The URL of an empty database `name`: var/bench/NAME.sqlite3 or a PostgreSQL one."""
    if database == "sqlite":
        _remove_sqlite(name)
        return f"sqlite:///{BENCH_DIR / f'{name}.sqlite3'}"
    if database != "postgresql":
        raise SystemExit(f"unknown database {database!r}: sqlite or postgresql")
    pg_admin(f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}")
    return pg_url(name)


def pg_url(name: str) -> str:
    """The URL of the PostgreSQL database `name` on the benchmarks' server."""
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def drop_database(database: str, name: str) -> None:
    if database == "postgresql":
        pg_admin(f"DROP DATABASE IF EXISTS {name}")
    else:
        _remove_sqlite(name)


def _remove_sqlite(name: str) -> None:
    for leftover in BENCH_DIR.glob(f"{name}.sqlite3*"):
        leftover.unlink()


def pg_admin(*statements: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)
