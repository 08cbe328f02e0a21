"""`relance insights backfill --entity SLUG --from D [--to D]`: rebuild the daily snapshots
from the items' history; `relance insights export --entity SLUG --from D1 --to D2
[--format csv|xlsx] [--currency C] [-o FILE]`: the monthly figures (CSV to stdout without -o);
`relance insights rates --from FILE`: import a company's exchange rates (insights/fx.py)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from relance.core.commands import option_day
from relance.core.models import Entity
from relance.insights.exports import export_figures
from relance.insights.fx import rates_import
from relance.insights.services import snapshots_backfill


class Command(BaseCommand):
    help = "Rebuild the daily snapshots of the Insights figures, or export the figures."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        backfill = actions.add_parser("backfill", help="rebuild daily snapshots from history")
        export = actions.add_parser("export", help="export the monthly figures")
        rates = actions.add_parser("rates", help="import exchange rates from a CSV file")
        rates.add_argument(
            "--from", dest="rates_file", required=True, help="CSV: date,currency,quote,rate"
        )
        for sub in (backfill, export):
            sub.add_argument("--entity", required=True, help="slug of the entity")
            sub.add_argument("--from", dest="date_from", required=True, help="YYYY-MM-DD")
        backfill.add_argument("--to", dest="date_to", help="YYYY-MM-DD (default: today)")
        export.add_argument("--to", dest="date_to", required=True, help="YYYY-MM-DD")
        export.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        export.add_argument("--currency", help="figures in this currency (default: the entity's)")
        export.add_argument("-o", "--output", help="file to write (default: stdout, CSV only)")

    def handle(self, *args, action, **options):
        if action == "rates":
            return self._rates(options["rates_file"])
        entity = Entity.objects.filter(slug=options["entity"]).first()
        if entity is None:
            raise CommandError(f"No entity {options['entity']!r}")
        start = option_day(options["date_from"], "--from")
        end = option_day(options["date_to"], "--to") or entity.today()
        if end < start:
            raise CommandError(f"--to {end.isoformat()} is before --from {start.isoformat()}")
        if action == "backfill":
            self._backfill(entity, start, end)
        else:
            self._export(entity, start, end, options)

    def _rates(self, path: str) -> None:
        try:
            with open(path, encoding="utf-8") as file:
                text = file.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from None
        try:
            count = rates_import(text=text)
        except ValidationError as exc:
            raise CommandError("\n".join(["Nothing imported:", *exc.messages])) from None
        self.stdout.write(f"{count} exchange rates imported")

    def _backfill(self, entity, start: date, end: date) -> None:
        if end > entity.today():
            raise CommandError(f"--to {end.isoformat()} is in the future")
        result = snapshots_backfill(entity=entity, start=start, end=end)
        self.stdout.write(
            f"{entity.slug}: {result.days} days, {result.rows} customer snapshots "
            f"in {result.seconds:.2f} s"
        )

    def _export(self, entity, start: date, end: date, options) -> None:
        fmt, output = options["format"], options["output"]
        currency = (options["currency"] or entity.currency).upper()
        if output is None:
            if fmt == "xlsx":
                raise CommandError("--format xlsx needs -o FILE")
            count = export_figures(entity, start, end, self.stdout, fmt, currency=currency)
        else:
            mode = {"newline": ""} if fmt == "csv" else {}
            with open(output, "w" if fmt == "csv" else "wb", **mode) as out:
                count = export_figures(entity, start, end, out, fmt, currency=currency)
        self.stderr.write(f"{count} months exported")
