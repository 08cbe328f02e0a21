"""`relance actions export [--format csv|xlsx] [--status S] [--from D] [--to D]
[--entity SLUG] [-o FILE]`: one row per action (CSV to stdout without -o)."""

from django.core.management.base import BaseCommand, CommandError

from relance.agenda.choices import ActionStatus
from relance.agenda.exports import export_actions
from relance.agenda.selectors import action_export_rows
from relance.core.commands import option_day
from relance.core.models import Entity


class Command(BaseCommand):
    help = "Export the agenda's actions."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="export actions as CSV or XLSX")
        export.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        export.add_argument("--status", choices=ActionStatus.values)
        export.add_argument("--from", dest="date_from", help="due on or after (YYYY-MM-DD)")
        export.add_argument("--to", dest="date_to", help="due on or before (YYYY-MM-DD)")
        export.add_argument("--entity", help="slug of one entity")
        export.add_argument("-o", "--output", help="file to write (default: stdout, CSV only)")

    def handle(self, *args, action, **options):
        entity = None
        if options["entity"]:
            entity = Entity.objects.filter(slug=options["entity"]).first()
            if entity is None:
                raise CommandError(f"No entity {options['entity']!r}")
        rows = action_export_rows(
            entity=entity,
            status=options["status"],
            date_from=option_day(options["date_from"], "--from"),
            date_to=option_day(options["date_to"], "--to"),
        )
        fmt, output = options["format"], options["output"]
        if output is None:
            if fmt == "xlsx":
                raise CommandError("--format xlsx needs -o FILE")
            count = export_actions(rows, self.stdout, fmt)
        else:
            mode = {"newline": ""} if fmt == "csv" else {}
            with open(output, "w" if fmt == "csv" else "wb", **mode) as out:
                count = export_actions(rows, out, fmt)
        self.stderr.write(f"{count} actions exported")
