"""Reading the first sheet of an XLSX workbook row by row, with every cell either read
exactly or marked as a CellProblem.

openpyxl's read-only mode with `data_only=True` reads a formula that was never computed as an
empty cell, an Excel error such as `#DIV/0!` as text, and ends in a traceback on a broken
cell reference, number or XML. Its streaming parser is extended here to tell these apart;
this module is the only one that touches openpyxl's internals.
"""

import math
from collections.abc import Iterator
from datetime import datetime

from openpyxl.utils import coordinate_to_tuple
from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

from relance.ledger.importers.readers import (
    XLSX_MAX_COLUMN,
    XLSX_MAX_ROW,
    CellProblem,
    ImportFileError,
    column_letter,
)

UNCOMPUTED = (
    "a formula without a computed value: open the file in Excel and save it again, "
    "or paste the values instead of the formulas"
)
LAST_EXCEL_DATE = 2_958_466  # the serial number of 10000-01-01
CELL_TYPES = {"n": "number", "s": "shared text", "d": "date", "b": "true/false value"}


class CheckedSheetParser(WorkSheetParser):
    """openpyxl's sheet parser (data only), turning what it would misread into CellProblems
    and a bad cell reference into an ImportFileError."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The styles of date cells, as the `s` attribute writes them (durations excepted).
        self.date_styles = {str(style) for style in self.date_formats - self.timedelta_formats}

    def parse_cell(self, element) -> dict:
        if element.get("s") in self.date_styles:  # before openpyxl, which reads "#VALUE!"
            late_date = self._date_out_of_range(element)
            if late_date:
                return self._problem(element, late_date, counted=False)
        try:
            cell = super().parse_cell(element)
        except Exception:  # a value or reference openpyxl cannot convert
            raw, kind = element.findtext(VALUE_TAG), CELL_TYPES.get(element.get("t", "n"))
            reason = f"the cell's value {raw!r} is not a valid {kind or 'value'}"
            return self._problem(element, reason, counted=True)
        value = cell["value"]
        kind = type(value)  # most cells are text: one test for them
        if kind is str:
            if cell["data_type"] == "e":
                cell["value"] = CellProblem(_error_reason(element, value))
        elif value is None:
            if element.find(FORMULA_TAG) is not None:
                cell["value"] = CellProblem(UNCOMPUTED)
        elif kind is float:
            if not math.isfinite(value):
                raw = element.findtext(VALUE_TAG)
                cell["value"] = CellProblem(f"{raw} is not a finite number")
        elif kind is datetime and value.year < 1900:
            raw = element.findtext(VALUE_TAG)
            cell["value"] = CellProblem(f"{raw} is not a valid date: Excel dates start in 1900")
        return cell

    def _date_out_of_range(self, element) -> str | None:
        """Why a number cell styled as a date has no date (after 9999-12-31, NaN), or None."""
        if element.get("t", "n") != "n":
            return None
        raw = element.findtext(VALUE_TAG)
        try:
            serial = float(raw)
        except (TypeError, ValueError):
            return None  # not a number: reported as such by parse_cell
        if serial < LAST_EXCEL_DATE:
            return None
        return f"{raw} is not a valid date: the serial number is out of Excel's range"

    def _problem(self, element, reason: str, *, counted: bool) -> dict:
        """The cell as a CellProblem, placed by its reference (or after the previous cell,
        which openpyxl has `counted` already when it failed on the value)."""
        reference = element.get("r")
        if not reference:
            if not counted:
                self.col_counter += 1
            row, column = self.row_counter, self.col_counter
        else:
            try:
                row, column = coordinate_to_tuple(reference)
            except Exception:  # openpyxl raises ValueError and others for a bad reference
                raise ImportFileError(
                    f"row {self.row_counter}: the XLSX sheet has an invalid cell reference "
                    f"{reference!r}"
                ) from None
            self.col_counter = column
        value = CellProblem(reason)
        return {"row": row, "column": column, "value": value, "data_type": "e", "style_id": 0}


def _error_reason(element, value) -> str:
    if element.get("t") == "e":
        return f"{value} is an Excel error: correct the formula or the value in the file"
    return f"{element.findtext(VALUE_TAG)} is not a valid date"  # openpyxl's "#VALUE!"


def sheet_records(workbook, sheet) -> Iterator[tuple[int, list]]:
    """(row number, values) of each row the sheet stores, in order; a sheet that cannot be
    parsed is a file-level error naming the row where reading stopped."""
    number = 0
    try:
        with sheet._get_source() as source:
            parser = CheckedSheetParser(
                source,
                sheet._shared_strings,
                data_only=True,
                epoch=workbook.epoch,
                date_formats=workbook._date_formats,
                timedelta_formats=workbook._timedelta_formats,
            )
            for index, cells in parser.parse():
                if not number < index <= XLSX_MAX_ROW:
                    raise ImportFileError(
                        f"row {index}: the rows of the XLSX sheet are out of order or numbered "
                        "beyond Excel's limit"
                    )
                number = index
                yield number, _row_values(number, cells)
    except ImportFileError:
        raise
    except Exception as exc:  # broken XML or zip data: the workbook is damaged
        raise ImportFileError(
            f"row {number + 1}: the XLSX sheet is damaged and cannot be read ({exc})"
        ) from None


def _row_values(number: int, cells: list[dict]) -> list:
    """The values of one row by column position, missing cells as None; each cell must be
    in this row, in a column after the previous cell's."""
    values: list = []
    for cell in cells:
        column = cell["column"]
        if cell["row"] != number or not len(values) < column <= XLSX_MAX_COLUMN:
            reference = f"{column_letter(column - 1)}{cell['row']}"
            raise ImportFileError(
                f"row {number}: the XLSX sheet has an invalid cell reference {reference!r}"
            )
        if column > len(values) + 1:
            values.extend([None] * (column - 1 - len(values)))
        values.append(cell["value"])
    return values
