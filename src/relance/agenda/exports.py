"""Actions as CSV or XLSX, streamed: rows are read with .iterator() and written as they
come (openpyxl in write-only mode), so that memory does not grow with the agenda."""

import csv
from collections.abc import Iterable
from datetime import date
from typing import BinaryIO, TextIO

from relance.agenda.selectors import EXPORT_COLUMNS

CHUNK_SIZE = 2000


def _cells(row: tuple) -> list:
    return ["" if value is None else value for value in row]


def write_csv(rows: Iterable[tuple], out: TextIO) -> int:
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    count = 0
    for row in rows:
        writer.writerow([v.isoformat() if isinstance(v, date) else v for v in _cells(row)])
        count += 1
    return count


def write_xlsx(rows: Iterable[tuple], out: BinaryIO) -> int:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("actions")
    sheet.append(list(EXPORT_COLUMNS))
    count = 0
    for row in rows:
        sheet.append(_cells(row))
        count += 1
    workbook.save(out)
    return count


def export_actions(queryset, out, fmt: str = "csv") -> int:
    """Write the actions of `queryset` (agenda.selectors.action_export_rows) to `out`
    (text for CSV, binary for XLSX); answers the number of rows."""
    rows = queryset.iterator(chunk_size=CHUNK_SIZE)
    if fmt == "xlsx":
        return write_xlsx(rows, out)
    return write_csv(rows, out)
