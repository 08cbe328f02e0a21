"""`relance entity create|list`: script an installation's legal companies."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from relance.core.models import Entity
from relance.core.services import entity_create, validation_messages


class Command(BaseCommand):
    help = "Create or list entities (the legal companies whose receivables are collected)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="create an entity")
        create.add_argument("slug")
        create.add_argument("--name", required=True)
        create.add_argument("--country", required=True, help="ISO 3166 code, e.g. FR")
        create.add_argument("--currency", required=True, help="ISO 4217 code, e.g. EUR")
        create.add_argument("--language", default="", choices=["", "fr", "en"])
        create.add_argument("--timezone", default="", help="e.g. Europe/Paris")
        create.add_argument("--working-days", default="", help="e.g. mon,tue,wed,thu,fri")
        create.add_argument(
            "--holidays", default=None, help="country whose public holidays apply, or 'none'"
        )
        actions.add_parser("list", help="list entities")

    def handle(self, *args, action, **options):
        if action == "list":
            return self.list()
        holidays_country = options["holidays"]
        if holidays_country is not None and holidays_country.lower() == "none":
            holidays_country = ""
        if Entity.objects.filter(slug=options["slug"]).exists():
            raise CommandError(f"Entity {options['slug']!r} already exists")
        try:
            entity = entity_create(
                slug=options["slug"],
                name=options["name"],
                country=options["country"],
                currency=options["currency"],
                language=options["language"],
                time_zone=options["timezone"],
                working_days=options["working_days"],
                holidays_country=holidays_country,
            )
        except ValidationError as exc:
            raise CommandError("; ".join(validation_messages(exc))) from exc
        self.stdout.write(f"Created entity {entity.slug} ({entity.name})")

    def list(self):
        for entity in Entity.objects.order_by("slug"):
            holidays_of = entity.holidays_country or "none"
            self.stdout.write(
                f"{entity.slug}\t{entity.name}\t{entity.country}\t{entity.currency}\t"
                f"{entity.language}\t{entity.time_zone}\t{entity.working_days}\tholidays:{holidays_of}"
            )
