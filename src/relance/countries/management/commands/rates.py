"""`relance rates update --from FILE`: load official reference rates (CSV: country,
reference, valid_from, rate), all or nothing; `relance rates show [--country XX]`: the
rates in force per half-year, packaged and loaded."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from relance.countries.packs import pack_for, packs
from relance.countries.selectors import schedules
from relance.countries.services import rates_update


class Command(BaseCommand):
    help = "Load official reference rates of the country packs, or show them."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        update = actions.add_parser("update", help="load reference rates from a CSV file")
        update.add_argument(
            "--from",
            dest="rates_file",
            required=True,
            help="CSV: country,reference,valid_from,rate",
        )
        show = actions.add_parser("show", help="print the statutory rates per half-year")
        show.add_argument("--country", help="ISO code, e.g. GB (default: every pack)")

    def handle(self, *args, action, **options):
        if action == "update":
            return self._update(options["rates_file"])
        return self._show(options["country"])

    def _update(self, path: str) -> None:
        try:
            with open(path, encoding="utf-8") as file:
                text = file.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from None
        try:
            count = rates_update(text=text)
        except ValidationError as exc:
            raise CommandError("\n".join(["Nothing loaded:", *exc.messages])) from None
        self.stdout.write(f"{count} reference rates loaded")

    def _show(self, country: str | None) -> None:
        if country and pack_for(country) is None:
            raise CommandError(f"No country pack {country!r} (known: {', '.join(sorted(packs()))})")
        tables = schedules()
        for code in [country.upper()] if country else sorted(packs()):
            pack, schedule = pack_for(code), tables[code]
            for start, reference, rate in zip(
                schedule.starts, schedule.references, schedule.rates, strict=True
            ):
                self.stdout.write(
                    f"{code}\t{pack.reference}\t{start.isoformat()}\t{reference}\t{rate}"
                )
