"""Load test: 50 collectors browse the agenda, customer pages and action pages of the demo
company (100,000 customers, PostgreSQL) served by gunicorn with the production settings,
while the daily run (`relance run`) executes on the same machine.

The data set is built once (`relance demo --customers N --engine-days 1`, then one
customer in 50 given to each bench collector) into the PostgreSQL database
relance_bench_load_N, kept between runs (`--rebuild` to rebuild it). Each run works on a
copy (CREATE DATABASE … TEMPLATE), so the daily run always has the same day to do.

The collectors are distinct users with sessions written server-side (no password hashing
in the measure). Each browses with a pause of 0 to 2 × `--think` seconds between pages:
2.5 s on average by default, a brisk collector (1,440 pages an hour each, 72,000 for the
fifty); `--think 5` is a collector reading pages and phoning, `--think 1` a stress test
(fifty people clicking every second), `--think 0` finds the ceiling. The server is warmed
up first (not counted), and the daily run starts `--run-after` seconds into the load.
Bounded by `--requests` and `--max-seconds`, against 127.0.0.1 only. It prints requests
per second, p50/p95/p99 and errors, overall, per kind of page and while the daily run
executed.

`python -m benchmarks load -- --customers 2000` is a quick smoke run.
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request

from benchmarks.load_client import Sample, Visitor, run_load, summarize
from benchmarks.measure import BENCH_DIR, PG_ADMIN_URL, ROOT, pg_admin

PREFIX = "relance_bench_load"
WEIGHTS = {"agenda": 2, "customer": 2, "action": 1}  # what a collector opens, by share
TABS = ["agenda:manual", "agenda:automatic", "agenda:history", "agenda:responses"]
TARGET_P95_MS = 500
TARGET_CUSTOMERS = 100_000
SECRET_KEY = "bench-load-" + "k" * 40


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench load")
    parser.add_argument("--customers", type=int, default=TARGET_CUSTOMERS)
    parser.add_argument("--collectors", type=int, default=50)
    parser.add_argument("--requests", type=int, default=3000, help="stop after this many")
    parser.add_argument("--max-seconds", type=float, default=300, help="or after this long")
    parser.add_argument("--think", type=float, default=2.5, help="mean pause, seconds")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=None, help="threads per process")
    parser.add_argument("--no-run", action="store_true", help="no daily run during the load")
    parser.add_argument(
        "--run-after", type=float, default=20, help="seconds of load before the daily run starts"
    )
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached data set")
    parser.add_argument("--keep", action="store_true", help="keep the copy afterwards")
    args, _unknown = parser.parse_known_args(argv)
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    template = dataset(args.customers, args.collectors, args.rebuild)
    args.load = os.getloadavg()
    copy = f"{PREFIX}_run"
    pg_admin(f"DROP DATABASE IF EXISTS {copy}", f"CREATE DATABASE {copy} TEMPLATE {template}")
    try:
        measure(args, production_env(_url(copy)))
    finally:
        if not args.keep:
            pg_admin(f"DROP DATABASE IF EXISTS {copy}")


def measure(args, env: dict) -> None:
    try:
        _relance(env, "migrate", "--no-input", "-v", "0")
    except subprocess.CalledProcessError as exc:
        raise SystemExit("the cached data set no longer migrates: run with --rebuild") from exc
    prepared = json.loads(_child(env, "prepare", str(args.collectors)))
    visitors = [Visitor(v["cookies"], v["pages"]) for v in prepared["visitors"]]
    port = _free_port()
    server = serve(env, port, args.workers, args.threads)
    try:
        warm_up(f"http://127.0.0.1:{port}", prepared["visitors"])
        started = time.perf_counter()
        run = None if args.no_run else DailyRun(env, prepared["run_day"], args.run_after)
        samples = run_load(
            f"http://127.0.0.1:{port}",
            visitors,
            requests=args.requests,
            max_seconds=args.max_seconds,
            think=args.think,
            weights=WEIGHTS,
        )
        seconds = time.perf_counter() - started
        report(args, prepared, samples, seconds, run and run.finish(started))
    finally:
        server.terminate()
        server.wait(60)


# --- the data set, built once --------------------------------------------------------


def dataset(customers: int, collectors: int, rebuild: bool) -> str:
    """The name of the cached database; built under a temporary name, renamed when whole,
    so that an interrupted build is never taken for a finished one."""
    name = f"{PREFIX}_{customers}_{collectors}"
    if not rebuild and _database_exists(name):
        print(f"data set: {name} (cached; --rebuild to build it again)", flush=True)
        return name
    building = f"{name}_building"
    pg_admin(f"DROP DATABASE IF EXISTS {building}", f"CREATE DATABASE {building}")
    env = {**os.environ, "DATABASE_URL": _url(building), "RELANCE_VAR": str(BENCH_DIR / "var")}
    env.update(EMAIL_URL="memory://", CELERY_BROKER_URL="", DEBUG="true")
    print(f"building the data set: demo with {customers:,} customers …", flush=True)
    started = time.perf_counter()
    _relance(env, "migrate", "--no-input", "-v", "0")
    _relance(env, "demo", "--customers", str(customers), "--seed", "1", "--engine-days", "1")
    _child(env, "collectors", str(collectors))
    print(f"data set built in {time.perf_counter() - started:.0f} s", flush=True)
    pg_admin(f"DROP DATABASE IF EXISTS {name}", f"ALTER DATABASE {building} RENAME TO {name}")
    return name


def make_collectors(count: int) -> None:
    """`count` collectors seeing both entities; customer k goes to collector k mod count."""
    from django.db import connection
    from django.db.models import F

    from relance.accounts.models import User
    from relance.core.models import Entity
    from relance.customers.models import Customer

    entities = list(Entity.objects.all())
    for number in range(count):
        user, _created = User.objects.update_or_create(
            username=f"collector-{number:02d}", defaults={"role": "collector"}
        )
        user.set_unusable_password()
        user.save()
        user.entities.set(entities)
        Customer.objects.annotate(slot=F("id") % count).filter(slot=number).update(collector=user)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


# --- what each collector browses, and their sessions ----------------------------------


def prepare(count: int) -> dict:
    """Sessions and pages of the bench collectors, and the day the daily run does."""
    from datetime import timedelta

    from django.db.models import Max

    from relance.accounts.models import User
    from relance.engine.models import EngineRun

    users = User.objects.filter(username__startswith="collector-").order_by("username")[:count]
    last_day = EngineRun.objects.filter(dry_run=False).aggregate(day=Max("day"))["day"]
    return {
        "visitors": [_visitor(user) for user in users],
        "run_day": (last_day + timedelta(days=1)).isoformat(),
    }


def _visitor(user) -> dict:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.urls import reverse

    from relance.agenda.choices import OPEN_STATUSES
    from relance.agenda.models import Action
    from relance.customers.models import Customer

    session = SessionStore()
    session.update({SESSION_KEY: str(user.pk), HASH_SESSION_KEY: user.get_session_auth_hash()})
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session.create()
    customers = Customer.objects.filter(collector=user)
    actions = Action.objects.filter(customer__collector=user, status__in=OPEN_STATUSES)
    return {
        "cookies": {settings.SESSION_COOKIE_NAME: session.session_key},
        "pages": {
            "agenda": [reverse(name) for name in TABS],
            "customer": [reverse("customers:detail", args=[pk]) for pk in _ids(customers)],
            "action": [reverse("agenda:action-detail", args=[pk]) for pk in _ids(actions)],
        },
    }


def _ids(queryset) -> list[int]:
    return list(queryset.order_by("?").values_list("pk", flat=True)[:100])


# --- the server and the daily run -----------------------------------------------------


def production_env(database_url: str) -> dict:
    """The production settings of docs/deploy.md, without TLS (127.0.0.1) nor broker: the
    daily run is `relance run`, in process."""
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "false"}
    env.update(
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        # Pages only: static files are cached by browsers (whitenoise serves them from
        # memory), so there is no collectstatic here and no manifest to need one.
        STATIC_MANIFEST="false",
        PYTHONWARNINGS="ignore::UserWarning",
        RELANCE_VAR=str(BENCH_DIR / "var"),
        CELERY_BROKER_URL="",
        EMAIL_URL="memory://",
    )
    return env


def serve(env: dict, port: int, workers: int | None, threads: int | None) -> subprocess.Popen:
    command = [sys.executable, "-m", "relance", "serve", "--web-only"]
    command += ["--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers)] if workers else []
    command += ["--threads", str(threads)] if threads else []
    log = open(BENCH_DIR / "load-gunicorn.log", "w")  # noqa: SIM115 - the server's lifetime
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    for _ in range(120):
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited: see {log.name}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError(f"gunicorn did not answer /healthz in 60 s: see {log.name}")


def warm_up(base_url: str, visitors: list[dict], rounds: int = 3) -> None:
    """Every kind of page a few times before the measure, as a server that has been up
    for a while has them: templates compiled and each thread's database connection open
    in every gunicorn process. Not counted."""
    cookie = "; ".join(f"{k}={v}" for k, v in visitors[0]["cookies"].items())
    pages = [url for urls in visitors[0]["pages"].values() for url in urls[:2]]
    for url in pages * rounds * 4:
        request = urllib.request.Request(base_url + url, headers={"Cookie": cookie})
        with urllib.request.urlopen(request, timeout=60) as answer:
            answer.read()


class DailyRun:
    """`relance run --date DAY` in its own process, started `after` seconds into the load
    (people are already browsing when the run begins); a thread notes when it ends."""

    def __init__(self, env: dict, day: str, after: float):
        self.day = day
        self.env = env
        self.started = self.ended = None
        self.process = None
        self.waiter = threading.Timer(after, self._run)
        self.waiter.daemon = True
        self.waiter.start()

    def _run(self) -> None:
        out = open(BENCH_DIR / "load-run.out", "w")  # noqa: SIM115 - the run's lifetime
        command = [sys.executable, "-m", "relance", "run", "--date", self.day]
        self.started = time.perf_counter()
        self.process = subprocess.Popen(command, env=self.env, stdout=out, stderr=out, cwd=ROOT)
        self.process.wait()
        self.ended = time.perf_counter()

    def finish(self, origin: float) -> dict:
        """Waits for the run; answers its window in seconds since `origin`, and its exit."""
        self.waiter.join()
        return {
            "day": self.day,
            "start": self.started - origin,
            "end": self.ended - origin,
            "code": self.process.returncode,
        }


# --- the report -----------------------------------------------------------------------


def report(args, prepared: dict, samples: list[Sample], seconds: float, run: dict | None):
    pages = sum(len(v["pages"]["customer"]) for v in prepared["visitors"])
    # The machine may be shared: its load before the measure says how far to trust it.
    print("load average before the measure: " + ", ".join(f"{n:.1f}" for n in args.load))
    print(f"{len(prepared['visitors'])} collectors, {pages:,} customer pages to pick from; "
          f"think time 0-{2 * args.think:g} s", flush=True)  # fmt: skip
    print(f"{'requests':<28} {'count':>6} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'p99 ms':>7} {'errors':>7}")  # fmt: skip
    overall = summarize(samples, seconds)
    _line("all", overall)
    for kind in WEIGHTS:
        of_kind = [sample for sample in samples if sample.kind == kind]
        _line(f"  {kind} pages", summarize(of_kind, seconds))
    during_run = None
    if run:
        window = [s for s in samples if run["start"] <= s.started <= run["end"]]
        during_run = summarize(window, min(run["end"], seconds) - run["start"])
        _line("during the daily run", during_run)
        print(f"daily run of {run['day']}: {run['end'] - run['start']:.1f} s, exit code "
              f"{run['code']} (output in var/bench/load-run.out)")  # fmt: skip
    if overall.errors_by_status:
        print(f"errors by status (0: no answer): {overall.errors_by_status}")
    _verdict(args, overall, during_run)


def _line(label: str, stats) -> None:
    print(f"{label:<28} {stats.requests:>6} {stats.per_second:>7.1f} {stats.p50_ms:>7.0f} "
          f"{stats.p95_ms:>7.0f} {stats.p99_ms:>7.0f} {stats.errors:>7}", flush=True)  # fmt: skip


def _verdict(args, stats, during_run) -> None:
    """Zero errors, and p95 under the target overall and while the daily run executed."""
    if args.customers < TARGET_CUSTOMERS or args.collectors < 50:
        print(f"\ntarget: not judged below {TARGET_CUSTOMERS:,} customers and 50 collectors")
        return
    worst = max(stats.p95_ms, during_run.p95_ms if during_run else 0)
    met = stats.errors == 0 and worst < TARGET_P95_MS
    verdict = "met" if met else "MISSED"
    print(f"\ntarget at a pause of 0-{2 * args.think:g} s: zero errors and p95 under "
          f"{TARGET_P95_MS} ms, during the daily run too: {verdict}")  # fmt: skip


# --- processes and databases ----------------------------------------------------------


def _relance(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "relance", *args], env=env, check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)  # fmt: skip


def _child(env: dict, *args: str) -> str:
    """This module run with Django set up in a process of its own (the given database)."""
    command = [sys.executable, "-m", "benchmarks.bench_load", *args]
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"bench_load {args[0]} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def _url(database: str) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{database}"


def _database_exists(name: str) -> bool:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return found.fetchone() is not None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _child_main(command: str, count: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relance.config.settings")
    django.setup()
    if command == "collectors":
        make_collectors(count)
    else:
        print(json.dumps(prepare(count)))


if __name__ == "__main__":
    if sys.argv[1:2] in (["collectors"], ["prepare"]):
        _child_main(sys.argv[1], int(sys.argv[2]))
    else:
        main(sys.argv[1:])
