"""Imports of files that are not tables of our columns (an accounting FEC, an e-invoice):
a reader turns the file into customer and item records, each with the line it comes from,
and these records go through the customer and item importers, with their checks and
set-based writes, in one transaction: all or nothing, as a CSV file would.

Errors of the shared importers name their own columns (`open_amount`, `legal_id`); they
are reported under the source's name for the same thing (`EcritureLet`, an XML element),
so that the user is sent to the place in their file."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db import transaction

from relance.ledger.importers.base import ErrorLog, TableImport
from relance.ledger.importers.customers import CustomerImport
from relance.ledger.importers.items import ItemImport


@dataclass
class Records:
    """What a reader made of a file: records keyed by the shared importers' columns, each
    with its line in the file, and where to report each column's errors."""

    lines: int = 0
    customers: list[tuple[int, dict]] = field(default_factory=list)
    items: list[tuple[int, dict]] = field(default_factory=list)
    customer_places: dict[str, str] = field(default_factory=dict)
    item_places: dict[str, str] = field(default_factory=dict)
    # A column's own line, where it differs from its record's (an XML element's line).
    item_lines: dict[str, int] = field(default_factory=dict)
    # Called once the import is written (True) or given up (False): a reader that stored
    # a document for the items removes it when nothing refers to it.
    on_done: Callable[[bool], None] | None = None


class PlacedErrors:
    """An ErrorLog seen through a renaming of its columns (the shared importers' names to
    the source's)."""

    def __init__(self, errors: ErrorLog, places: dict[str, str], lines: dict[str, int]):
        self.errors = errors
        self.places = places
        self.lines = lines

    def __bool__(self) -> bool:
        return bool(self.errors)

    def add(self, row: int | None, column: str, reason: str) -> None:
        self.errors.add(self.lines.get(column, row), self.places.get(column, column), reason)


class RecordRows:
    """Records with their own line numbers, read as a table's rows (`_run_rows`' input)."""

    header_row = None

    def __init__(self, records: list[tuple[int, dict]]):
        self.header = list(dict.fromkeys(key for _number, record in records for key in record))
        self.records = records
        self.total = len(records)

    @property
    def rows(self) -> Iterator[tuple[int, list, tuple]]:
        header = self.header
        for number, record in self.records:
            yield number, [record.get(column) for column in header], ()


class KeptDueDateItemImport(ItemImport):
    """Items whose due date the source only estimates (a FEC has none): a stored due date,
    set by an ERP file or by hand, wins over the estimate."""

    def _merge(self, record: dict, old: dict | None) -> dict:
        if old is not None and old["due_date"] is not None:
            record = {**record, "due_date": old["due_date"]}
        return super()._merge(record, old)


def write_records(
    *,
    records: Records,
    entity,
    dry_run: bool,
    acting_user,
    source: dict,
    errors: ErrorLog,
    outcome,
    run_rows,
    item_importer: type[ItemImport] = ItemImport,
) -> None:
    """Write the customers then the items of `records` in one transaction, rolled back if
    any row fails or for a dry run. Items name customers the same run may create, so both
    are written even in a dry run, then rolled back; the counts are those of a real run."""
    steps: list[tuple[type[TableImport], list, dict, dict]] = [
        (CustomerImport, records.customers, records.customer_places, {}),
        (item_importer, records.items, records.item_places, records.item_lines),
    ]
    created = updated = unchanged = 0
    with transaction.atomic():
        for importer_class, rows, places, lines in steps:
            if not rows:
                continue
            table = RecordRows(rows)
            importer = importer_class(
                entity=entity,
                columns=table.header,
                dry_run=False,
                errors=PlacedErrors(errors, places, lines),
                acting_user=acting_user,
                source=source,
                header_row=None,
            )
            if not importer.check_columns():
                break
            rows_before = outcome.rows
            run_rows(importer, table, outcome, None)
            outcome.rows = rows_before  # the file's lines are counted by the reader
            if errors:
                break
            created += importer.created
            updated += importer.updated
            unchanged += importer.unchanged
        if errors or dry_run:
            transaction.set_rollback(True)
    if not errors:
        outcome.created, outcome.updated, outcome.unchanged = created, updated, unchanged
