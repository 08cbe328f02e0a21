"""Reading import files (CSV in UTF-8 with `,` or `;`, or XLSX) as a header and numbered rows.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first data row is 2.
Blank rows are skipped but keep their number, so error rows match what the user sees.
"""

import codecs
import csv
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary Excel format
SNIFF_BYTES = 64 * 1024
DELIMITERS = (";", ",", "\t")


class ImportFileError(ValueError):
    """The file as a whole cannot be read; the message tells the user why."""


def normalise_column(name) -> str:
    """`Customer External ID` and `customer_external_id` name the same column."""
    text = "" if name is None else str(name)
    return text.strip().lstrip("\ufeff").lower().replace(" ", "_").replace("-", "_")


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
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        raise ImportFileError("the file is not UTF-8 text: save it as CSV UTF-8") from None
    return "csv"


class Table:
    """An open import file: `header` (normalised names), `rows` yielding (row number, cells)
    and `total`, an estimate of the data rows for progress bars. Use it as a context manager."""

    def __init__(self, path: Path, file_name: str | None = None):
        self.path = Path(path)
        self.format = detect_format(self.path, file_name)
        self._close = lambda: None
        if self.format == "xlsx":
            self.raw_header, self._cells, self.total = self._open_xlsx()
        else:
            self.raw_header, self._cells, self.total = self._open_csv()
        self.header = [normalise_column(name) for name in self.raw_header]

    def __enter__(self) -> "Table":
        return self

    def __exit__(self, *exc_info) -> None:
        self._close()

    @property
    def rows(self) -> Iterator[tuple[int, list]]:
        """The non-blank data rows with their spreadsheet row numbers."""
        for number, cells in enumerate(self._cells, start=2):
            if any(cell is not None and cell != "" and cell_text(cell) for cell in cells):
                yield number, list(cells)

    def _open_csv(self):
        with open(self.path, encoding="utf-8-sig", newline="") as probe:
            first_line = probe.readline()
        counts = {delimiter: first_line.count(delimiter) for delimiter in DELIMITERS}
        delimiter = max(DELIMITERS, key=counts.get) if any(counts.values()) else ","
        handle = open(self.path, encoding="utf-8-sig", newline="")  # noqa: SIM115 closed in __exit__
        self._close = handle.close
        reader = csv.reader(handle, delimiter=delimiter)
        cells = _checked_csv(reader)
        header = next(cells, None)
        if header is None:
            raise ImportFileError("the file is empty")
        return header, cells, max(_count_lines(self.path) - 1, 0)

    def _open_xlsx(self):
        import openpyxl

        try:
            workbook = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
            sheet = workbook.worksheets[0]
        except Exception as exc:  # openpyxl raises zip, XML and key errors for a broken file
            raise ImportFileError(f"not a readable XLSX workbook ({exc})") from exc
        self._close = workbook.close
        total = max((sheet.max_row or 1) - 1, 0)
        sheet.reset_dimensions()  # some writers store wrong dimensions; read every row
        cells = sheet.iter_rows(values_only=True)
        header = next(cells, None)
        if header is None:
            raise ImportFileError("the workbook's first sheet is empty")
        return list(header), cells, total


def _checked_csv(reader) -> Iterator[list[str]]:
    """The CSV records, turning decoding and syntax errors into file-level errors."""
    try:
        yield from reader
    except UnicodeDecodeError:
        raise ImportFileError(
            f"row {reader.line_num + 1}: the file is not UTF-8 text: save it as CSV UTF-8"
        ) from None
    except csv.Error as exc:
        raise ImportFileError(f"row {reader.line_num}: the CSV is malformed ({exc})") from None


def _count_lines(path: Path) -> int:
    lines = 0
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            lines += block.count(b"\n")
    return lines


def read_preview(
    path, file_name: str | None = None, limit: int = 10
) -> tuple[list[str], list[list[str]]]:
    """The header and the first `limit` non-blank rows as text, for the preview table.
    Raises ImportFileError if the file cannot be read."""
    with Table(Path(path), file_name) as table:
        header = [cell_text(name) for name in table.raw_header]
        rows = []
        for _number, cells in table.rows:
            if len(rows) >= limit:
                break
            rows.append([cell_text(cell) for cell in cells])
        return header, rows
