"""Every tabular export (CSV, XLSX), in a response or a file, goes through this module's writers.

No cell reaches a spreadsheet as a formula (OWASP "CSV injection"): a text that begins with
`=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with an apostrophe in CSV, and
XLSX cells of text are always written as text (openpyxl would otherwise store "=…" as a
formula). Numbers (int, Decimal, float, negative ones too) stay numbers, dates stay dates:
ISO 8601 in CSV, real date cells in XLSX shown in the reader's short form (05/12/2026, from
SHORT_DATE_FORMAT of the active language, relance/formats).
"""

import csv
import datetime
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import BinaryIO, TextIO

from django.http import FileResponse, StreamingHttpResponse
from django.utils import formats, timezone, translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NUMBERS = (int, float, Decimal)  # bool is an int: written as TRUE/FALSE by openpyxl
# An XLSX export is built in a temporary file, in memory up to this size, then sent by chunks.
SPOOL_BYTES = 8 * 1024 * 1024
# Django's date format characters and Excel's number format codes for the same parts; "i" is
# minutes, which Excel also writes "MM" (after hours). Other letters have no Excel code.
EXCEL_CODES = {"d": "DD", "j": "D", "m": "MM", "n": "M", "Y": "YYYY", "y": "YY"}
EXCEL_CODES |= {"H": "HH", "G": "H", "i": "MM", "s": "SS"}
ISO_DATE, ISO_DATETIME = "YYYY-MM-DD", "YYYY-MM-DD HH:MM:SS"


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
    if isinstance(value, datetime.datetime):
        return value.replace(microsecond=0).isoformat()  # to the second, as people read it
    if isinstance(value, datetime.date):
        return value.isoformat()
    return neutralised(str(value))


def excel_format(django_format: str, fallback: str) -> str:
    """The Excel number format of a Django date format made of day, month, year, hour,
    minute and second numbers ("d/m/Y" → "DD/MM/YYYY"); `fallback` for any other."""
    codes = []
    for char in django_format:
        if char.isalpha() and char not in EXCEL_CODES:
            return fallback
        codes.append(EXCEL_CODES.get(char, char))
    return "".join(codes)


def date_formats() -> dict[type, str]:
    """Excel number formats of dates and of dates with a time, in the active language."""
    return {
        datetime.date: excel_format(formats.get_format("SHORT_DATE_FORMAT"), ISO_DATE),
        datetime.datetime: excel_format(formats.get_format("SHORT_DATETIME_FORMAT"), ISO_DATETIME),
    }


def xlsx_cell(sheet, value, number_formats=None):
    """A write-only cell: numbers, booleans and dates typed as such (dates in
    `number_formats`, by type: see date_formats), anything else a text cell (never a
    formula), without the control characters XLSX cannot hold."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.make_naive(value)  # Excel has no time zones: local time
    if value is None or isinstance(value, (*NUMBERS, datetime.time)):
        return WriteOnlyCell(sheet, value=value)
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        number_formats = number_formats or date_formats()
        kind = datetime.datetime if isinstance(value, datetime.datetime) else datetime.date
        cell.number_format = number_formats[kind]
        return cell
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
    number_formats = date_formats()
    count = 0
    for row in rows:
        sheet.append([xlsx_cell(sheet, value, number_formats) for value in row])
        count += 1
    workbook.save(out)
    return count


class _Echo:
    """A file-like object whose write() answers the line: csv.writer as a line generator."""

    def write(self, value):
        return value


def csv_response(rows: Iterable[Iterable], filename: str) -> StreamingHttpResponse:
    """Rows streamed as UTF-8 CSV with a BOM (so that Excel reads the accents), comma-separated,
    numbers with a decimal point, dates in ISO 8601. The rows are read while the response
    streams, after the view has returned: in the request's language and time zone, kept."""
    writer = csv.writer(_Echo())
    language, zone = translation.get_language(), timezone.get_current_timezone()

    def lines() -> Iterator[str]:
        yield "\ufeff"
        with translation.override(language), timezone.override(zone):
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
