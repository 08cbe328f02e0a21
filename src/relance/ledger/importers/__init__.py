"""Imports of customers, contacts and items from CSV or XLSX files, and of accounting FEC
files and e-invoices (read into the same customer and item records): every row is checked,
then the whole file is written in one transaction, or nothing is (see docs/import.md)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError, transaction

from relance.activity.models import CustomerEvent
from relance.core.statistics import tables_analyze
from relance.customers.models import Customer
from relance.ledger.choices import ImportKind
from relance.ledger.importers.base import ErrorLog, Row, TableImport
from relance.ledger.importers.contacts import ContactImport
from relance.ledger.importers.customers import CustomerImport
from relance.ledger.importers.einvoice import EInvoiceReader, read_einvoice_preview
from relance.ledger.importers.fec import COLUMNS as FEC_COLUMNS
from relance.ledger.importers.fec import FecReader, read_fec_preview
from relance.ledger.importers.items import ItemImport
from relance.ledger.importers.mapping import ColumnMapping, MappedTable
from relance.ledger.importers.readers import ImportFileError, Table, read_preview
from relance.ledger.importers.sources import KeptDueDateItemImport, write_records
from relance.ledger.models import Item

__all__ = [
    "IMPORTERS",
    "ImportFileError",
    "Outcome",
    "import_columns",
    "import_records",
    "read_kind_preview",
    "read_preview",
    "run_import",
]

IMPORTERS: dict[str, type[TableImport]] = {
    ImportKind.CUSTOMERS: CustomerImport,
    ImportKind.CONTACTS: ContactImport,
    ImportKind.ITEMS: ItemImport,
}
# Files read into customer and item records: (reader, item importer).
READERS = {
    ImportKind.FEC: (FecReader, KeptDueDateItemImport),
    ImportKind.EINVOICE: (EInvoiceReader, ItemImport),
}
CHUNK_ROWS = 5000


def import_columns() -> list[dict]:
    """Each kind of file with its required and optional columns, as the importers read
    them (the import page lists them)."""
    kinds = [
        {
            "kind": kind,
            "label": ImportKind(kind).label,
            "required": importer.required_columns,
            "optional": importer.optional_columns,
        }
        for kind, importer in IMPORTERS.items()
    ]
    kinds.append(
        {
            "kind": ImportKind.FEC,
            "label": ImportKind.FEC.label,
            "required": FEC_COLUMNS,
            "optional": (),
        }
    )
    kinds.append(
        {
            "kind": ImportKind.EINVOICE,
            "label": ImportKind.EINVOICE.label,
            "required": (),
            "optional": (),
            "formats": ("Factur-X / ZUGFeRD 2 (PDF)", "CII (XML)", "UBL 2.1 (XML)"),
        }
    )
    return kinds


@dataclass
class Outcome:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict] = field(default_factory=list)


def read_kind_preview(
    kind: str, path, file_name: str | None = None, limit: int = 10
) -> tuple[list[str], list[list[str]]]:
    """The preview table of a file of `kind`: its first rows (a FEC's first lines, an
    e-invoice as the item it makes). Raises ImportFileError if the file cannot be read."""
    if kind == ImportKind.FEC:
        return read_fec_preview(Path(path), limit)
    if kind == ImportKind.EINVOICE:
        return read_einvoice_preview(Path(path))
    return read_preview(path, file_name=file_name, limit=limit)


def run_import(
    *,
    kind: str,
    path: Path,
    entity,
    dry_run: bool,
    file_name: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    acting_user=None,
    batch_id: int | None = None,
    mapping: dict | None = None,
) -> Outcome:
    """Check and (unless `dry_run`) write one file; bad data ends up in `Outcome.errors`,
    never in an exception, and leaves the database as it was. Each customer the file changes
    gets one timeline event, by `acting_user` (None: the system), naming the batch. A large
    file's tables are analysed once written (core/statistics.py). With a smart upload's
    `mapping` (ColumnMapping data) the file's columns are read as the fields it names, and
    errors name both: `due_date (Fälligkeitsdatum)`."""
    errors = ErrorLog()
    outcome = Outcome()
    source = {"batch": batch_id, "file": file_name or Path(path).name}
    if kind in READERS:
        _import_source(kind, path, entity, dry_run, acting_user, source, errors, outcome, progress)
        outcome.errors = errors.as_list()
        return outcome
    mapped = None
    try:
        with Table(path, file_name) as table:
            if mapping is not None:
                table = mapped = MappedTable(table, kind, ColumnMapping.from_data(mapping))
            _import_table(
                kind, table, entity, dry_run, acting_user, source, errors, outcome, progress
            )
    except ImportFileError as exc:
        errors.add(None, "", str(exc))
    outcome.errors = errors.as_list()
    if mapped is not None:
        for error in outcome.errors:
            error["column"] = mapped.label(error["column"])
    return outcome


def _import_source(kind, path, entity, dry_run, acting_user, source, errors, outcome, progress):
    """Read a FEC or an e-invoice into records, then write them through the customer and
    item importers (sources.py), all or nothing."""
    reader_class, item_importer = READERS[kind]
    written = False
    records = None
    try:
        reader = reader_class(entity=entity, errors=errors, dry_run=dry_run, progress=progress)
        records = reader.read(Path(path))
        outcome.rows = records.lines
        if not errors:
            write_records(
                records=records,
                entity=entity,
                dry_run=dry_run,
                acting_user=acting_user,
                source={**source, "format": kind},
                errors=errors,
                outcome=outcome,
                run_rows=_run_rows,
                item_importer=item_importer,
            )
            written = not (errors or dry_run)
    except ImportFileError as exc:
        errors.add(None, "", str(exc))
    except DatabaseError as exc:
        errors.add(None, "", f"the database refused the import: {exc}")
    finally:
        if records is not None and records.on_done is not None:
            records.on_done(written)
    if written:
        tables_analyze(Customer, Item, CustomerEvent, rows=outcome.created + outcome.updated)
    if progress:
        progress(outcome.rows, outcome.rows)


def import_records(
    *, kind: str, records: list[dict], entity, dry_run: bool, acting_user=None, source: dict
) -> Outcome:
    """The same checks and writes as `run_import`, over records (the API's bulk upserts:
    one mapping of column to value per row). Row numbers are the records' indexes; an error
    about a column itself (unknown, missing) has no row."""
    errors = ErrorLog()
    outcome = Outcome()
    table = RecordTable(records)
    _import_table(kind, table, entity, dry_run, acting_user, source, errors, outcome, None)
    outcome.errors = errors.as_list()
    return outcome


class RecordTable:
    """Records read as a file's rows: the header is every key in order of first appearance,
    a key missing from a record an empty cell."""

    header_row = None
    # Its rows' cells come keyed by column (the records themselves: a key missing from one
    # is a cell that `Row` reads as empty), not in the header's order.
    keyed = True

    def __init__(self, records: list[dict]):
        self.records = records
        self.header = list(dict.fromkeys(key for record in records for key in record))
        self.total = len(records)

    @property
    def rows(self):
        nested = (dict, list)
        for index, record in enumerate(self.records):
            problems = []
            if any(isinstance(cell, nested) for cell in record.values()):
                problems = [
                    (column, "expected a text, a number or true/false")
                    for column in self.header
                    if isinstance(record.get(column), nested)
                ]
            yield index, record, problems


def _import_table(kind, table, entity, dry_run, acting_user, source, errors, outcome, progress):
    """Check every row of `table` (a file or records), write it all in one transaction or
    nothing."""
    try:
        importer = IMPORTERS[kind](
            entity=entity,
            columns=table.header,
            dry_run=dry_run,
            errors=errors,
            acting_user=acting_user,
            source=source,
            header_row=getattr(table, "header_row", 1),
        )
        if importer.check_columns():
            with transaction.atomic():
                _run_rows(importer, table, outcome, progress)
                if errors or dry_run:
                    transaction.set_rollback(True)
            if not (errors or dry_run):
                written = importer.created + importer.updated
                tables_analyze(importer.writer.model, rows=written, burst=True)
                tables_analyze(CustomerEvent, rows=importer.events_written, burst=True)
    except DatabaseError as exc:
        errors.add(None, "", f"the database refused the import: {exc}")
    if not errors:
        outcome.created, outcome.updated = importer.created, importer.updated
        outcome.unchanged = importer.unchanged


def _run_rows(importer: TableImport, table: Table, outcome: Outcome, progress) -> None:
    """Parse every row that the reader could read; while the file is clean, classify and
    write it chunk by chunk."""
    header, errors = table.header, importer.errors
    keyed = getattr(table, "keyed", False)
    chunk: list = []
    for number, cells, problems in table.rows:
        outcome.rows += 1
        if problems:  # the cells cannot be trusted to be under their column: report, skip
            for column, reason in problems:
                errors.add(number, column, reason)
            record = None
        else:
            cells = cells if keyed else dict(zip(header, cells, strict=False))
            record = importer.parse(Row(number, cells, errors))
        if errors:
            chunk.clear()  # the file fails: keep checking rows, stop writing
        elif record is not None:
            chunk.append(record)
            if len(chunk) >= CHUNK_ROWS:
                importer.apply(chunk)
                chunk = []
        if progress and outcome.rows % CHUNK_ROWS == 0:
            progress(outcome.rows, max(table.total, outcome.rows))
    if chunk and not errors:
        importer.apply(chunk)
    if not errors:
        importer.finish()
    if progress:
        progress(outcome.rows, outcome.rows)
