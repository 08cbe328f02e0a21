"""`relance config export|import FILE.yaml`: templates, scenarios and segments as code."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from relance.configuration.services import ConfigError, config_dump, config_import


class Command(BaseCommand):
    help = (
        "Export the message templates, scenarios and segments to one YAML file, or import "
        "such a file (checked first: nothing is written when anything is wrong)."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="write the configuration as YAML")
        export.add_argument("file", help="the YAML file to write, or - for the standard output")
        load = actions.add_parser("import", help="read a YAML configuration (upsert by name)")
        load.add_argument("file", help="the YAML file to read, or - for the standard input")
        load.add_argument(
            "--dry-run", action="store_true", help="check and report, then write nothing"
        )

    def handle(self, *args, action, file, dry_run=False, **options):
        if action == "export":
            return self.export(file)
        try:
            text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}") from exc
        try:
            summary = config_import(text=text, dry_run=dry_run)
        except ConfigError as exc:
            for line in exc.errors:
                self.stderr.write(line)
            raise CommandError(f"{file}: {len(exc.errors)} error(s), nothing was imported") from exc
        for line in summary.lines():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")

    def export(self, file: str) -> None:
        text = config_dump()
        if file == "-":
            self.stdout.write(text, ending="")
            return
        Path(file).write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {file}")
