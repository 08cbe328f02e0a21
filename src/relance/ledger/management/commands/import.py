"""`relance import customers|contacts|items|fec|einvoice|auto FILE [--entity SLUG]
[--dry-run]`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from relance.core.models import Entity
from relance.ledger.choices import ImportKind
from relance.ledger.importers.detect import detect_file_kind
from relance.ledger.services import import_error_lines, import_file, import_summary


class Command(BaseCommand):
    help = (
        "Import a CSV or XLSX file of customers, contacts or items, an accounting FEC or an "
        "e-invoice (Factur-X PDF, UBL or CII XML), all or nothing (see docs/import.md); "
        "`auto` tells the kind from the file."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=[*ImportKind.values, "auto"])
        parser.add_argument("file", type=Path)
        parser.add_argument("--entity", help="slug of the entity (required if several exist)")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and count, write nothing"
        )

    def handle(self, *args, kind, file, entity, dry_run, verbosity, **options):
        if kind == "auto":
            kind = self.detect(file)
        batch = import_file(
            kind=kind,
            path=file,
            entity=self.entity(entity),
            dry_run=dry_run,
            file_name=file.name,
            progress=self.progress if verbosity > 1 else None,
        )
        if batch.errors:
            for line in import_error_lines(batch):
                self.stderr.write(line)
            raise CommandError(f"{file.name}: the import failed, nothing was written")
        self.stdout.write(import_summary(batch))

    @staticmethod
    def detect(file: Path) -> str:
        try:
            kind = detect_file_kind(file)
        except OSError as exc:
            raise CommandError(f"{file.name}: {exc.strerror or exc}") from None
        if kind is None:
            kinds = ", ".join(ImportKind.values)
            raise CommandError(f"{file.name}: cannot tell what the file holds; name it: {kinds}")
        return kind

    def entity(self, slug: str | None) -> Entity:
        if slug:
            try:
                return Entity.objects.get(slug=slug)
            except Entity.DoesNotExist:
                raise CommandError(f"No entity {slug!r}: {self.slugs()}") from None
        entities = list(Entity.objects.order_by("slug")[:2])
        if len(entities) == 1:
            return entities[0]
        if not entities:
            raise CommandError("No entity yet: create one with `relance entity create`")
        raise CommandError(f"Several entities exist: use --entity with one of {self.slugs()}")

    @staticmethod
    def slugs() -> str:
        return ", ".join(Entity.objects.order_by("slug").values_list("slug", flat=True)) or "none"

    def progress(self, done: int, total: int) -> None:
        self.stderr.write(f"{done}/{total} rows")
