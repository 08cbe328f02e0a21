"""Writes of the ledger: imports of customers, contacts and items."""

from collections.abc import Callable
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext

from relance.core.models import Entity
from relance.ledger.choices import ImportKind, ImportStatus
from relance.ledger.importers import run_import
from relance.ledger.models import ImportBatch


def import_file(
    *,
    kind: str,
    path: Path,
    entity: Entity,
    acting_user=None,
    dry_run: bool = False,
    file_name: str | None = None,
    batch: ImportBatch | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportBatch:
    """Import a CSV or XLSX file of `kind` for `entity`, all or nothing, and record the run
    in an ImportBatch (the one given, or a new one). Bad data never raises: the batch is
    FAILED with its errors and nothing else is written; a dry run writes nothing either."""
    if kind not in ImportKind.values:
        raise ValueError(f"unknown import kind {kind!r}: {', '.join(ImportKind.values)}")
    path = Path(path)
    batch = batch or ImportBatch(entity=entity)
    batch.entity, batch.kind, batch.dry_run = entity, kind, dry_run
    batch.file_name = file_name or batch.file_name or path.name
    batch.status, batch.started_by, batch.finished_at = ImportStatus.RUNNING, acting_user, None
    batch.save()

    outcome = run_import(
        kind=kind,
        path=path,
        entity=entity,
        dry_run=dry_run,
        file_name=batch.file_name,
        progress=progress,
        acting_user=acting_user,
        batch_id=batch.pk,
    )
    batch.rows, batch.errors = outcome.rows, outcome.errors
    batch.created, batch.updated, batch.unchanged = (
        outcome.created,
        outcome.updated,
        outcome.unchanged,
    )
    if outcome.errors:
        batch.status = ImportStatus.FAILED
    else:
        batch.status = ImportStatus.PREVIEWED if dry_run else ImportStatus.DONE
    batch.finished_at = timezone.now()
    batch.save()
    return batch


def import_summary(batch: ImportBatch) -> str:
    """One line of counts, worded for a dry run or a real import."""
    if batch.dry_run:
        return (
            f"would create {batch.created}, update {batch.updated}, "
            f"leave {batch.unchanged} unchanged"
        )
    return f"created {batch.created}, updated {batch.updated}, unchanged {batch.unchanged}"


def import_summary_display(batch: ImportBatch) -> str:
    """The same counts in the user's language, for the import pages (the command line keeps
    the fixed English line that scripts read)."""
    counts = {"created": batch.created, "updated": batch.updated, "unchanged": batch.unchanged}
    if batch.dry_run:
        return (
            gettext("would create %(created)s, update %(updated)s, leave %(unchanged)s unchanged")
            % counts
        )
    return gettext("created %(created)s, updated %(updated)s, unchanged %(unchanged)s") % counts


def import_error_lines(batch: ImportBatch) -> list[str]:
    """`row N, column C: reason` for each stored error; file-level errors name no row."""
    lines = []
    for error in batch.errors or []:
        place = []
        if error.get("row") is not None:
            place.append(f"row {error['row']}")
        if error.get("column"):
            place.append(f"column {error['column']}")
        lines.append(f"{', '.join(place)}: {error['reason']}" if place else error["reason"])
    return lines
