"""`relance serve`: the production stack on one machine (docs/deploy.md).

Gunicorn serves the pages (relance/config/gunicorn.py); with a broker, a Celery worker and
beat run beside it; without one, the send tick (`relance tick --loop`) does. They are
children of this process: a signal (Ctrl-C, SIGTERM) stops them all, and one that exits
stops the others, so that a supervisor (systemd, Docker) sees the stack fail as a whole and
restarts it.
"""

import contextlib
import ctypes
import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from relance.core.management.commands.worker import celery_argv

GUNICORN = [sys.executable, "-m", "gunicorn", "-c", "python:relance.config.gunicorn"]
STOP_TIMEOUT = 40  # seconds: gunicorn's graceful timeout is 30
PR_SET_PDEATHSIG = 1  # linux/prctl.h


def gunicorn_argv(bind: str, workers: int | None, threads: int | None) -> list[str]:
    argv = [*GUNICORN]
    argv += ["--bind", bind] if bind else []
    argv += ["--workers", str(workers)] if workers else []
    argv += ["--threads", str(threads)] if threads else []
    return argv


class Command(BaseCommand):
    help = "Serve Relance with gunicorn, plus a Celery worker and beat when a broker is set."

    def add_arguments(self, parser):
        parser.add_argument("--bind", "-b", default="", help="default RELANCE_BIND")
        parser.add_argument("--workers", "-w", type=int, default=None)
        parser.add_argument("--threads", type=int, default=None)
        parser.add_argument("--concurrency", "-c", type=int, default=2, help="Celery worker")
        parser.add_argument(
            "--web-only", action="store_true", help="gunicorn alone, without Celery"
        )

    def handle(self, *args, bind, workers, threads, concurrency, web_only, **options):
        if settings.DEBUG:
            raise CommandError("DEBUG is on: set DEBUG=false to serve in production.")
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)  # beat's schedule file lives there
        commands = serve_commands(bind, workers, threads, concurrency, web_only)
        if "tick" in commands:
            self.stdout.write(
                "CELERY_BROKER_URL is empty: tasks run in the web processes, "
                "the send tick in its own."
            )
        sys.exit(supervise(commands))


def serve_commands(bind, workers, threads, concurrency, web_only) -> dict[str, list[str]]:
    """The children: gunicorn; with a broker a Celery worker and beat; without one the send
    tick (gunicorn loads the application before forking: no thread of its own there)."""
    commands = {"web": gunicorn_argv(bind, workers, threads)}
    if web_only:
        return commands
    if settings.CELERY_BROKER_URL:
        schedule = str(settings.VAR_DIR / "celerybeat-schedule")
        commands["worker"] = celery_argv(
            "worker", "--concurrency", str(concurrency), "--loglevel", "info"
        )
        commands["beat"] = celery_argv("beat", "--schedule", schedule, "--loglevel", "info")
    elif settings.SEND_TICK_IN_PROCESS:
        commands["tick"] = [sys.executable, "-m", "relance", "tick", "--loop"]
    return commands


def supervise(commands: dict[str, list[str]]) -> int:
    """Start every command; when one exits or a signal comes, stop the others. Answers the
    exit code of the first that ended (0 after a signal)."""
    children = {
        name: subprocess.Popen(argv, preexec_fn=_child_setup(background=name != "web"))
        for name, argv in commands.items()
    }
    stopping = []

    def stop(signum, _frame):
        stopping.append(signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        code = _wait_first(children, stopping)
    finally:
        for child in children.values():
            if child.poll() is None:
                child.terminate()
        for child in children.values():
            try:
                child.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                child.kill()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return code


def _child_setup(*, background: bool):
    """What runs in each child before exec: background work (Celery) at a lower priority
    than the pages (RELANCE_BACKGROUND_NICE), and, on Linux, SIGTERM when this process
    dies, even by SIGKILL, so that no orphan keeps the port or the broker's tasks."""
    nice = settings.BACKGROUND_NICE if background else 0

    def setup() -> None:
        if nice:
            os.nice(nice)
        if sys.platform.startswith("linux"):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)

    return setup


def _wait_first(children: dict[str, subprocess.Popen], stopping: list) -> int:
    while not stopping:
        for name, child in children.items():
            if (code := child.poll()) is not None:
                print(f"relance serve: {name} exited with {code}; stopping", file=sys.stderr)
                return code or 1
        with contextlib.suppress(subprocess.TimeoutExpired):
            next(iter(children.values())).wait(0.5)
    return 0
