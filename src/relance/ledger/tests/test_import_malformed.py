"""Files that used to be imported wrongly, or to end in a traceback: each is now an error
naming the row and column (or the file) and writes nothing. `martin` (conftest.py) is the
existing customer a bad file must leave alone. The helpers here are shared by
test_import_fuzz.py."""

import re
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from relance.customers.models import Contact, Customer
from relance.ledger.choices import ImportStatus
from relance.ledger.models import Item
from relance.ledger.services import import_error_lines
from relance.ledger.tests.test_importers import run, stored_counts, write_xlsx

HEADER = "external_id,name,city,postal_code\n"


def database_state() -> tuple:
    """The row counts and every customer's, contact's and item's fields: equal before and
    after a failed import."""
    tables = [list(model.objects.order_by("pk").values()) for model in (Customer, Contact, Item)]
    return stored_counts(), tables


def write_bytes(path: Path, content: bytes | str) -> Path:
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def patch_sheet(path: Path, change) -> Path:
    """Rewrite the first sheet's XML of a workbook with `change(xml) -> xml`."""
    name = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    parts[name] = change(parts[name].decode()).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for filename, data in parts.items():
            target.writestr(filename, data)
    return path


def replace_cell(xml: str, reference: str, cell: str) -> str:
    """Replace the `<c r="reference">…</c>` element of a sheet's XML by `cell`."""
    pattern = rf'<c r="{reference}"[^>]*?(/>|>.*?</c>)'
    new, count = re.subn(pattern, cell, xml, count=1)
    assert count == 1, f"no cell {reference} in {xml}"
    return new


def assert_refused(batch, expected: list[str], before) -> None:
    assert batch.status == ImportStatus.FAILED
    assert import_error_lines(batch) == expected
    assert database_state() == before


# --- CSV rows that do not match their header --------------------------------------------------

CSV_CASES = {
    "short row erases nothing": (
        HEADER + "C001,Martin SARL\n",
        "row 2, column city: the row has 2 cells but the header has 4: a cell or a separator "
        "is missing",
    ),
    "unquoted comma shifts the cells": (
        HEADER + "C001,Martin, SARL,Lyon,69003\n",
        "row 2: the row has 5 cells but the header has 4: quote the cells that contain the "
        "separator ','",
    ),
    "unclosed quote swallows the next rows": (
        HEADER + 'C001,"Martin,Lyon,69003\nC002,Dupont,Paris,75001\n',
        "row 2: a quote opened in this row (line 2 of the file) is never closed",
    ),
    "text after a closing quote": (
        HEADER + 'C001,"Martin" SARL,Lyon,69003\n',
        "row 2: text follows the closing quote of a cell (line 2 of the file): quote the whole "
        'cell and double the quotes inside it ("")',
    ),
    "column without a name": (
        "external_id,,name\nC001,Lyon,Martin\n",
        "row 1, column B: the column has no name",
    ),
    "duplicate column": (
        "external_id,name,Name\nC001,Martin,Martin SA\n",
        "row 1, column name: this column appears twice",
    ),
    "value after the last named column": (
        "external_id,name,\nC001,Martin,Lyon\n",
        "row 2, column C: a value in a column that has no name in row 1",
    ),
}


@pytest.mark.parametrize("case", CSV_CASES)
def test_csv_rows_must_match_the_header(case, acme, martin, tmp_path):
    content, expected = CSV_CASES[case]
    before = database_state()
    batch = run("customers", write_bytes(tmp_path / "c.csv", content), acme)
    assert_refused(batch, [expected], before)


def test_a_multiline_quoted_cell_is_refused_but_does_not_shift_the_row_numbers(
    acme, martin, tmp_path
):
    content = HEADER + 'C001,"Martin\nSARL",Lyon,69003\nC002,Dupont,Paris,\n\nC003,,Nice,\n'
    before = database_state()
    batch = run("customers", write_bytes(tmp_path / "c.csv", content), acme)
    assert_refused(
        batch,
        [
            "row 2, column name: contains a line break (character 7): one line of text expected",
            "row 5, column name: a value is required",
        ],
        before,
    )


def test_trailing_separators_on_every_line_are_not_a_column(acme, martin, tmp_path):
    path = write_bytes(tmp_path / "c.csv", "external_id;name;\nC001;Martin SA;\nC002;Dupont\n")
    batch = run("customers", path, acme)
    assert batch.errors == []
    assert Customer.objects.get(external_id="C001").name == "Martin SA"
    assert Customer.objects.get(external_id="C001").city == "Lyon"


# --- control characters in single-line fields -------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "header", "row", "expected"),
    [
        (
            "customers",
            "external_id,name",
            'C001,"Martin\nSARL"',
            "row 2, column name: contains a line break (character 7): one line of text expected",
        ),
        (
            "customers",
            "external_id,name",
            "C001,Martin\tSARL",
            "row 2, column name: contains a tab (character 7): one line of text expected",
        ),
        (
            "customers",
            "external_id,name,address_line1",
            'C001,Martin,"12 rue\rdes Lilas"',
            "row 2, column address_line1: contains a line break (character 7): one line of "
            "text expected",
        ),
        (
            "customers",
            "external_id,name",
            "C001,Martin\x1bSARL",
            "row 2, column name: contains the control character U+001B (character 7): one "
            "line of text expected",
        ),
        (
            "customers",
            "external_id,name",
            "C001,Martin\u2028SARL",
            "row 2, column name: contains the control character U+2028 (character 7): one "
            "line of text expected",
        ),
        (
            "contacts",
            "customer_external_id,email",
            'C001,"claire@example.fr\nBcc: all@example.com"',
            "row 2, column email: contains a line break (character 18): one line of text expected",
        ),
        (
            "contacts",
            "customer_external_id,external_id,phone",
            "C001,K1,01 42 68\x0b53 00",
            "row 2, column phone: contains the control character U+000B (character 9): one "
            "line of text expected",
        ),
        (
            "items",
            "customer_external_id,kind,number,issue_date,due_date,amount,open_amount",
            "C001,invoice,F\t1,2026-01-01,2026-01-31,100,100",
            "row 2, column number: contains a tab (character 2): one line of text expected",
        ),
        (
            "items",
            "customer_external_id,kind,number,issue_date,due_date,amount,open_amount",
            "C001,invoice,F1,2026-01-01,2026-01\t-31,100,100",
            "row 2, column due_date: '2026-01\\t-31' is not a date (YYYY-MM-DD or DD/MM/YYYY)",
        ),
        (
            "items",
            "customer_external_id,kind,number,issue_date,due_date,amount,open_amount",
            'C001,invoice,F1,2026-01-01,2026-01-31,"1\n000",100',
            "row 2, column amount: contains a line break (character 2): one line of text expected",
        ),
    ],
)
def test_control_characters_are_refused(kind, header, row, expected, acme, martin, tmp_path):
    before = database_state()
    batch = run(kind, write_bytes(tmp_path / "f.csv", f"{header}\n{row}\n"), acme)
    assert_refused(batch, [expected], before)


# --- numbers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("1e308", "'1e308' is too large"),
        ("-1e308", "'-1e308' is too large"),
        ("NaN", "'NaN' is not an amount"),
        ("Infinity", "'Infinity' is not an amount"),
        ("-Infinity", "'-Infinity' is not an amount"),
        ("1e12", "1000000000000.00 is too large"),
    ],
)
def test_amounts_that_overflow_or_are_not_finite(value, reason, acme, martin, tmp_path):
    before = database_state()
    path = write_bytes(tmp_path / "c.csv", f"external_id,name,credit_limit\nC001,Martin,{value}\n")
    assert_refused(run("customers", path, acme), [f"row 2, column credit_limit: {reason}"], before)


# --- encoding -------------------------------------------------------------------------------------


def test_a_byte_that_is_not_utf8_far_into_the_file(acme, martin, tmp_path):
    rows = "".join(f"C{n:04d},Customer {n}\n" for n in range(2, 9000))  # > 64 KiB
    content = ("external_id,name\n" + rows).encode() + "C9999,Société\n".encode("latin-1")
    before = database_state()
    batch = run("customers", write_bytes(tmp_path / "c.csv", content), acme)
    assert_refused(
        batch,
        ["the file is not UTF-8 text (line 9000, byte 0xE9): save it as CSV UTF-8"],
        before,
    )


def test_a_nul_byte_far_into_the_file(acme, martin, tmp_path):
    rows = "".join(f"C{n:04d},Customer {n}\n" for n in range(2, 9000))  # > 64 KiB
    content = "external_id,name\n" + rows + "C9999,Nul\x00Byte\n"
    before = database_state()
    batch = run("customers", write_bytes(tmp_path / "c.csv", content), acme)
    assert_refused(
        batch,
        ["row 9000, column name: contains a NUL byte (character 4): one line of text expected"],
        before,
    )


def test_a_nul_byte_near_the_start_is_a_binary_file(acme, martin, tmp_path):
    path = write_bytes(tmp_path / "c.csv", "external_id,name\nC0\x0001,Martin\n")
    before = database_state()
    expected = ["this is a binary file, neither CSV nor XLSX"]
    assert_refused(run("customers", path, acme), expected, before)


def test_a_file_cut_in_the_middle_of_a_character(acme, martin, tmp_path):
    content = "external_id,name\nC001,Société".encode()[:-1]
    before = database_state()
    batch = run("customers", write_bytes(tmp_path / "c.csv", content), acme)
    assert_refused(
        batch,
        [
            "the file is not UTF-8 text (line 2, a truncated character at the end): save it as "
            "CSV UTF-8"
        ],
        before,
    )


# --- XLSX cells ---------------------------------------------------------------------------------

XLSX_HEADER = ["external_id", "name", "credit_limit", "hold_until"]
EXCEL_ERRORS = ["#DIV/0!", "#N/A", "#REF!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!"]


def martin_xlsx(path: Path, *, credit_limit=100, hold_until=date(2026, 12, 31), change=None):
    write_xlsx(path, [XLSX_HEADER, ["C001", "Martin SA", credit_limit, hold_until]])
    return patch_sheet(path, change) if change else path


@pytest.mark.parametrize("error", EXCEL_ERRORS)
def test_excel_error_cells(error, acme, martin, tmp_path):
    before = database_state()
    batch = run("customers", martin_xlsx(tmp_path / "c.xlsx", credit_limit=error), acme)
    assert_refused(
        batch,
        [
            f"row 2, column credit_limit: {error} is an Excel error: correct the formula or the "
            "value in the file"
        ],
        before,
    )


def test_a_formula_whose_result_is_an_error(acme, martin, tmp_path):
    cell = '<c r="C2" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
    path = martin_xlsx(tmp_path / "c.xlsx", change=lambda xml: replace_cell(xml, "C2", cell))
    before = database_state()
    assert_refused(
        run("customers", path, acme),
        [
            "row 2, column credit_limit: #DIV/0! is an Excel error: correct the formula or the "
            "value in the file"
        ],
        before,
    )


def test_a_formula_never_computed_is_not_an_empty_cell(acme, martin, tmp_path):
    before = database_state()
    batch = run("customers", martin_xlsx(tmp_path / "c.xlsx", credit_limit="=40*25"), acme)
    assert_refused(
        batch,
        [
            "row 2, column credit_limit: a formula without a computed value: open the file in "
            "Excel and save it again, or paste the values instead of the formulas"
        ],
        before,
    )


def test_a_formula_with_its_computed_value_is_read(acme, martin, tmp_path):
    cell = '<c r="C2"><f>40*25</f><v>1000</v></c>'
    path = martin_xlsx(tmp_path / "c.xlsx", change=lambda xml: replace_cell(xml, "C2", cell))
    assert run("customers", path, acme).errors == []
    assert Customer.objects.get(external_id="C001").credit_limit == Decimal("1000.00")


OUT_OF_RANGE = "the serial number is out of Excel's range"


def date_cell(value: str) -> str:
    """A number cell with the date style of martin_xlsx's workbook (s="1")."""
    return f'<c r="D2" s="1"><v>{value}</v></c>'


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        (date_cell("3000000"), f"3000000 is not a valid date: {OUT_OF_RANGE}"),
        (date_cell("1e20"), f"1e20 is not a valid date: {OUT_OF_RANGE}"),
        (date_cell("-5"), "-5 is not a valid date: Excel dates start in 1900"),
        (
            '<c r="D2" t="d"><v>2026-13-45</v></c>',
            "the cell's value '2026-13-45' is not a valid date",
        ),
        ('<c r="D2" t="s"><v>99</v></c>', "the cell's value '99' is not a valid shared text"),
        (
            '<c r="D2" t="inlineStr"><is><t>31/02/2026</t></is></c>',
            "'31/02/2026' is not a date (YYYY-MM-DD or DD/MM/YYYY)",
        ),
    ],
)
def test_invalid_date_cells(cell, reason, acme, martin, tmp_path):
    path = martin_xlsx(tmp_path / "c.xlsx", change=lambda xml: replace_cell(xml, "D2", cell))
    before = database_state()
    assert_refused(run("customers", path, acme), [f"row 2, column hold_until: {reason}"], before)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("1e400", "1e400 is not a finite number"),
        ("NaN", "the cell's value 'NaN' is not a valid number"),
        ("abc", "the cell's value 'abc' is not a valid number"),
        ("1e308", "1e+308 is too large"),
        ("99999999999999999999999999999", "99999999999999999999999999999 is too large"),
    ],
)
def test_invalid_number_cells(value, reason, acme, martin, tmp_path):
    cell = f'<c r="C2"><v>{value}</v></c>'
    path = martin_xlsx(tmp_path / "c.xlsx", change=lambda xml: replace_cell(xml, "C2", cell))
    before = database_state()
    assert_refused(run("customers", path, acme), [f"row 2, column credit_limit: {reason}"], before)


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("A0", "row 2: the XLSX sheet has an invalid cell reference 'A0'"),
        ("2A", "row 2: the XLSX sheet has an invalid cell reference '2A'"),
        ("ZZZZ2", "row 2: the XLSX sheet has an invalid cell reference 'ZZZZ2'"),
        ("XFE2", "row 2: the XLSX sheet has an invalid cell reference 'XFE2'"),
        ("B7", "row 2: the XLSX sheet has an invalid cell reference 'B7'"),
        ("A2", "row 2: the XLSX sheet has an invalid cell reference 'A2'"),  # twice in the row
    ],
)
def test_invalid_cell_references(reference, expected, acme, martin, tmp_path):
    path = martin_xlsx(
        tmp_path / "c.xlsx", change=lambda xml: xml.replace('<c r="B2"', f'<c r="{reference}"')
    )
    before = database_state()
    assert_refused(run("customers", path, acme), [expected], before)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda xml: xml[: xml.index("</row>") + 20], "row 2: the XLSX sheet is damaged"),
        (lambda xml: xml.replace("<c ", "<c <", 1), "row 1: the XLSX sheet is damaged"),
        (lambda xml: xml.replace('<row r="2"', '<row r="1"'), "row 1: the rows of the XLSX"),
        (lambda xml: xml.replace('<row r="2"', '<row r="x"'), "row 2: the XLSX sheet is damaged"),
    ],
)
def test_damaged_sheet_xml(change, expected, acme, martin, tmp_path):
    path = martin_xlsx(tmp_path / "c.xlsx", change=change)
    before = database_state()
    batch = run("customers", path, acme)
    assert batch.status == ImportStatus.FAILED
    assert [error["row"] for error in batch.errors] == [None]
    assert import_error_lines(batch)[0].startswith(expected)
    assert database_state() == before


def test_a_zip_without_a_workbook(acme, martin, tmp_path):
    path = tmp_path / "c.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    (line,) = import_error_lines(run("customers", path, acme))
    assert line.startswith("not a readable XLSX workbook (")


def test_xlsx_value_in_a_column_without_a_name(acme, martin, tmp_path):
    path = write_xlsx(tmp_path / "c.xlsx", [["external_id", "name"], ["C001", "Martin", None, "x"]])
    before = database_state()
    assert_refused(
        run("customers", path, acme),
        ["row 2, column D: a value in a column that has no name in row 1"],
        before,
    )


def test_xlsx_line_break_in_a_name(acme, martin, tmp_path):
    path = write_xlsx(tmp_path / "c.xlsx", [["external_id", "name"], ["C001", "Martin\nSARL"]])
    before = database_state()
    assert_refused(
        run("customers", path, acme),
        ["row 2, column name: contains a line break (character 7): one line of text expected"],
        before,
    )
