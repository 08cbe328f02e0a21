"""Reading import files (CSV in UTF-8 with `,` or `;`, or XLSX) as a header and numbered rows.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first data row is 2.
Blank rows are skipped but keep their number, so error rows match what the user sees.
Whatever cannot be read exactly as written (a missing or extra cell, an unclosed quote, a
byte that is not UTF-8, an Excel error or a formula never computed, a broken workbook) is
an error, never a guess: an import must not write data that differs from the file.
"""

import codecs
import csv
import itertools
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary Excel format
SNIFF_BYTES = 64 * 1024
DELIMITERS = (";", ",", "\t")
XLSX_MAX_ROW, XLSX_MAX_COLUMN = 1_048_576, 16_384
NO_PROBLEMS: tuple = ()


class ImportFileError(ValueError):
    """The file as a whole cannot be read; the message tells the user why."""


class CellProblem:
    """An XLSX cell whose value cannot be trusted (an Excel error, a formula never computed,
    a date out of range): the row fails with `reason` instead of importing a guess."""

    __slots__ = ("reason",)

    def __init__(self, reason: str):
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


def normalise_column(name) -> str:
    """`Customer External ID` and `customer_external_id` name the same column."""
    text = "" if name is None else str(name)
    return text.strip().lstrip("\ufeff").lower().replace(" ", "_").replace("-", "_")


def column_letter(index: int) -> str:
    """The spreadsheet name of the column at 0-based `index`: A, B, …, Z, AA, …"""
    letters, index = "", index + 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_text(value) -> str:
    """A cell as the text a user typed: XLSX numbers and dates come back as they look."""
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def detect_format(path: Path, file_name: str | None = None) -> str:
    """'csv' or 'xlsx', from the content first and the name second; ImportFileError if neither."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError as exc:
        raise ImportFileError(f"cannot read the file: {exc.strerror or exc}") from exc
    suffix = Path(file_name or path).suffix.lower()
    if head.startswith(XLSX_MAGIC):
        return "xlsx"
    if head.startswith(XLS_MAGIC):
        raise ImportFileError("this is an old Excel .xls file: save it as .xlsx or CSV UTF-8")
    if suffix in {".xlsx", ".xlsm"}:
        raise ImportFileError("the file is named .xlsx but is not an Excel workbook")
    if not head.strip():
        raise ImportFileError("the file is empty")
    if b"\x00" in head:
        raise ImportFileError("this is a binary file, neither CSV nor XLSX")
    return "csv"


class Table:
    """An open import file: `header` (normalised names), `rows` yielding (row number, cells,
    problems) and `total`, an estimate of the data rows for progress bars. Columns after the
    last named one are not part of the header. Use it as a context manager."""

    def __init__(self, path: Path, file_name: str | None = None):
        self.path = Path(path)
        self.format = detect_format(self.path, file_name)
        self._close = lambda: None
        self.delimiter = ","
        opener = self._open_xlsx if self.format == "xlsx" else self._open_csv
        try:
            header, self._records, self.total = opener()
        except ImportFileError:
            self._close()  # a file refused on its first rows is not left open
            raise
        self.width = _named_width(header)
        self._header_cells = len(header)  # CSV: trailing separators on every line are fine
        self.raw_header = list(header[: self.width])
        self.header = [normalise_column(name) for name in self.raw_header]

    def __enter__(self) -> "Table":
        return self

    def __exit__(self, *exc_info) -> None:
        self._close()

    @property
    def rows(self) -> Iterator[tuple[int, list, tuple | list]]:
        """The non-blank data rows with their spreadsheet row numbers, each with the
        (column, reason) problems that keep it from being read as the header says."""
        check = self._xlsx_problems if self.format == "xlsx" else self._csv_problems
        for number, cells in self._records:
            if any(cell is not None and cell != "" and cell_text(cell) for cell in cells):
                yield number, cells, check(cells)

    def _csv_problems(self, cells: list[str]):
        """A row must have a cell for each named column, and no more cells than the header
        line (an unquoted separator inside a cell shifts every cell after it)."""
        count = len(cells)
        if count < self.width:
            reason = (
                f"the row has {count} cells but the header has {self.width}: a cell or a "
                "separator is missing"
            )
            return [(self.header[count], reason)]
        if count > self._header_cells:
            reason = (
                f"the row has {count} cells but the header has {self._header_cells}: quote "
                f"the cells that contain the separator {self.delimiter!r}"
            )
            return [("", reason)]
        return self._unnamed_values(cells) if count > self.width else NO_PROBLEMS

    def _xlsx_problems(self, cells: list):
        problems = self._unnamed_values(cells) if len(cells) > self.width else []
        for index, cell in enumerate(cells[: self.width]):
            if type(cell) is CellProblem:
                problems.append((self.header[index], cell.reason))
        return problems

    def _unnamed_values(self, cells: list) -> list[tuple[str, str]]:
        return [
            (column_letter(index), "a value in a column that has no name in row 1")
            for index in range(self.width, len(cells))
            if cell_text(cells[index])
        ]

    def _open_csv(self):
        lines = _count_utf8_lines(self.path)
        with open(self.path, encoding="utf-8-sig", newline="") as probe:
            first_line = probe.readline()
        counts = {delimiter: first_line.count(delimiter) for delimiter in DELIMITERS}
        self.delimiter = max(DELIMITERS, key=counts.get) if any(counts.values()) else ","
        handle = open(self.path, encoding="utf-8-sig", newline="")  # noqa: SIM115 closed in __exit__
        self._close = handle.close
        records = _csv_records(csv.reader(handle, delimiter=self.delimiter, strict=True))
        first = next(records, None)
        if first is None:
            raise ImportFileError("the file is empty")
        return first[1], records, max(lines - 1, 0)

    def _open_xlsx(self):
        import openpyxl

        try:
            workbook = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
            sheet = workbook.worksheets[0]
            total = max((sheet.max_row or 1) - 1, 0)
        except Exception as exc:  # openpyxl raises zip, XML and key errors for a broken file
            raise ImportFileError(f"not a readable XLSX workbook ({exc})") from exc
        self._close = workbook.close
        from relance.ledger.importers.xlsx import sheet_records

        records = sheet_records(workbook, sheet)
        first = next(records, None)
        if first is None:
            raise ImportFileError("the workbook's first sheet is empty")
        if first[0] != 1:  # no header row: every required column is reported missing
            return [], itertools.chain([first], records), total
        for index, cell in enumerate(first[1]):
            if type(cell) is CellProblem:
                raise ImportFileError(f"row 1, column {column_letter(index)}: {cell.reason}")
        return first[1], records, total


def _named_width(header: list) -> int:
    """The number of columns up to the last one with a name."""
    width = len(header)
    while width and not cell_text(header[width - 1]):
        width -= 1
    return width


def _count_utf8_lines(path: Path) -> int:
    """The file's number of lines, after checking that all of it is UTF-8 (ImportFileError
    naming the line of the first byte that is not), in one pass at C speed."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines = 0
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            pending = len(decoder.getstate()[0])
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                start = max(exc.start - pending, 0)
                line = lines + block.count(b"\n", 0, start) + 1
                raise ImportFileError(
                    f"the file is not UTF-8 text (line {line}, byte 0x{block[start]:02X}): "
                    "save it as CSV UTF-8"
                ) from None
            lines += block.count(b"\n")
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise ImportFileError(
            f"the file is not UTF-8 text (line {lines + 1}, a truncated character at the end): "
            "save it as CSV UTF-8"
        ) from None
    return lines


def _csv_records(reader) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) of each CSV record, the header being row 1; a syntax error is a
    file-level error naming the row and the line where that row starts."""
    number, line = 0, 1
    try:
        for cells in reader:
            number += 1
            yield number, cells
            line = reader.line_num + 1
    except csv.Error as exc:
        raise ImportFileError(f"row {number + 1}: {_csv_reason(str(exc), line)}") from None


def _csv_reason(error: str, line: int) -> str:
    where = f"(line {line} of the file)"
    if "unexpected end of data" in error:
        return f"a quote opened in this row {where} is never closed"
    if "field larger than field limit" in error:
        limit = csv.field_size_limit()
        return f"a cell of more than {limit:,} characters {where}: is a quote left open?"
    if "expected after" in error:
        return (
            f"text follows the closing quote of a cell {where}: quote the whole cell and "
            'double the quotes inside it ("")'
        )
    return f"the CSV is malformed {where}: {error}"


def read_preview(
    path, file_name: str | None = None, limit: int = 10
) -> tuple[list[str], list[list[str]]]:
    """The header and the first `limit` non-blank rows as text, for the preview table.
    Raises ImportFileError if the file cannot be read."""
    with Table(Path(path), file_name) as table:
        header = [cell_text(name) for name in table.raw_header]
        rows = []
        for _number, cells, _problems in table.rows:
            if len(rows) >= limit:
                break
            rows.append([cell_text(cell) for cell in cells[: table.width]])
        return header, rows
