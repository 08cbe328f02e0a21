"""`relance run [--date YYYY-MM-DD] [--entity SLUG] [--dry-run] [--no-send] [--strict]
[--processes N] [--chunk-size N]`: the daily engine run. A customer the engine fails on is
recorded and counted, and the run goes on; `--strict` then exits non-zero."""

from django.core.checks import Tags
from django.core.management.base import BaseCommand, CommandError

from relance.core.commands import option_day
from relance.core.models import Entity
from relance.engine.runner import CHUNK_SIZE, RunInProgress, default_processes, run_day


class Command(BaseCommand):
    help = "Run the collection engine: plan, cancel, create and send the day's actions."
    # The models' checks only: the URL checks import every view (a second of the
    # command's start), and a run serves no URL. `relance check` runs them all.
    requires_system_checks = [Tags.models]

    def add_arguments(self, parser):
        parser.add_argument("--date", help="run date (default: each entity's today)")
        parser.add_argument("--entity", help="slug of one entity (default: every entity)")
        parser.add_argument(
            "--dry-run", action="store_true", help="show what would happen; write and send nothing"
        )
        parser.add_argument(
            "--no-send",
            action="store_true",
            help=(
                "plan for real (create, cancel, move due dates, skip) but execute nothing: "
                "due automatic actions stay open, unsent, for the next run that sends"
            ),
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="exit non-zero when the engine failed on any customer (recorded and counted "
            "in the summary either way; the run goes on for the others)",
        )
        parser.add_argument(
            "--processes",
            type=int,
            help="processes planning the run on PostgreSQL (default: RELANCE_ENGINE_PROCESSES, "
            "else one per core; SQLite: one)",
        )
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=CHUNK_SIZE,
            help=f"customers loaded, planned and written at a time (default {CHUNK_SIZE})",
        )

    def handle(
        self, *args, date=None, entity=None, dry_run=False, no_send=False, strict=False, **options
    ):
        processes = options.get("processes") or default_processes()
        chunk_size = options.get("chunk_size") or CHUNK_SIZE
        if processes < 1 or chunk_size < 1:
            raise CommandError("--processes and --chunk-size take a number from 1")
        day = option_day(date, "--date")
        entities = Entity.objects.order_by("slug")
        if entity:
            entities = entities.filter(slug=entity)
            if not entities.exists():
                raise CommandError(f"No entity {entity!r}")
        refused, failed = [], []
        for each in entities:
            try:
                summary = run_day(
                    entity=each,
                    day=day or each.today(),
                    dry_run=dry_run,
                    send=not no_send,
                    chunk_size=chunk_size,
                    processes=processes,
                )
            except RunInProgress as exc:
                self.stderr.write(str(exc))
                refused.append(each.slug)
                continue
            self.stdout.write("\n".join(summary.lines()))
            if summary.failed:
                failed.append(f"{each.slug}: {summary.failed}")
        if refused:
            raise CommandError(f"Not run: {', '.join(refused)}")
        if strict and failed:
            raise CommandError(
                f"Customers failed (see the agenda's error tab): {', '.join(failed)}"
            )
