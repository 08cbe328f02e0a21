"""`relance beat`: Celery beat, the clock of the daily runs (docs/workers.md)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from relance.core.management.commands.worker import celery_argv, exec_celery


class Command(BaseCommand):
    help = "Start Celery beat (celery -A relance.config.celery beat): engine_tick every 15 minutes."

    def add_arguments(self, parser):
        parser.add_argument("--loglevel", "-l", default="info")
        parser.add_argument(
            "--schedule",
            "-s",
            default=str(settings.VAR_DIR / "celerybeat-schedule"),
            help="file where beat keeps the last run of each periodic task",
        )

    def handle(self, *args, loglevel, schedule, **options):
        exec_celery(celery_argv("beat", "--loglevel", loglevel, "--schedule", schedule))
