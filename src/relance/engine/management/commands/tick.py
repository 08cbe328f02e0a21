"""`relance tick`: send the due confirmed and retried automatic actions now, within each
entity's sending hours (engine/sendtick.py); `--loop` keeps ticking (`relance serve`
without a broker)."""

import threading

from django.conf import settings
from django.core.checks import Tags
from django.core.management.base import BaseCommand

from relance.engine import sendtick


class Command(BaseCommand):
    help = "Send the due automatic actions that may leave now (the send tick)."
    # The models' checks only: the URL checks import every view (a second of the
    # command's start), and a run serves no URL. `relance check` runs them all.
    requires_system_checks = [Tags.models]

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop",
            action="store_true",
            help="tick every RELANCE_SEND_TICK_MINUTES until stopped",
        )

    def handle(self, *args, loop, **options):
        if loop:
            self.stdout.write(f"Send tick every {settings.SEND_TICK_MINUTES} min")
            sendtick._loop(settings.SEND_TICK_MINUTES, threading.Event())
            return
        summaries = sendtick.send_tick()
        for summary in summaries:
            self.stdout.write(summary.line())
        if not summaries:
            self.stdout.write("Nothing to send now")
