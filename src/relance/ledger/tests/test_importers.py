"""Imports of customers, contacts and items: good files, re-imports, dry runs, XLSX; the
helpers at the top are shared by the other test_import*.py files."""

import csv
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from relance.customers.models import Contact, Customer, CustomField, Tag
from relance.customers.tests.factories import CustomerFactory
from relance.ledger.choices import ImportStatus, ItemKind
from relance.ledger.importers.readers import ImportFileError, read_preview
from relance.ledger.models import ImportBatch, Item
from relance.ledger.services import import_file, import_summary
from relance.ledger.tests.factories import ItemFactory
from relance.scenarios.tests.factories import ScenarioFactory

DATA = Path(__file__).parent / "data"


def write_csv(path: Path, rows: list[list], *, delimiter: str = ",", bom: bool = False) -> Path:
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list]) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def stored_counts() -> dict[str, int]:
    return {
        "customers": Customer.objects.count(),
        "contacts": Contact.objects.count(),
        "items": Item.objects.count(),
        "tags": Tag.objects.count(),
        "customer_tags": Customer.tags.through.objects.count(),
    }


def run(kind: str, path: Path, entity, **options):
    return import_file(kind=kind, path=path, entity=entity, **options)


ITEM_HEADER = [
    "customer_external_id",
    "kind",
    "number",
    "issue_date",
    "due_date",
    "amount",
    "open_amount",
    "currency",
]


def item_rows(count: int, customer: str = "C001", start: int = 0) -> list[list]:
    return [
        [customer, "invoice", f"F{n:06d}", "2026-01-01", "2026-01-31", "100.00", "100.00", "EUR"]
        for n in range(start, start + count)
    ]


# --- the example files of docs/import.md ----------------------------------------------------


@pytest.fixture
def imported(acme, bob):
    """The three example files imported into Acme France, in order."""
    for kind in ("customers", "contacts", "items"):
        batch = run(kind, DATA / f"{kind}.csv", acme, acting_user=bob)
        assert batch.errors == [], batch.errors
    return acme


def test_customers_file_with_bom_semicolons_and_decimal_comma(acme, bob):
    batch = run("customers", DATA / "customers.csv", acme, acting_user=bob)

    assert (batch.status, batch.rows, batch.created, batch.errors) == (ImportStatus.DONE, 2, 2, [])
    assert batch.started_by == bob and batch.finished_at and batch.file_name == "customers.csv"
    assert import_summary(batch) == "Created 2, updated 0, unchanged 0"
    martin = Customer.objects.get(entity=acme, external_id="C001")
    assert martin.legal_id == "732829320"
    assert martin.credit_limit == Decimal("15000.50")
    assert martin.collector == bob
    assert sorted(martin.tags.values_list("name", flat=True)) == ["key account", "north"]
    globex = Customer.objects.get(entity=acme, external_id="C002")
    assert (globex.country, globex.language, globex.currency) == ("GB", "en", "GBP")
    assert (globex.on_hold, globex.hold_reason) == (True, "legal dispute")
    assert globex.hold_until == date(2026, 12, 31)


def test_contacts_file_normalises_phones_and_roles(imported):
    claire = Contact.objects.get(customer__external_id="C001", external_id="K1")
    assert (claire.phone, claire.mobile) == ("+33142685300", "+33612345678")
    assert claire.roles == ["collection", "billing"]
    john = Contact.objects.get(customer__external_id="C002")
    assert (john.phone, john.country, john.external_id) == ("+442079460958", "GB", "")


def test_items_file_with_french_kinds_and_dates(imported):
    invoice = Item.objects.get(number="F2026-001")
    assert (invoice.issue_date, invoice.due_date) == (date(2026, 1, 15), date(2026, 2, 14))
    assert invoice.amount == invoice.open_amount == Decimal("1200.00")
    disputed = Item.objects.get(number="F2026-002")
    assert (disputed.kind, disputed.open_amount) == (ItemKind.INVOICE, Decimal("100.50"))
    assert (disputed.disputed, disputed.dispute_reason) == (True, "prix contesté")
    assert disputed.dispute_date == imported.today()
    credit_note = Item.objects.get(number="AV2026-001")
    assert (credit_note.kind, credit_note.due_date, credit_note.currency) == (
        ItemKind.CREDIT_NOTE,
        None,
        "EUR",
    )
    payment = Item.objects.get(number="P-001")
    assert (payment.kind, payment.amount, payment.currency) == (
        ItemKind.PAYMENT,
        Decimal("99.90"),
        "GBP",
    )


# --- re-imports ---------------------------------------------------------------------------


def test_reimport_marks_paid_clears_dispute_and_counts_unchanged(imported, tmp_path):
    path = write_csv(
        tmp_path / "items.csv",
        [
            [*ITEM_HEADER, "disputed", "dispute_reason"],
            [
                "C001",
                "invoice",
                "F2026-001",
                "2026-01-15",
                "2026-02-14",
                "1200",
                "0",
                "EUR",
                "",
                "",
            ],
            [
                "C001",
                "invoice",
                "F2026-002",
                "2026-01-20",
                "2026-02-19",
                "350.5",
                "100.5",
                "",
                "",
                "",
            ],
            ["C001", "credit_note", "AV2026-001", "2026-01-25", "", "50", "50", "", "", ""],
            ["C002", "payment", "P-001", "2026-02-01", "", "99.90", "99.90", "GBP", "0", ""],
        ],
    )
    batch = run("items", path, imported)

    assert import_summary(batch) == "Created 0, updated 2, unchanged 2"
    assert Item.objects.get(number="F2026-001").open_amount == Decimal("0.00")
    cleared = Item.objects.get(number="F2026-002")
    assert (cleared.disputed, cleared.dispute_reason, cleared.dispute_date) == (False, "", None)
    assert run("items", path, imported).unchanged == 4


def test_reimport_keeps_the_date_of_a_known_dispute(acme, tmp_path):
    CustomerFactory(entity=acme, external_id="C001")
    header = [*ITEM_HEADER, "disputed", "dispute_date"]
    row = ["C001", "invoice", "F1", "2026-01-01", "2026-01-31", "10", "10", "EUR", "yes"]
    run("items", write_csv(tmp_path / "a.csv", [header, [*row, "2026-02-03"]]), acme)
    batch = run("items", write_csv(tmp_path / "b.csv", [header, [*row, ""]]), acme)

    assert batch.unchanged == 1
    assert Item.objects.get(number="F1").dispute_date == date(2026, 2, 3)


def test_columns_absent_from_the_file_are_left_untouched(acme, tmp_path):
    customer = CustomerFactory(entity=acme, external_id="C001", city="Lyon", category="retail")
    item = ItemFactory(customer=customer, number="F1", blocked=True, promise_date=date(2026, 3, 1))
    path = write_csv(
        tmp_path / "items.csv",
        [ITEM_HEADER, ["C001", "invoice", "F1", "2026-01-01", "2026-01-31", "1000", "400", "EUR"]],
    )
    assert run("items", path, acme).updated == 1
    item.refresh_from_db()
    assert (item.open_amount, item.blocked, item.promise_date) == (
        Decimal("400.00"),
        True,
        date(2026, 3, 1),
    )

    path = write_csv(tmp_path / "customers.csv", [["external_id", "name"], ["C001", "Renamed"]])
    assert run("customers", path, acme).updated == 1
    customer.refresh_from_db()
    assert (customer.name, customer.city, customer.category) == ("Renamed", "Lyon", "retail")


def test_scenario_column_sets_and_clears_the_customer_scenario(acme, tmp_path):
    standard = ScenarioFactory(name="Standard")
    gentle = ScenarioFactory(name="Key accounts (gentle)", entity=acme)
    header = ["external_id", "name", "scenario"]
    rows = [header, ["C1", "One", "Standard"], ["C2", "Two", "key ACCOUNTS (gentle)"]]
    batch = run("customers", write_csv(tmp_path / "c1.csv", [*rows, ["C3", "Three", ""]]), acme)
    assert (batch.created, batch.errors) == (3, [])
    scenarios = dict(Customer.objects.values_list("external_id", "scenario"))
    assert scenarios == {"C1": standard.pk, "C2": gentle.pk, "C3": None}

    # The same file again changes nothing.
    batch = run("customers", write_csv(tmp_path / "c1.csv", rows), acme)
    assert (batch.updated, batch.unchanged) == (0, 2)

    # Without the column the override is kept; an empty cell clears it.
    path = write_csv(tmp_path / "c2.csv", [["external_id", "name"], ["C1", "One renamed"]])
    assert run("customers", path, acme).updated == 1
    assert Customer.objects.get(external_id="C1").scenario == standard
    path = write_csv(tmp_path / "c3.csv", [header, ["C1", "One renamed", ""], rows[2]])
    batch = run("customers", path, acme)
    assert (batch.updated, batch.unchanged) == (1, 1)
    assert Customer.objects.get(external_id="C1").scenario is None
    assert Customer.objects.get(external_id="C2").scenario == gentle


def test_items_and_customers_absent_from_the_file_are_kept(imported, tmp_path):
    path = write_csv(tmp_path / "c.csv", [["external_id", "name"], ["C003", "New customer"]])
    assert run("customers", path, imported).created == 1
    assert Customer.objects.filter(entity=imported).count() == 3
    assert Item.objects.filter(entity=imported).count() == 4


def test_reimport_of_customers_updates_tags_and_custom_fields(acme, bob, tmp_path):
    CustomField.objects.create(name="segment", label="Segment", type="select", choices=["a", "b"])
    CustomField.objects.create(name="since", label="Since", type="date")
    header = ["external_id", "name", "tags", "cf_segment", "cf_since"]
    path = write_csv(tmp_path / "c1.csv", [header, ["C1", "One", "gold|north", "a", "01/02/2020"]])
    assert run("customers", path, acme).created == 1
    customer = Customer.objects.get(external_id="C1")
    assert customer.custom_field_data == {"segment": "a", "since": "2020-02-01"}

    assert run("customers", path, acme).unchanged == 1
    path = write_csv(tmp_path / "c2.csv", [header, ["C1", "One", "Gold|south", "b", ""]])
    assert run("customers", path, acme).updated == 1
    customer.refresh_from_db()
    assert sorted(customer.tags.values_list("name", flat=True)) == ["gold", "south"]
    assert customer.custom_field_data == {"segment": "b"}


def test_contacts_are_matched_by_email_then_keep_an_external_id(acme, tmp_path):
    customer = CustomerFactory(entity=acme, external_id="C1")
    header = ["customer_external_id", "email", "first_name", "roles"]
    path = write_csv(tmp_path / "a.csv", [header, ["C1", "Ann@Example.com", "Ann", "billing"]])
    assert run("contacts", path, acme).created == 1
    path = write_csv(tmp_path / "b.csv", [header, ["C1", "ann@example.com", "Anne", "billing"]])
    assert run("contacts", path, acme).updated == 1
    header = ["customer_external_id", "external_id", "email", "first_name"]
    path = write_csv(tmp_path / "c.csv", [header, ["C1", "K9", "ann@example.com", "Anne"]])
    assert run("contacts", path, acme).updated == 1
    contact = customer.contacts.get()
    assert (contact.external_id, contact.first_name, contact.is_billing) == ("K9", "Anne", True)
    assert run("contacts", path, acme).unchanged == 1


# --- dry runs, XLSX, batches, progress -------------------------------------------------------


def test_dry_run_writes_nothing_and_counts(imported, tmp_path):
    path = write_csv(
        tmp_path / "items.csv",
        [
            ITEM_HEADER,
            ["C001", "invoice", "F2026-001", "2026-01-15", "2026-02-14", "1200", "0", "EUR"],
            ["C001", "credit_note", "AV2026-001", "2026-01-25", "", "50", "50", "EUR"],
            ["C001", "invoice", "NEW-1", "2026-03-01", "2026-03-31", "10", "10", "EUR"],
        ],
    )
    before = stored_counts()
    batch = run("items", path, imported, dry_run=True)

    assert (batch.status, batch.dry_run) == (ImportStatus.PREVIEWED, True)
    assert import_summary(batch) == "Would create 1, update 1, leave 1 unchanged"
    assert stored_counts() == before
    assert Item.objects.get(number="F2026-001").open_amount == Decimal("1200.00")


def test_dry_run_of_customers_creates_no_tags(acme, bob):
    before = stored_counts()
    batch = run("customers", DATA / "customers.csv", acme, dry_run=True)
    assert (batch.status, batch.created) == (ImportStatus.PREVIEWED, 2)
    assert stored_counts() == before


def test_xlsx_with_typed_cells(acme, tmp_path):
    CustomerFactory(entity=acme, external_id="1001")
    path = write_xlsx(
        tmp_path / "items.xlsx",
        [
            [*ITEM_HEADER, "promise_date", "blocked"],
            [
                1001,
                "invoice",
                42,
                datetime(2026, 1, 5),
                date(2026, 2, 4),
                1234.5,
                234.5,
                "EUR",
                "10/02/2026",
                True,
            ],
            [1001, "payment", "P1", "2026-01-06", None, 10, 10, None, None, False],
            [None, None, None, None, None, None, None, None, None, None],
        ],
    )
    batch = run("items", path, acme, file_name="export.xlsx")

    assert (batch.errors, batch.rows, batch.created) == ([], 2, 2)
    invoice = Item.objects.get(number="42")
    assert (invoice.issue_date, invoice.due_date) == (date(2026, 1, 5), date(2026, 2, 4))
    assert (invoice.amount, invoice.open_amount) == (Decimal("1234.50"), Decimal("234.50"))
    assert (invoice.promise_date, invoice.blocked) == (date(2026, 2, 10), True)
    assert Item.objects.get(number="P1").currency == "EUR"


def test_an_existing_batch_is_updated_and_progress_reported(acme, alice, tmp_path):
    CustomerFactory(entity=acme, external_id="C001")
    path = write_csv(tmp_path / "items.csv", [ITEM_HEADER, *item_rows(12_000)])
    batch = ImportBatch.objects.create(entity=acme, kind="items", file_name="upload.csv")
    calls = []
    result = run(
        "items", path, acme, batch=batch, acting_user=alice, progress=lambda *a: calls.append(a)
    )

    assert result.pk == batch.pk and ImportBatch.objects.count() == 1
    batch.refresh_from_db()
    assert (batch.status, batch.file_name, batch.created, batch.started_by) == (
        ImportStatus.DONE,
        "upload.csv",
        12_000,
        alice,
    )
    assert calls == [(5000, 12_000), (10_000, 12_000), (12_000, 12_000)]


def test_pdf_path_is_found_under_media_root(acme, settings, tmp_path):
    CustomerFactory(entity=acme, external_id="C001")
    (Path(settings.MEDIA_ROOT) / "items").mkdir(parents=True)
    (Path(settings.MEDIA_ROOT) / "items" / "F1.pdf").write_bytes(b"%PDF-1.4")
    header = [*ITEM_HEADER, "pdf_path"]
    path = write_csv(
        tmp_path / "items.csv",
        [header, [*item_rows(1)[0][:2], "F1", *item_rows(1)[0][3:], "F1.pdf"]],
    )
    assert run("items", path, acme).errors == []
    assert Item.objects.get(number="F1").pdf.name == "items/F1.pdf"


def test_read_preview_of_csv_and_xlsx(tmp_path):
    header, rows = read_preview(DATA / "items.csv", limit=2)
    assert header[:3] == ["customer_external_id", "kind", "number"]
    assert rows == [
        [
            "C001",
            "invoice",
            "F2026-001",
            "15/01/2026",
            "14/02/2026",
            "1 200,00",
            "1 200,00",
            "EUR",
            "",
            "",
            "",
            "",
        ],
        [
            "C001",
            "facture",
            "F2026-002",
            "2026-01-20",
            "2026-02-19",
            "350,50",
            "100,50",
            "",
            "oui",
            "prix contesté",
            "",
            "",
        ],
    ]
    path = write_xlsx(tmp_path / "x.xlsx", [["Number", "Date"], [7, datetime(2026, 1, 2)]])
    assert read_preview(path) == (["Number", "Date"], [["7", "2026-01-02"]])
    with pytest.raises(ImportFileError):
        read_preview(write_csv(tmp_path / "empty.csv", []))


def test_customers_credit_insurance_and_guarantee_columns(acme, tmp_path):
    header = [
        "external_id",
        "name",
        "insurer",
        "insured_amount",
        "insurance_expires_on",
        "guarantee_kind",
        "guarantee_amount",
    ]
    path = write_csv(
        tmp_path / "customers.csv",
        [
            header,
            ["C001", "Dupont", "Coface", "15 000,00", "31/12/2027", "Bank guarantee", "2000"],
            ["C002", "Martin", "", "", "", "deposit", "500"],
        ],
    )
    assert run("customers", path, acme).created == 2
    dupont = Customer.objects.get(external_id="C001")
    assert (dupont.insurer, dupont.insured_amount, dupont.insurance_expires_on) == (
        "Coface",
        Decimal("15000.00"),
        date(2027, 12, 31),
    )
    assert (dupont.guarantee_kind, dupont.guarantee_amount) == ("bank_guarantee", Decimal("2000"))
    martin = Customer.objects.get(external_id="C002")
    assert (martin.insurer, martin.guarantee_kind) == ("", "deposit")


def test_customers_credit_cover_errors_name_the_column(acme, tmp_path):
    header = ["external_id", "name", "insurer", "insured_amount", "guarantee_kind"]
    path = write_csv(
        tmp_path / "customers.csv",
        [header, ["C003", "Bad", "", "100", ""], ["C004", "Worse", "", "", "handshake"]],
    )
    result = run("customers", path, acme)
    reasons = {(error["row"], error["column"]): error["reason"] for error in result.errors}
    assert reasons == {
        (2, "insured_amount"): "an amount needs the column insurer filled in on the same row",
        (3, "guarantee_kind"): (
            "unknown guarantee kind 'handshake': use bank_guarantee, standby_letter, "
            "parent_guarantee, personal_guarantee, deposit, other"
        ),
    }
    assert not Customer.objects.exists()


# --- settlement dates ------------------------------------------------------------------------


def test_settled_on_is_the_day_the_open_amount_reaches_zero(acme, tmp_path):
    CustomerFactory(entity=acme, external_id="C001")
    open_row = ["C001", "invoice", "F1", "2026-01-01", "2026-01-31", "100", "100", "EUR"]
    already_paid = ["C001", "invoice", "F2", "2026-01-01", "2026-01-31", "100", "0", "EUR"]
    run("items", write_csv(tmp_path / "a.csv", [ITEM_HEADER, open_row, already_paid]), acme)
    assert dict(Item.objects.values_list("number", "settled_on")) == {"F1": None, "F2": None}

    paid_row = [*open_row[:6], "0", "EUR"]
    run("items", write_csv(tmp_path / "b.csv", [ITEM_HEADER, paid_row, already_paid]), acme)
    assert Item.objects.get(number="F1").settled_on == acme.today()
    assert Item.objects.get(number="F2").settled_on is None

    # Paid again the next time: the date stays; reopened: it goes.
    Item.objects.filter(number="F1").update(settled_on=date(2026, 2, 2))
    batch = run("items", write_csv(tmp_path / "c.csv", [ITEM_HEADER, paid_row]), acme)
    assert batch.unchanged == 1
    assert Item.objects.get(number="F1").settled_on == date(2026, 2, 2)
    run("items", write_csv(tmp_path / "d.csv", [ITEM_HEADER, [*open_row[:6], "40", "EUR"]]), acme)
    assert Item.objects.get(number="F1").settled_on is None


def test_settled_on_column_is_read_and_checked(acme, tmp_path):
    CustomerFactory(entity=acme, external_id="C001")
    header = [*ITEM_HEADER, "settled_on"]
    paid = ["C001", "invoice", "F1", "2026-01-01", "2026-01-31", "100", "0", "EUR", "2026-02-10"]
    run("items", write_csv(tmp_path / "a.csv", [header, paid]), acme)
    assert Item.objects.get(number="F1").settled_on == date(2026, 2, 10)

    tomorrow = (acme.today() + timedelta(days=1)).isoformat()
    rows = [
        header,
        ["C001", "invoice", "F2", "2026-01-01", "2026-01-31", "100", "30", "EUR", "2026-02-10"],
        ["C001", "invoice", "F3", "2026-01-01", "2026-01-31", "100", "0", "EUR", tomorrow],
    ]
    batch = run("items", write_csv(tmp_path / "b.csv", rows), acme)
    reasons = {(error["row"], error["column"]): error["reason"] for error in batch.errors}
    assert reasons == {
        (2, "settled_on"): "a settlement date needs an open amount of 0, not 30.00",
        (3, "settled_on"): f"{tomorrow} is in the future",
    }
    assert not Item.objects.filter(number__in=["F2", "F3"]).exists()
