"""What the three importers share: the error list, typed cell parsing that records errors
instead of raising, and the column checks."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone

from relance.activity.models import CustomerEvent
from relance.activity.services import IMPORT_EVENT_FIELDS, import_event_rows
from relance.core.parsing import parse_bool, parse_date, parse_decimal
from relance.ledger.importers.readers import cell_text, column_letter
from relance.ledger.importers.writers import BulkWriter

MAX_ERRORS = 1000
MAX_AMOUNT = Decimal("1e12")  # DecimalField(max_digits=14, decimal_places=2)
PLAIN_AMOUNT = re.compile(r"\d{1,12}(\.\d{1,2})?")
CENT = Decimal("0.01")
# Characters that have no place in a single-line field (every imported field is one): C0 and
# C1 controls, DEL and the Unicode line separators. A newline in a name would break the
# subject of every email that quotes it.
CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
CONTROL_NAMES = {"\n": "a line break", "\r": "a line break", "\t": "a tab", "\x00": "a NUL byte"}
EVENT_CHUNK = 5000


class ErrorLog:
    """Every problem of a file, keeping the first MAX_ERRORS and counting the rest."""

    def __init__(self, limit: int = MAX_ERRORS):
        self.limit = limit
        self.entries: list[dict] = []
        self.total = 0

    def __bool__(self) -> bool:
        return self.total > 0

    def add(self, row: int | None, column: str, reason: str) -> None:
        self.total += 1
        if len(self.entries) < self.limit:
            self.entries.append({"row": row, "column": column, "reason": str(reason)})

    def as_list(self) -> list[dict]:
        """The errors by row (file-level ones first), ending with "… and N more" if capped."""
        errors = sorted(self.entries, key=lambda error: error["row"] or 0)
        if self.total > len(errors):
            more = self.total - len(errors)
            errors.append({"row": None, "column": "", "reason": f"… and {more} more errors"})
        return errors


def validation_reason(exc: ValidationError) -> str:
    return "; ".join(exc.messages)


class Row:
    """One data row by column name. Its parsers return None (or "") for a bad cell and record
    the error, so that one pass reports every problem of the row."""

    __slots__ = ("cells", "errors", "number", "ok")

    def __init__(self, number: int, cells: dict, errors: ErrorLog):
        self.number = number
        self.cells = cells
        self.errors = errors
        self.ok = True

    def error(self, column: str, reason: str) -> None:
        self.ok = False
        self.errors.add(self.number, column, reason)

    def raw(self, column: str):
        return self.cells.get(column)

    def text(self, column: str, *, required: bool = False, max_length: int | None = None) -> str:
        """The cell as one line of text; "" (and an error) if it holds a control character."""
        value = cell_text(self.cells.get(column))
        if not value:
            if required:
                self.error(column, "a value is required")
        elif max_length is not None and len(value) > max_length:
            self.error(column, f"longer than {max_length} characters")
        elif not value.isprintable() and self.control_character(column, value):
            return ""
        return value

    def control_character(self, column: str, text: str) -> bool:
        """Record an error if `text` holds a control character (isprintable() first: it is
        20 times faster than the regex and true for nearly every cell)."""
        found = CONTROL_CHARACTER.search(text)
        if found is None:
            return False
        character = found.group()
        name = CONTROL_NAMES.get(character, f"the control character U+{ord(character):04X}")
        where = f"character {found.start() + 1}"
        self.error(column, f"contains {name} ({where}): one line of text expected")
        return True

    def date(self, column: str, *, required: bool = False) -> date | None:
        value = self.cells.get(column)
        if type(value) is str:
            value = value.strip()
            if len(value) == 10 and value[4] == "-" and value[7] == "-":
                try:
                    return date.fromisoformat(value)  # the common case, 20 times faster
                except ValueError:
                    pass
        if value is None or value == "":
            if required:
                self.error(column, "a value is required")
            return None
        try:
            return parse_date(value)
        except ValueError as exc:
            self.error(column, str(exc))
            return None

    def amount(self, column: str, *, required: bool = False) -> Decimal | None:
        """A non-negative amount of at most 12 digits before the decimal point."""
        value = self.cells.get(column)
        if type(value) is str and PLAIN_AMOUNT.fullmatch(value):
            return Decimal(value).quantize(CENT)  # the common case, without parse_decimal's work
        if value is None or (type(value) is str and not value.strip()):
            if required:
                self.error(column, "a value is required")
            return None
        if type(value) is str and self.control_character(column, value.strip()):
            return None  # parse_decimal would take a tab or a newline for a thousands space
        try:
            number = parse_decimal(value)
        except ValueError as exc:
            self.error(column, str(exc))
            return None
        except InvalidOperation:  # 1e308: too many digits to round to cents
            shown = value.strip() if type(value) is str else value
            self.error(column, f"{shown!r} is too large")
            return None
        if number < 0:
            self.error(
                column, f"{number} is negative: amounts are positive, the kind gives the sign"
            )
            return None
        if number >= MAX_AMOUNT:
            self.error(column, f"{number} is too large")
            return None
        return number

    def flag(self, column: str) -> bool:
        value = self.cells.get(column)
        if value is None:
            return False
        try:
            return parse_bool(value)
        except ValueError as exc:
            self.error(column, str(exc))
            return False


class TableImport:
    """One kind of import. Subclasses declare their columns, turn a Row into a record
    (`parse`, which checks everything that can be checked) and classify and write a chunk
    of records (`apply`, called only while the file has no error)."""

    kind = ""
    required_columns: tuple[str, ...] = ()
    optional_columns: tuple[str, ...] = ()
    ignored_columns: tuple[str, ...] = ()

    def __init__(
        self,
        *,
        entity,
        columns: list[str],
        dry_run: bool,
        errors: ErrorLog,
        acting_user=None,
        source: dict | None = None,
        header_row: int | None = 1,
    ):
        self.entity = entity
        self.header_row = header_row  # where column errors are reported (records: None)
        self.columns = columns
        self.present = frozenset(columns)
        self.dry_run = dry_run
        self.errors = errors
        self.created = self.updated = self.unchanged = 0
        self.events_written = 0  # timeline events (one per customer changed)
        self.acting_user = acting_user
        # What the customers' timeline events say of this import: kind, batch, file.
        self.source = {"import": self.kind, **(source or {})}

    def accepted_columns(self) -> list[str]:
        return [*self.required_columns, *self.optional_columns]

    def check_columns(self) -> bool:
        """Report unnamed, unknown, duplicated and missing columns (at the header's row);
        True if the header is good."""
        accepted = set(self.accepted_columns()) | set(self.ignored_columns)
        seen = set()
        for index, name in enumerate(self.columns):
            if not name:  # its cells would be dropped without a word
                self.errors.add(self.header_row, column_letter(index), "the column has no name")
            elif name in seen:
                self.errors.add(self.header_row, name, "this column appears twice")
            seen.add(name)
            if name and name not in accepted:
                listing = ", ".join(self.accepted_columns())
                self.errors.add(
                    self.header_row, name, f"unknown column; accepted columns are: {listing}"
                )
        for name in self.required_columns:
            if name not in seen:
                self.errors.add(self.header_row, name, "required column is missing")
        return not self.errors

    def has(self, column: str) -> bool:
        return column in self.present

    def parse(self, row: Row):
        raise NotImplementedError

    def apply(self, records: list) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        """Write what `apply` staged; called once, only when the file has no error."""

    def write_events(self, changes: dict[int, dict]) -> None:
        """One timeline event per customer the file changed (`changes`: customer id -> what
        changed), inserted set-based: a statement per few thousand customers, never one a row."""
        if self.dry_run or not changes:
            return
        writer = BulkWriter(CustomerEvent, IMPORT_EVENT_FIELDS)
        self.events_written += len(changes)
        at, items = timezone.now(), list(changes.items())
        for start in range(0, len(items), EVENT_CHUNK):
            chunk = dict(items[start : start + EVENT_CHUNK])
            writer.insert(
                import_event_rows(
                    entity=self.entity,
                    acting_user=self.acting_user,
                    source=self.source,
                    changes=chunk,
                    at=at,
                )
            )
