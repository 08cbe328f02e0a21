"""E-invoice imports: the checked-in Factur-X PDF, CII and UBL files create or update the
customer and the invoice (the PDF kept as its document); malformed ones answer element by
element and write nothing."""

import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.storage import default_storage

from relance.customers.models import Customer
from relance.customers.tests.factories import CustomerFactory
from relance.ledger.choices import ImportKind, ImportStatus, ItemKind
from relance.ledger.models import ImportBatch, Item
from relance.ledger.services import import_error_lines, import_file

DATA = Path(__file__).parent / "data" / "einvoice"
FACTURX = DATA / "factur-x.pdf"
CII = DATA / "cii-invoice.xml"
UBL = DATA / "ubl-invoice.xml"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def run(path: Path, entity, **options) -> ImportBatch:
    return import_file(kind=ImportKind.EINVOICE, path=path, entity=entity, **options)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def stored_files(media: Path) -> list[str]:
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())


def assert_nothing_written(batch: ImportBatch, media: Path) -> None:
    assert batch.status == ImportStatus.FAILED
    assert not Item.objects.exists()
    assert not Customer.objects.exists()
    assert stored_files(media) == []


# --- the samples ----------------------------------------------------------------------------


def test_facturx_pdf_creates_customer_and_invoice_and_keeps_the_pdf(acme, bob, media):
    acme.siren, acme.vat_number = "732829320", "FR44732829320"
    acme.save()
    batch = run(FACTURX, acme, acting_user=bob)
    assert batch.errors == []
    assert (batch.created, batch.updated) == (2, 0)
    customer = Customer.objects.get()
    assert (customer.external_id, customer.name, customer.legal_id) == (
        "C002",
        "Hôtel du Lac",
        "512345679",
    )
    assert (customer.city, customer.postal_code, customer.country) == ("Annecy", "74000", "FR")
    item = Item.objects.get()
    assert (item.kind, item.number, item.customer_id) == (
        ItemKind.INVOICE,
        "FA2026-0201",
        customer.pk,
    )
    assert (item.issue_date, item.due_date) == (date(2026, 11, 2), date(2026, 12, 2))
    assert (item.amount, item.open_amount, item.currency) == (
        Decimal("1200.00"),
        Decimal("1200.00"),
        "EUR",
    )
    # The PDF is the item's document, byte for byte, and reads as the invoice.
    assert item.pdf.name.startswith("items/FA2026-0201-")
    assert default_storage.open(item.pdf.name).read() == FACTURX.read_bytes()
    text = subprocess.run(
        ["pdftotext", str(Path(media) / item.pdf.name), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Facture FA2026-0201" in text


def test_the_same_pdf_again_changes_nothing(acme, media):
    run(FACTURX, acme)
    again = run(FACTURX, acme)
    assert again.errors == []
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert len(stored_files(media)) == 1  # the same content is stored once


def test_cii_xml_finds_the_customer_by_its_siren(acme):
    """No buyer id in the file: the stored customer with that SIREN gets the invoice, and
    its own external id is kept."""
    martin = CustomerFactory(
        entity=acme, external_id="C001", name="Boulangerie Martin", legal_id="302475041"
    )
    batch = run(CII, acme)
    assert batch.errors == []
    item = Item.objects.get()
    assert (item.number, item.customer_id, item.amount) == (
        "FA2026-0202",
        martin.pk,
        Decimal("600.00"),
    )
    assert item.pdf.name == ""
    assert Customer.objects.count() == 1


def test_cii_xml_new_customer_is_keyed_by_its_siren(acme):
    batch = run(CII, acme)
    assert batch.errors == []
    assert Customer.objects.get().external_id == "302475041"


def test_ubl_invoice(acme):
    batch = run(UBL, acme)
    assert batch.errors == []
    customer = Customer.objects.get()
    assert (customer.external_id, customer.name, customer.legal_id) == (
        "C004",
        "Café des Arts SARL",
        "987654324",
    )
    assert (customer.address_line1, customer.address_line2) == ("5 place Bellecour", "Bâtiment B")
    item = Item.objects.get()
    assert (item.kind, item.number) == (ItemKind.INVOICE, "FA2026-0203")
    assert (item.issue_date, item.due_date) == (date(2026, 11, 9), date(2026, 12, 9))
    # Total 540.00, of which 100.00 prepaid: 440.00 open.
    assert (item.amount, item.open_amount) == (Decimal("540.00"), Decimal("440.00"))


def test_ubl_credit_note(acme, tmp_path):
    text = UBL.read_text(encoding="utf-8")
    text = (
        text.replace(
            '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"',
            '<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"',
        )
        .replace("</Invoice>", "</CreditNote>")
        .replace("  <cbc:DueDate>2026-12-09</cbc:DueDate>\n", "")
        .replace(
            "InvoiceTypeCode>380</cbc:InvoiceTypeCode",
            "CreditNoteTypeCode>381</cbc:CreditNoteTypeCode",
        )
        .replace("InvoiceLine>", "CreditNoteLine>")
        .replace("InvoicedQuantity", "CreditedQuantity")
        .replace("FA2026-0203", "AV2026-0031")
    )
    batch = run(write(tmp_path, "credit-note.xml", text), acme)
    assert batch.errors == []
    item = Item.objects.get()
    assert (item.kind, item.number, item.due_date) == (ItemKind.CREDIT_NOTE, "AV2026-0031", None)


def test_dry_run_writes_nothing(acme, media):
    batch = run(FACTURX, acme, dry_run=True)
    assert batch.status == ImportStatus.PREVIEWED
    assert batch.created == 2
    assert not Item.objects.exists()
    assert stored_files(media) == []


# --- malformed files ---------------------------------------------------------------------------


def test_pdf_without_embedded_xml(acme, media):
    batch = run(DATA / "plain.pdf", acme)
    assert import_error_lines(batch) == [
        "the PDF has no embedded invoice XML (factur-x.xml, ZUGFeRD-invoice.xml): it is not a "
        "Factur-X or ZUGFeRD invoice"
    ]
    assert_nothing_written(batch, media)


def test_xml_missing_a_mandatory_element(acme, tmp_path, media):
    """Without its number (BT-1) the CII fails the standard's schema, at its line."""
    text = CII.read_text(encoding="utf-8").replace("    <ram:ID>FA2026-0202</ram:ID>\n", "")
    batch = run(write(tmp_path, "cii.xml", text), acme)
    assert import_error_lines(batch) == [
        "line 13, element /rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:TypeCode: "
        "Element 'ram:TypeCode': This element is not expected. Expected is ( ram:ID )."
    ]
    assert_nothing_written(batch, media)


def test_invoice_without_due_date(acme, tmp_path, media):
    text = UBL.read_text(encoding="utf-8").replace("  <cbc:DueDate>2026-12-09</cbc:DueDate>\n", "")
    batch = run(write(tmp_path, "ubl.xml", text), acme)
    assert import_error_lines(batch) == [
        "line 5, element /Invoice/cac:PaymentMeans/cbc:PaymentDueDate (BT-9): an invoice needs "
        "its payment due date (BT-9), which this one does not give"
    ]
    assert_nothing_written(batch, media)


def test_bad_values_are_reported_at_their_element(acme, tmp_path, media):
    text = (
        UBL.read_text(encoding="utf-8")
        .replace(
            "<cbc:IssueDate>2026-11-09</cbc:IssueDate>", "<cbc:IssueDate>2026-11-31</cbc:IssueDate>"
        )
        .replace("<cbc:DocumentCurrencyCode>EUR<", "<cbc:DocumentCurrencyCode>EURO<")
    )
    batch = run(write(tmp_path, "ubl.xml", text), acme)
    lines = import_error_lines(batch)
    assert len(lines) == 1
    assert lines[0].startswith("line 9, element /Invoice/cbc:IssueDate: Element 'cbc:IssueDate': ")
    assert "'2026-11-31' is not a valid value of the atomic type 'xs:date'" in lines[0]
    text = UBL.read_text(encoding="utf-8").replace(
        "<cbc:DocumentCurrencyCode>EUR<", "<cbc:DocumentCurrencyCode>EURO<"
    )
    batch = run(write(tmp_path, "ubl.xml", text), acme)
    assert import_error_lines(batch) == [
        "line 12, element /Invoice/cbc:DocumentCurrencyCode (BT-5): EURO is not an ISO 4217 "
        "currency code"
    ]
    assert_nothing_written(batch, media)


def test_seller_must_be_the_entity(acme, media):
    acme.siren = "123456782"
    acme.save()
    batch = run(FACTURX, acme)
    assert import_error_lines(batch) == [
        "line 47, element /rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/"
        "ram:ApplicableHeaderTradeAgreement/ram:SellerTradeParty: the seller Acme France "
        "(732829320, FR44732829320) is not the entity Acme France: import the invoice into "
        "the seller's entity"
    ]
    assert_nothing_written(batch, media)


def test_malformed_xml_and_other_files(acme, tmp_path, media):
    batch = run(write(tmp_path, "broken.xml", "<Invoice>\n  <cbc:ID>1</Invoice>\n"), acme)
    lines = import_error_lines(batch)
    assert len(lines) == 1 and lines[0].startswith("line 2: the XML is malformed: ")
    batch = run(write(tmp_path, "other.xml", "<?xml version='1.0'?>\n<Order/>\n"), acme)
    assert import_error_lines(batch) == [
        "line 2, element Order: the root element is neither a CII CrossIndustryInvoice nor a "
        "UBL 2.1 Invoice or CreditNote"
    ]
    batch = run(write(tmp_path, "notes.txt", "hello"), acme)
    assert import_error_lines(batch) == [
        "not an e-invoice: a Factur-X or ZUGFeRD PDF, or a CII or UBL XML file is expected"
    ]
    assert_nothing_written(batch, media)


def test_a_refused_row_removes_the_stored_pdf(acme, tmp_path, media):
    """The shared item checks run once the PDF is stored: when they refuse the invoice
    (here an amount due above the total), the PDF goes too, and the message names the
    element."""
    from facturx import generate_from_binary

    xml = (
        (DATA / "factur-x.xml")
        .read_bytes()
        .replace(b"<ram:DuePayableAmount>1200.00<", b"<ram:DuePayableAmount>1300.00<")
    )
    pdf = generate_from_binary((DATA / "plain.pdf").read_bytes(), xml, check_xsd=True)
    path = tmp_path / "overdue.pdf"
    path.write_bytes(pdf)
    batch = run(path, acme)
    assert import_error_lines(batch) == [
        "line 99, element /rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/"
        "ram:ApplicableHeaderTradeSettlement/ram:SpecifiedTradeSettlementHeaderMonetarySummation/"
        "ram:DuePayableAmount (BT-115): open amount 1300.00 is above the amount 1200.00"
    ]
    assert_nothing_written(batch, media)
