"""Fuzzing the importers: hundreds of malformed files, made by a seeded generator from valid
customers, contacts and items files (CSV and XLSX), each fed through `relance import` and
through the upload page. Every one must fail cleanly: no traceback and no 500, an error
naming the row the generator broke (or the file), a non-zero exit, the database unchanged.

The generator is deterministic (SEED); a failure names the case, e.g. `#17 csv items
unclosed_quote row 3`, which `make_case(random.Random(SEED), …)` in a loop rebuilds.
"""

import io
import random
import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from io import StringIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils.html import escape

from relance.ledger.choices import ImportStatus
from relance.ledger.models import ImportBatch
from relance.ledger.services import import_error_lines
from relance.ledger.tests.factories import ItemFactory
from relance.ledger.tests.test_import_malformed import EXCEL_ERRORS, database_state

SEED = 20260201
CASES = 320
FILE = "file"  # where a file-level error is expected

BASE = {
    "customers": [
        ["external_id", "name", "city", "postal_code", "credit_limit", "hold_until"],
        ["C001", "Martin SA", "Villeurbanne", "69100", "8000.00", "2026-12-31"],
        ["C002", "Garage Dupont", "Paris", "75001", "", ""],
        ["C003", "Durand et fils", "Nice", "06000", "1500", "2027-01-15"],
    ],
    "contacts": [
        ["customer_external_id", "external_id", "first_name", "last_name", "email", "phone"],
        ["C001", "K1", "Claire", "Martin", "claire@example.fr", "01 42 68 53 00"],
        ["C001", "K2", "Jean", "Dupont", "jean@example.fr", "06 12 34 56 78"],
    ],
    "items": [
        [
            *("customer_external_id", "kind", "number", "issue_date", "due_date"),
            *("amount", "open_amount"),
        ],
        ["C001", "invoice", "F0001", "2026-01-01", "2026-01-31", "150.00", "150.00"],
        ["C001", "invoice", "F0002", "2026-02-01", "2026-03-03", "99.90", "50.00"],
        ["C001", "credit_note", "AV001", "2026-02-10", "", "20.00", "20.00"],
    ],
}
AMOUNTS = {"customers": ["credit_limit"], "contacts": [], "items": ["amount", "open_amount"]}
DATES = {"customers": ["hold_until"], "contacts": [], "items": ["issue_date", "due_date"]}
CONTROLS = ["\n", "\r", "\t", "\x01", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x85", "\u2028"]
XLSX_CONTROLS = ["\n", "\t", "\x7f", "\x85", "\u2028"]  # openpyxl refuses to write the others
BAD_NUMBERS = ["1e308", "-1e308", "NaN", "Infinity", "-Infinity", "inf", "1e999", "9" * 40]
BAD_DATES = ["31/02/2026", "2026-13-01", "yesterday", "99999-01-01", "0000-00-00", "2026-02-30"]
# A stray continuation byte, overlong or truncated sequences, bytes never in UTF-8, a surrogate.
BAD_BYTES = [b"\x80", b"\xbf", b"\xc0\xaf", b"\xc3(", b"\xe2\x82", b"\xf5", b"\xff", b"\xed\xa0"]
BAD_REFERENCES = ["{column}0", "{row}{column}", "ZZZZ{row}", "XFE{row}", "{column}999", "A{row}"]
BAD_XLSX_NUMBERS = ["abc", "NaN", "1e400", "--1", "1e308", "0x10"]


@dataclass
class Case:
    name: str
    kind: str
    file_name: str
    content: bytes
    where: set  # "row N" strings or FILE: an error must name one of them


# --- the generator ---------------------------------------------------------------------------


def make_case(draw: random.Random, number: int) -> Case:
    kind = draw.choice(list(BASE))
    rows = [list(row) for row in BASE[kind]]
    if draw.random() < 0.6:
        mutation = draw.choice(CSV_MUTATIONS)
        delimiter = draw.choice([",", ";"])
        content, where = mutation(draw, kind, rows, delimiter)
        extension = "csv"
    else:
        mutation = draw.choice(XLSX_MUTATIONS)
        content, where = mutation(draw, kind, rows)
        extension = "xlsx"
    name = f"#{number} {extension} {kind} {mutation.__name__} {sorted(where)}"
    return Case(name, kind, f"{kind}.{extension}", content, where)


def data_row(draw, rows) -> int:
    """The index in `rows` of a data row (its spreadsheet row number is index + 1)."""
    return draw.randrange(1, len(rows))


def where_row(index: int) -> set:
    return {f"row {index + 1}"}


class Raw(str):
    """A CSV cell written as it is, unquoted: the malformed part of a file."""


def csv_bytes(rows, delimiter: str) -> bytes:
    lines = []
    for row in rows:
        cells = []
        for cell in row:
            text = str(cell)
            needs_quotes = any(ch in text for ch in (delimiter, '"', "\n", "\r"))
            if needs_quotes and not isinstance(cell, Raw):
                text = '"' + text.replace('"', '""') + '"'
            cells.append(text)
        lines.append(delimiter.join(cells))
    return ("\n".join(lines) + "\n").encode()


def csv_short_row(draw, kind, rows, delimiter):
    index = data_row(draw, rows)
    rows[index] = rows[index][: draw.randrange(1, len(rows[0]))]
    return csv_bytes(rows, delimiter), where_row(index)


def csv_unquoted_separator(draw, kind, rows, delimiter):
    index = data_row(draw, rows)
    column = draw.randrange(len(rows[0]))
    rows[index][column] = Raw(f"{rows[index][column]}{delimiter} SARL")
    return csv_bytes(rows, delimiter), where_row(index)


def csv_extra_cells(draw, kind, rows, delimiter):
    index = data_row(draw, rows)
    rows[index] += [draw.choice(["", "x", "0"]) for _ in range(draw.randint(1, 3))]
    return csv_bytes(rows, delimiter), where_row(index)


def csv_unclosed_quote(draw, kind, rows, delimiter):
    index = data_row(draw, rows)
    column = draw.randrange(len(rows[0]))
    rows[index][column] = Raw('"' + rows[index][column])
    return csv_bytes(rows, delimiter), where_row(index)


def csv_text_after_quote(draw, kind, rows, delimiter):
    index = data_row(draw, rows)
    column = draw.randrange(len(rows[0]))
    rows[index][column] = Raw(f'"{rows[index][column]}"{draw.choice(["x", " SA", "1"])}')
    return csv_bytes(rows, delimiter), where_row(index)


def control_character(draw, rows, controls) -> int:
    """Put a control character inside (not at either end of) a text cell of a data row."""
    index = data_row(draw, rows)
    columns = [c for c, cell in enumerate(rows[index]) if isinstance(cell, str) and len(cell) > 1]
    column = draw.choice(columns)
    text = rows[index][column]
    at = draw.randrange(1, len(text))
    rows[index][column] = text[:at] + draw.choice(controls) + text[at:]
    return index


def csv_control_character(draw, kind, rows, delimiter):
    index = control_character(draw, rows, CONTROLS)
    return csv_bytes(rows, delimiter), where_row(index)


def csv_bad_number(draw, kind, rows, delimiter):
    return bad_value(draw, kind, rows, AMOUNTS, BAD_NUMBERS, lambda r: csv_bytes(r, delimiter))


def csv_bad_date(draw, kind, rows, delimiter):
    return bad_value(draw, kind, rows, DATES, BAD_DATES, lambda r: csv_bytes(r, delimiter))


def bad_value(draw, kind, rows, columns_of, values, build):
    """A bad value in a column of that type, or a control character for contacts (which have
    no amounts nor dates)."""
    index = data_row(draw, rows)
    if not columns_of[kind]:
        index = control_character(draw, rows, ["\t"])
    else:
        column = rows[0].index(draw.choice(columns_of[kind]))
        rows[index][column] = draw.choice(values)
    return build(rows), where_row(index)


def csv_unnamed_column(draw, kind, rows, delimiter):
    rows[0][draw.randrange(len(rows[0]) - 1)] = ""
    return csv_bytes(rows, delimiter), {"row 1"}


def csv_duplicate_column(draw, kind, rows, delimiter):
    first, second = draw.sample(range(len(rows[0])), 2)
    rows[0][second] = draw.choice([rows[0][first], rows[0][first].upper()])
    return csv_bytes(rows, delimiter), {"row 1"}


def csv_bad_byte(draw, kind, rows, delimiter):
    """A byte that is not UTF-8 inside a row; one file in three puts it beyond 64 KiB."""
    if draw.random() < 0.35:
        rows += padding(kind, 3000)
    index = draw.choice([len(rows) - 1, data_row(draw, rows)])
    lines = csv_bytes(rows, delimiter).split(b"\n")
    line = lines[index]
    at = draw.randrange(len(line) + 1)
    lines[index] = line[:at] + draw.choice(BAD_BYTES) + line[at:]
    return b"\n".join(lines), {FILE}


def padding(kind: str, count: int) -> list[list[str]]:
    """Valid rows, to make a file longer than the 64 KiB that used to be checked."""
    if kind == "customers":
        return [[f"P{n:05d}", f"Padding {n}", "Lyon", "69003", "", ""] for n in range(count)]
    if kind == "contacts":
        return [["C001", f"KP{n}", "Ann", "Lee", f"ann{n}@example.fr", ""] for n in range(count)]
    return [
        ["C001", "payment", f"P{n:05d}", "2026-01-05", "", "10.00", "10.00"] for n in range(count)
    ]


CSV_MUTATIONS = [
    csv_short_row,
    csv_unquoted_separator,
    csv_extra_cells,
    csv_unclosed_quote,
    csv_text_after_quote,
    csv_control_character,
    csv_bad_number,
    csv_bad_date,
    csv_unnamed_column,
    csv_duplicate_column,
    csv_bad_byte,
]


def typed(kind: str, rows: list[list]) -> list[list]:
    """The rows as a spreadsheet holds them: amounts as numbers and dates as dates."""
    header = BASE[kind][0]
    numeric = {header.index(name) for name in AMOUNTS[kind]}
    dates = {header.index(name) for name in DATES[kind]}
    result = [rows[0]]
    for row in rows[1:]:
        cells = []
        for column, cell in enumerate(row):
            try:
                if cell and column in numeric:
                    cell = float(Decimal(cell))
                elif cell and column in dates:
                    cell = date.fromisoformat(cell)
            except (ArithmeticError, ValueError):
                pass  # a mutated cell stays text
            cells.append(cell or None)
        result.append(cells)
    return result


def xlsx_bytes(rows, *, styled=(), change=None) -> bytes:
    """A workbook of `rows`; `styled` lists (row, column, value, number format) to set;
    `change(sheet_xml) -> xml` damages the sheet afterwards."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for row, column, value, number_format in styled:
        sheet.cell(row=row, column=column, value=value).number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    if change is None:
        return buffer.getvalue()
    return rewrite_sheet(buffer.getvalue(), change)


def rewrite_sheet(content: bytes, change) -> bytes:
    name = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(io.BytesIO(content)) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    parts[name] = change(parts[name].decode()).encode("utf-8", "surrogateescape")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for filename, data in parts.items():
            target.writestr(filename, data)
    return buffer.getvalue()


def xlsx_error_cell(draw, kind, rows):
    rows = typed(kind, rows)
    index = data_row(draw, rows)
    rows[index][draw.randrange(len(rows[0]))] = draw.choice(EXCEL_ERRORS)
    return xlsx_bytes(rows), where_row(index)


def xlsx_uncomputed_formula(draw, kind, rows):
    rows = typed(kind, rows)
    index = data_row(draw, rows)
    formula = draw.choice(["=1+1", "=A2&B2", "=SUM(F2:F4)", "=TODAY()", '=IF(1,"a","b")'])
    rows[index][draw.randrange(len(rows[0]))] = formula
    return xlsx_bytes(rows), where_row(index)


def xlsx_date_out_of_range(draw, kind, rows):
    rows = typed(kind, rows)
    index = data_row(draw, rows)
    serial = draw.choice([2958466, 3_000_000, 1e10, 1e300])
    styled = [(index + 1, draw.randrange(len(rows[0])) + 1, serial, "yyyy-mm-dd")]
    return xlsx_bytes(rows, styled=styled), where_row(index)


def xlsx_control_character(draw, kind, rows):
    index = control_character(draw, rows, XLSX_CONTROLS)
    return xlsx_bytes(typed(kind, rows)), where_row(index)


def xlsx_bad_text_value(draw, kind, rows):
    """Text that does not parse where a date or an amount is expected."""
    columns_of, values = draw.choice([(DATES, BAD_DATES), (AMOUNTS, BAD_NUMBERS)])
    return bad_value(draw, kind, rows, columns_of, values, lambda r: xlsx_bytes(typed(kind, r)))


def xlsx_unnamed_column(draw, kind, rows):
    rows = typed(kind, rows)
    if draw.random() < 0.5:
        rows[0][draw.randrange(len(rows[0]) - 1)] = None
        return xlsx_bytes(rows), {"row 1"}
    index = data_row(draw, rows)
    rows[index] += [None] * draw.randrange(3) + [draw.choice(["x", 0, 12.5])]
    return xlsx_bytes(rows), where_row(index)


def xlsx_duplicate_column(draw, kind, rows):
    first, second = draw.sample(range(len(rows[0])), 2)
    rows[0][second] = rows[0][first]
    return xlsx_bytes(typed(kind, rows)), {"row 1"}


def xlsx_bad_reference(draw, kind, rows):
    index = data_row(draw, rows)
    row = index + 1
    column = draw.choice("BC")
    reference = draw.choice(BAD_REFERENCES).format(row=row, column=column)

    def change(xml):
        return xml.replace(f'<c r="{column}{row}"', f'<c r="{reference}"', 1)

    return xlsx_bytes(typed(kind, rows), change=change), {f"row {row}"}


def xlsx_rows_out_of_order(draw, kind, rows):
    row = data_row(draw, rows) + 1

    def change(xml):
        return xml.replace(f'<row r="{row}"', f'<row r="{row - 1}"', 1)

    return xlsx_bytes(typed(kind, rows), change=change), {f"row {row - 1}"}


def xlsx_bad_number_cell(draw, kind, rows):
    index = data_row(draw, rows)
    row, column = index + 1, draw.choice("ABCD")
    value = draw.choice(BAD_XLSX_NUMBERS)

    def change(xml):
        start = xml.index(f'<c r="{column}{row}"')
        end = xml.index("</c>", start) + 4
        return xml[:start] + f'<c r="{column}{row}"><v>{value}</v></c>' + xml[end:]

    return xlsx_bytes(typed(kind, rows), change=change), where_row(index)


def xlsx_damaged_xml(draw, kind, rows):
    def change(xml):
        start = xml.index("<sheetData>")
        return draw.choice(
            [
                xml[: draw.randrange(start + 12, len(xml) - 20)],
                xml.replace("</row>", "</rows>", 1),
                xml.replace("<c ", "<c <", 1),
                xml[:start] + "\udcff\udcfe garbage" + xml[start:],
            ]
        )

    return xlsx_bytes(typed(kind, rows), change=change), {FILE}


def xlsx_not_a_workbook(draw, kind, rows):
    choice = draw.randrange(3)
    if choice == 0:
        return bytes(draw.randrange(256) for _ in range(draw.randint(10, 400))), {FILE}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    if choice == 1:
        return buffer.getvalue(), {FILE}
    content = xlsx_bytes(typed(kind, rows))
    return content[: draw.randrange(30, len(content) - 30)], {FILE}


XLSX_MUTATIONS = [
    xlsx_error_cell,
    xlsx_uncomputed_formula,
    xlsx_date_out_of_range,
    xlsx_control_character,
    xlsx_bad_text_value,
    xlsx_unnamed_column,
    xlsx_duplicate_column,
    xlsx_bad_reference,
    xlsx_rows_out_of_order,
    xlsx_bad_number_cell,
    xlsx_damaged_xml,
    xlsx_not_a_workbook,
]


def all_cases() -> list[Case]:
    draw = random.Random(SEED)
    return [make_case(draw, number) for number in range(CASES)]


# --- the checks --------------------------------------------------------------------------------


def names_the_place(errors: list[dict], where: set) -> bool:
    """True if an error is on one of the rows in `where`, or is file-level when FILE is."""
    for error in errors:
        row, reason = error["row"], error["reason"]
        if row is None and (FILE in where or any(reason.startswith(f"{w}:") for w in where)):
            return True
        if row is not None and f"row {row}" in where:
            return True
    return False


def check_cli(case: Case, path, before) -> None:
    err = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import", case.kind, str(path), stdout=StringIO(), stderr=err)
    batch = ImportBatch.objects.latest("pk")
    assert str(failure.value) == f"{path.name}: the import failed, nothing was written"
    assert err.getvalue().splitlines() == import_error_lines(batch)
    assert "Traceback" not in err.getvalue()
    assert names_the_place(batch.errors, case.where), batch.errors
    assert database_state() == before


def check_web(case: Case, client, acme, before) -> None:
    upload = SimpleUploadedFile(case.file_name, case.content)
    response = client.post(
        reverse("ledger:import-new"), {"entity": acme.pk, "kind": case.kind, "file": upload}
    )
    assert response.status_code == 302, response.status_code
    page = client.get(response.url)
    batch = ImportBatch.objects.latest("pk")
    assert page.status_code == 200
    assert batch.status == ImportStatus.FAILED
    assert names_the_place(batch.errors, case.where), batch.errors
    assert escape(import_error_lines(batch)[0]) in page.text
    assert "unexpected error" not in page.text
    assert database_state() == before


@pytest.fixture
def existing(acme, martin):
    """Martin (C001) with contact K1 and invoice F0001, which each base file updates."""
    ItemFactory(customer=martin, number="F0001", amount=Decimal("100.00"))


@pytest.mark.parametrize("kind", list(BASE))
def test_the_base_files_are_valid(kind, acme, existing, tmp_path):
    """Without a mutation each file imports and changes the database: so a mutated file
    that leaves the database unchanged was refused, not merely ignored."""
    before = database_state()
    for extension, content in (
        ("csv", csv_bytes(BASE[kind], ";")),
        ("xlsx", xlsx_bytes(typed(kind, BASE[kind]))),
    ):
        path = tmp_path / f"{kind}.{extension}"
        path.write_bytes(content)
        out = StringIO()
        call_command("import", kind, str(path), "--dry-run", stdout=out, stderr=StringIO())
        assert out.getvalue().startswith("Would create")
    call_command("import", kind, str(path), stdout=StringIO(), stderr=StringIO())
    assert database_state() != before


def test_the_generator_covers_every_mutation():
    cases = all_cases()
    names = {case.name.split()[3] for case in cases}
    assert len(cases) >= 300
    assert names == {m.__name__ for m in CSV_MUTATIONS + XLSX_MUTATIONS}
    assert len({case.content for case in cases}) > 290


def test_malformed_files_fail_cleanly_on_the_command_line_and_the_upload_page(
    acme, existing, alice, client, settings, tmp_path
):
    settings.RELANCE_BACKGROUND_INLINE = True
    client.force_login(alice)
    before = database_state()
    failures = []
    for case in all_cases():
        path = tmp_path / case.file_name
        path.write_bytes(case.content)
        with transaction.atomic():  # a case that writes must not make the next ones fail
            try:
                check_cli(case, path, before)
                check_web(case, client, acme, before)
            except (Exception, pytest.fail.Exception) as exc:  # collect them all, then report
                failures.append(f"{case.name}: {type(exc).__name__}: {exc}"[:600])
            transaction.set_rollback(True)
    assert not failures, f"{len(failures)} cases failed:\n" + "\n".join(failures)
