"""Every tabular export (CSV, XLSX), in a response or a file, goes through this module's writers.

No cell reaches a spreadsheet as a formula (OWASP "CSV injection"): a text that begins with
`=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with an apostrophe in CSV, and
XLSX cells of text are always written as text (openpyxl would otherwise store "=…" as a
formula). Numbers (int, Decimal, float, negative ones too) stay numbers, dates stay dates.
"""

import csv
import datetime
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import BinaryIO, TextIO

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NUMBERS = (int, float, Decimal)  # bool is an int: written as TRUE/FALSE by openpyxl
# An XLSX export is built in a temporary file, in memory up to this size, then sent by chunks.
SPOOL_BYTES = 8 * 1024 * 1024


def neutralised(text: str) -> str:
    """`text`, prefixed with an apostrophe if a spreadsheet would read it as a formula."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def csv_cell(value):
    """A value as the CSV writer takes it: numbers as they are, dates in ISO 8601, text
    neutralised."""
    if value is None:
        return ""
    if isinstance(value, NUMBERS):
        return value
    if isinstance(value, datetime.date):
        return value.isoformat()
    return neutralised(str(value))


def xlsx_cell(sheet, value):
    """A write-only cell: numbers, booleans and dates typed as such, anything else a text
    cell (never a formula), without the control characters XLSX cannot hold."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.make_naive(value)  # Excel has no time zones: local time
    if value is None or isinstance(value, (*NUMBERS, datetime.date, datetime.time)):
        return WriteOnlyCell(sheet, value=value)
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", str(value)))
    cell.data_type = "s"
    return cell


def write_csv(rows: Iterable[Iterable], out: TextIO) -> int:
    """Write `rows` (the header first, if any) to the text stream `out`; answers how many
    rows were written."""
    writer = csv.writer(out)
    count = 0
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
        count += 1
    return count


def write_xlsx(rows: Iterable[Iterable], out: BinaryIO | str, title: str) -> int:
    """Write `rows` as one sheet named `title` to `out` (a path or a binary stream), in
    openpyxl's write-only mode (rows go to disk as they come); answers how many rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    count = 0
    for row in rows:
        sheet.append([xlsx_cell(sheet, value) for value in row])
        count += 1
    workbook.save(out)
    return count


class _Echo:
    """A file-like object whose write() answers the line: csv.writer as a line generator."""

    def write(self, value):
        return value


def csv_response(rows: Iterable[Iterable], filename: str) -> StreamingHttpResponse:
    """Rows streamed as UTF-8 CSV with a BOM (so that Excel reads the accents), comma-separated,
    numbers with a decimal point: a file for machines first."""
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"
        for row in rows:
            yield writer.writerow([csv_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(rows: Iterable[Iterable], filename: str, title: str) -> FileResponse:
    """Rows as an XLSX sheet, built in a spooled temporary file (memory does not grow with
    the rows beyond SPOOL_BYTES) and sent by chunks."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - FileResponse closes it
    write_xlsx(rows, spool, title)
    spool.seek(0)
    return FileResponse(
        spool, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_TYPE
    )
