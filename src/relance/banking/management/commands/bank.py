"""`relance bank import FILE [--entity SLUG] [--format F]`: a bank statement imported and
matched to open items, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from relance.banking.choices import StatementFormat
from relance.banking.parsers import StatementError
from relance.banking.services import statement_counts, statement_import
from relance.core.models import Entity


class Command(BaseCommand):
    help = "Bank statements: `bank import FILE` reads camt.053/054, MT940 or CSV (docs/bank.md)."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        importing = commands.add_parser("import", help="import and match a statement")
        importing.add_argument("file", type=Path)
        importing.add_argument("--entity", help="slug of the entity (required if several exist)")
        importing.add_argument(
            "--format",
            choices=StatementFormat.values,
            default="",
            help="the file's format (found from its content when absent)",
        )

    def handle(self, *args, action, file, entity, format, **options):
        try:
            content = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}") from None
        try:
            statement = statement_import(
                entity=self.entity(entity), content=content, file_name=file.name, format=format
            )
        except StatementError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{file.name}: the import failed, nothing was written") from None
        self.stdout.write(statement_counts(statement).summary())

    def entity(self, slug: str | None) -> Entity:
        if slug:
            entity = Entity.objects.filter(slug=slug).first()
            if entity is None:
                raise CommandError(f"No entity {slug!r}: {self.slugs()}")
            return entity
        entities = list(Entity.objects.order_by("slug")[:2])
        if len(entities) == 1:
            return entities[0]
        if not entities:
            raise CommandError("No entity yet: create one with `relance entity create`")
        raise CommandError(f"Several entities exist: use --entity with one of {self.slugs()}")

    @staticmethod
    def slugs() -> str:
        return ", ".join(Entity.objects.order_by("slug").values_list("slug", flat=True)) or "none"
