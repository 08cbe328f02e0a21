"""Bad files: every kind of error is reported as `row N, column C: reason`, all of them at
once, and nothing is written."""

import pytest

from relance.accounts.tests.factories import UserFactory
from relance.customers.models import CustomField
from relance.customers.tests.factories import CustomerFactory
from relance.ledger.choices import ImportStatus
from relance.ledger.services import import_error_lines
from relance.ledger.tests.test_importers import (
    ITEM_HEADER,
    item_rows,
    run,
    stored_counts,
    write_csv,
    write_xlsx,
)
from relance.scenarios.tests.factories import ScenarioFactory

GOOD_ITEM = ["C001", "invoice", "F1", "2026-01-01", "2026-01-31", "100", "100", "EUR"]


def item(**changes) -> list[str]:
    row = dict(zip(ITEM_HEADER, GOOD_ITEM, strict=True)) | changes
    return list(row.values())


ITEM_CASES = {
    "unknown customer": (
        [item(customer_external_id="C999")],
        "row 2, column customer_external_id: unknown customer 'C999'",
    ),
    "bad date": (
        [item(issue_date="31/02/2026")],
        "row 2, column issue_date: '31/02/2026' is not a date (YYYY-MM-DD or DD/MM/YYYY)",
    ),
    "bad amount": ([item(amount="12,3,4")], "row 2, column amount: '12,3,4' is not an amount"),
    "open amount above amount": (
        [item(amount="100", open_amount="120,5")],
        "row 2, column open_amount: open amount 120.50 is above the amount 100.00",
    ),
    "negative amount": (
        [item(amount="-5", open_amount="0")],
        "row 2, column amount: -5.00 is negative: amounts are positive, the kind gives the sign",
    ),
    "duplicate number": (
        [item(), item(), item(kind="credit_note")],
        "row 3, column number: duplicate number in the file (first at row 2)",
    ),
    "wrong currency": (
        [item(currency="EUX")],
        "row 2, column currency: EUX is not an ISO 4217 currency code",
    ),
    "missing value": ([item(number="")], "row 2, column number: a value is required"),
    "unknown kind": (
        [item(kind="bill")],
        "row 2, column kind: unknown kind 'bill': invoice, credit_note or payment",
    ),
    "invoice without due date": (
        [item(due_date="")],
        "row 2, column due_date: a due date is required for an invoice",
    ),
    "too many decimals": (
        [item(open_amount="1.005")],
        "row 2, column open_amount: '1.005' has more than 2 decimal places",
    ),
}


@pytest.fixture
def c001(acme):
    return CustomerFactory(entity=acme, external_id="C001")


@pytest.mark.parametrize("case", ITEM_CASES)
def test_item_errors(case, acme, c001, tmp_path):
    rows, expected = ITEM_CASES[case]
    before = stored_counts()
    batch = run("items", write_csv(tmp_path / "items.csv", [ITEM_HEADER, *rows]), acme)

    assert batch.status == ImportStatus.FAILED
    assert import_error_lines(batch) == [expected]
    assert stored_counts() == before
    assert batch.pk and (batch.created, batch.updated, batch.unchanged) == (0, 0, 0)


def test_pdf_not_found(acme, c001, tmp_path):
    path = write_csv(tmp_path / "i.csv", [[*ITEM_HEADER, "pdf_path"], [*GOOD_ITEM, "F1.pdf"]])
    assert import_error_lines(run("items", path, acme)) == [
        "row 2, column pdf_path: file not found: F1.pdf"
    ]
    path = write_csv(tmp_path / "j.csv", [[*ITEM_HEADER, "pdf_path"], [*GOOD_ITEM, "../x.pdf"]])
    assert import_error_lines(run("items", path, acme)) == [
        "row 2, column pdf_path: must be a path inside the media folder"
    ]


CUSTOMER_HEADER = ["external_id", "name", "legal_id", "country", "language", "collector"]
CUSTOMER_CASES = {
    "invalid legal id": (
        ["C1", "One", "123456789", "FR", "fr", ""],
        "row 2, column legal_id: SIREN 123456789 is not valid: The number's checksum or check "
        "digit is invalid.",
    ),
    "bad country": (
        ["C1", "One", "", "XX", "fr", ""],
        "row 2, column country: XX is not an ISO 3166 country code",
    ),
    "bad language": (
        ["C1", "One", "", "FR", "xx", ""],
        "row 2, column language: 'xx' is not a language: en, fr, de, es, it, nl, pt, pt-br, pl, "
        "ro, hr, sv, tr, ja, zh-hans",
    ),
    "unknown collector": (
        ["C1", "One", "", "FR", "fr", "nobody"],
        "row 2, column collector: unknown collector 'nobody': no active user of this entity",
    ),
    "collector of another entity": (
        ["C1", "One", "", "FR", "fr", "carol@example.com"],
        "row 2, column collector: unknown collector 'carol@example.com': no active user of "
        "this entity",
    ),
    "missing name": (["C1", "", "", "FR", "fr", ""], "row 2, column name: a value is required"),
}


@pytest.mark.parametrize("case", CUSTOMER_CASES)
def test_customer_errors(case, acme, globex, bob, tmp_path):
    UserFactory(username="carol").entities.set([globex])
    row, expected = CUSTOMER_CASES[case]
    before = stored_counts()
    batch = run("customers", write_csv(tmp_path / "c.csv", [CUSTOMER_HEADER, row]), acme)

    assert import_error_lines(batch) == [expected]
    assert stored_counts() == before


def test_a_postcode_not_of_the_customer_s_country(acme, tmp_path):
    """A UK customer with a French postcode: the row is refused, saying what the country's
    postcodes look like."""
    rows = [
        ["external_id", "name", "country", "postal_code", "city"],
        ["C1", "One", "GB", "75002", "Manchester"],
        ["C2", "Two", "GB", "M1 2EF", "Manchester"],
    ]
    batch = run("customers", write_csv(tmp_path / "p.csv", rows), acme)
    assert import_error_lines(batch) == [
        "row 2, column postal_code: 75002 is not a postal code of United Kingdom "
        "(for example EC1Y 8SY)."
    ]


def test_collector_by_email_and_duplicate_external_id(acme, bob, tmp_path):
    rows = [["external_id", "name", "collector"], ["C1", "One", "BOB@example.com"]]
    assert run("customers", write_csv(tmp_path / "a.csv", rows), acme).errors == []
    rows += [["C2", "Two", ""], ["C1", "Again", ""]]
    batch = run("customers", write_csv(tmp_path / "b.csv", rows), acme)
    assert import_error_lines(batch) == [
        "row 4, column external_id: duplicate external_id in the file (first at row 2)"
    ]


def test_bad_custom_field_value(acme, tmp_path):
    CustomField.objects.create(name="employees", label="Employees", type="integer")
    rows = [["external_id", "name", "cf_employees"], ["C1", "One", "abc"]]
    batch = run("customers", write_csv(tmp_path / "c.csv", rows), acme)
    assert import_error_lines(batch) == ["row 2, column cf_employees: 'abc' is not a whole number"]


CONTACT_HEADER = ["customer_external_id", "external_id", "email", "phone", "roles"]
CONTACT_CASES = {
    "invalid email": (
        ["C001", "", "not-an-email", "", ""],
        "row 2, column email: 'not-an-email' is not a valid email address",
    ),
    "invalid phone": (
        ["C001", "K1", "", "12345", ""],
        "row 2, column phone: '12345' is not a valid phone number for FR",
    ),
    "neither key": (
        ["C001", "", "", "0142685300", ""],
        "row 2, column external_id: an external_id or an email is required to find the contact",
    ),
    "unknown role": (
        ["C001", "K1", "", "", "collection|boss"],
        "row 2, column roles: unknown role 'boss': roles are collection, billing, legal, other",
    ),
    "unknown customer": (
        ["C404", "K1", "", "", ""],
        "row 2, column customer_external_id: unknown customer 'C404'",
    ),
}


@pytest.mark.parametrize("case", CONTACT_CASES)
def test_contact_errors(case, acme, c001, tmp_path):
    row, expected = CONTACT_CASES[case]
    before = stored_counts()
    batch = run("contacts", write_csv(tmp_path / "c.csv", [CONTACT_HEADER, row]), acme)

    assert import_error_lines(batch) == [expected]
    assert stored_counts() == before


def test_duplicate_contact_keys(acme, c001, tmp_path):
    rows = [
        CONTACT_HEADER,
        ["C001", "K1", "", "", ""],
        ["C001", "", "a@example.com", "", ""],
        ["C001", "K1", "", "", ""],
        ["C001", "", "A@example.com", "", ""],
    ]
    batch = run("contacts", write_csv(tmp_path / "c.csv", rows), acme)
    assert import_error_lines(batch) == [
        "row 4, column external_id: duplicate external_id for this customer in the file "
        "(first at row 2)",
        "row 5, column email: duplicate email for this customer in the file (first at row 3)",
    ]


def test_every_error_of_the_file_is_reported(acme, c001, tmp_path):
    rows = [ITEM_HEADER, item(number="A", amount="x"), item(number="B"), item(number="C", kind="")]
    rows[1][3] = "yesterday"
    batch = run("items", write_csv(tmp_path / "items.csv", rows), acme)
    assert import_error_lines(batch) == [
        "row 2, column issue_date: 'yesterday' is not a date (YYYY-MM-DD or DD/MM/YYYY)",
        "row 2, column amount: 'x' is not an amount",
        "row 4, column kind: a value is required",
    ]
    assert batch.rows == 3


def test_an_error_after_many_good_rows_rolls_everything_back(acme, c001, tmp_path):
    rows = [ITEM_HEADER, *item_rows(12_000), item(number="LAST", customer_external_id="C404")]
    before = stored_counts()
    batch = run("items", write_csv(tmp_path / "items.csv", rows), acme)

    assert import_error_lines(batch) == [
        "row 12002, column customer_external_id: unknown customer 'C404'"
    ]
    assert stored_counts() == before


def test_errors_are_capped(acme, c001, tmp_path):
    rows = [ITEM_HEADER, *(item(number=f"N{n}", amount="?") for n in range(1200))]
    batch = run("items", write_csv(tmp_path / "items.csv", rows), acme)
    lines = import_error_lines(batch)
    assert len(lines) == 1001
    assert lines[0] == "row 2, column amount: '?' is not an amount"
    assert lines[-1] == "… and 200 more errors"


# --- file-level errors ----------------------------------------------------------------------


def test_unknown_and_missing_columns(acme, c001, tmp_path):
    header = [h for h in ITEM_HEADER if h != "amount"] + ["colour"]
    batch = run("items", write_csv(tmp_path / "items.csv", [header, GOOD_ITEM]), acme)
    lines = import_error_lines(batch)
    assert lines[0].startswith(
        "row 1, column colour: unknown column; accepted columns are: customer_external_id, kind, "
        "number, issue_date, amount, open_amount, due_date, currency,"
    )
    assert lines[1] == "row 1, column amount: required column is missing"
    assert batch.rows == 0


def test_scenario_must_exist_and_be_usable_by_the_entity(acme, globex, tmp_path):
    ScenarioFactory(name="Standard")
    ScenarioFactory(name="Key accounts (gentle)")
    ScenarioFactory(name="Globex only", entity=globex)
    ScenarioFactory(name="Acme only", entity=acme)
    rows = [
        ["external_id", "name", "scenario"],
        ["C1", "One", "Standrd"],
        ["C2", "Two", "xyz"],
        ["C3", "Three", "Globex only"],
        ["C4", "Four", "Acme only"],
    ]
    batch = run("customers", write_csv(tmp_path / "c.csv", rows), acme)
    assert import_error_lines(batch) == [
        "row 2, column scenario: unknown scenario 'Standrd': did you mean 'Standard'?",
        "row 3, column scenario: unknown scenario 'xyz'",
        "row 4, column scenario: scenario 'Globex only' is restricted to the entity globex-uk",
    ]
    assert stored_counts()["customers"] == 0


def test_scenario_names_differing_only_by_case_must_be_exact(acme, tmp_path):
    ScenarioFactory(name="Gentle")
    ScenarioFactory(name="gentle")
    rows = [["external_id", "name", "scenario"], ["C1", "One", "GENTLE"], ["C2", "Two", "gentle"]]
    assert import_error_lines(run("customers", write_csv(tmp_path / "c.csv", rows), acme)) == [
        "row 2, column scenario: several scenarios match 'GENTLE' but for the case: "
        "write it exactly"
    ]


def test_contacts_need_a_key_column(acme, tmp_path):
    rows = [["customer_external_id", "first_name"], ["C1", "Ann"]]
    assert import_error_lines(run("contacts", write_csv(tmp_path / "c.csv", rows), acme)) == [
        "row 1, column external_id: the file needs an external_id or an email column"
    ]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("doc.pdf", b"%PDF-1.4\x00\x01\x02binary", "this is a binary file, neither CSV nor XLSX"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "this is an old Excel .xls file"),
        ("fake.xlsx", b"customer,kind\n", "the file is named .xlsx but is not an Excel workbook"),
        ("latin1.csv", "numéro;montant\n".encode("latin-1"), "the file is not UTF-8 text"),
        ("empty.csv", b"", "the file is empty"),
        ("broken.xlsx", b"PK\x03\x04garbage", "not a readable XLSX workbook"),
    ],
)
def test_unreadable_files(name, content, reason, acme, tmp_path):
    path = tmp_path / name
    path.write_bytes(content)
    batch = run("items", path, acme)

    assert batch.status == ImportStatus.FAILED
    assert batch.errors[0]["row"] is None
    assert import_error_lines(batch)[0].startswith(reason)


def test_missing_file(acme, tmp_path):
    batch = run("items", tmp_path / "nowhere.csv", acme)
    assert import_error_lines(batch) == ["cannot read the file: No such file or directory"]


def test_xlsx_errors_use_spreadsheet_rows(acme, c001, tmp_path):
    path = write_xlsx(
        tmp_path / "i.xlsx", [ITEM_HEADER, GOOD_ITEM, [], item(number="F2", amount="?")]
    )
    assert import_error_lines(run("items", path, acme)) == [
        "row 4, column amount: '?' is not an amount"
    ]
