"""`relance worker`: a Celery worker of this project (docs/workers.md)."""

import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

CELERY_APP = "relance.config.celery"


def celery_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "celery", "-A", CELERY_APP, *args]


def exec_celery(argv: list[str]) -> None:
    """Replace this process with Celery's: signals (Ctrl-C, SIGTERM) reach it directly."""
    if not settings.CELERY_BROKER_URL:
        raise CommandError("CELERY_BROKER_URL is empty: set it, e.g. redis://127.0.0.1:6379/0")
    os.execv(argv[0], argv)


class Command(BaseCommand):
    help = "Start a Celery worker (celery -A relance.config.celery worker)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--concurrency", "-c", type=int, default=os.cpu_count() or 1, help="processes"
        )
        parser.add_argument("--loglevel", "-l", default="info")
        parser.add_argument("--hostname", "-n", default="", help="e.g. w1@%%h")
        parser.add_argument("--queues", "-Q", default="", help="comma-separated queues")

    def handle(self, *args, concurrency, loglevel, hostname, queues, **options):
        argv = celery_argv("worker", "--concurrency", str(concurrency), "--loglevel", loglevel)
        argv += ["--hostname", hostname] if hostname else []
        argv += ["--queues", queues] if queues else []
        exec_celery(argv)
