from decimal import Decimal

import pytest
import segno.helpers
from django.utils import timezone
from stdnum import iso11649

from relance.customers.tests.factories import CustomerFactory
from relance.ledger.tests.factories import ItemFactory
from relance.payments import services

IBAN = "FR7630006000011234567890189"
BIC = "AGRIFRPP"


@pytest.fixture
def acme_bank(acme):
    acme.iban, acme.bic = IBAN, BIC
    acme.save()
    return acme


@pytest.fixture
def dupont(acme_bank):
    return CustomerFactory(entity=acme_bank, external_id="C-042", name="Dupont SA")


def test_amount_is_open_invoices_less_open_credits(acme_bank, dupont):
    invoice = ItemFactory(customer=dupont, number="F1", amount=Decimal("1200.00"))
    partly_paid = ItemFactory(
        customer=dupont, number="F2", amount=Decimal("500.00"), open_amount=Decimal("120.50")
    )
    credit = ItemFactory(customer=dupont, kind="credit_note", number="AV1", amount=Decimal("200"))
    settled = ItemFactory(customer=dupont, number="F3", open_amount=Decimal("0"))

    items = [invoice, partly_paid, credit, settled]

    instructions = services.transfer_instructions(acme_bank, items)

    assert instructions.amount == Decimal("1120.50")
    assert instructions.currency == "EUR"
    assert instructions.beneficiary == "Acme France"
    assert (instructions.iban, instructions.bic) == (IBAN, BIC)


def test_items_paid_online_are_not_asked_for_again(acme_bank, dupont):
    paid_online = ItemFactory(customer=dupont, payment_pending_since=timezone.now())
    due = ItemFactory(customer=dupont, amount=Decimal("80.00"))

    assert services.transfer_instructions(acme_bank, [paid_online, due]).amount == Decimal("80.00")


def test_amount_never_below_zero(acme_bank, dupont):
    invoice = ItemFactory(customer=dupont, amount=Decimal("100.00"))
    credit = ItemFactory(customer=dupont, kind="credit_note", amount=Decimal("300.00"))

    instructions = services.transfer_instructions(acme_bank, [invoice, credit])

    assert instructions.amount == Decimal("0.00")
    assert instructions.qr_svg is None  # a QR code for nothing to pay would mislead


def test_reference_is_a_valid_creditor_reference_naming_customer_and_invoice(acme_bank, dupont):
    invoice = ItemFactory(customer=dupont, number="F-2026-17")

    reference = services.transfer_instructions(acme_bank, [invoice]).reference

    assert iso11649.is_valid(reference)
    assert reference[4:] == "C042F202617"


def test_reference_of_several_items_names_the_customer(acme_bank, dupont):
    items = [ItemFactory(customer=dupont), ItemFactory(customer=dupont)]

    reference = services.transfer_instructions(acme_bank, items).reference

    assert iso11649.is_valid(reference)
    assert reference[4:] == "C042"


def test_reference_of_a_long_customer_number_falls_back_to_its_id(acme_bank):
    customer = CustomerFactory(entity=acme_bank, external_id="X" * 30)
    item = ItemFactory(customer=customer)

    reference = services.transfer_instructions(acme_bank, [item]).reference

    assert iso11649.is_valid(reference)
    assert reference[4:] == f"C{customer.pk}"


def test_epc_qr_code_carries_the_transfer(acme_bank, dupont):
    invoice = ItemFactory(customer=dupont, number="F1", amount=Decimal("1234.56"))

    instructions = services.transfer_instructions(acme_bank, [invoice])
    payload = services.epc_payload(
        beneficiary=instructions.beneficiary,
        iban=instructions.iban,
        bic=instructions.bic,
        amount=instructions.amount,
        reference=instructions.reference,
    )

    # The SVG is the code of exactly this payload...
    assert instructions.qr_svg.startswith("<svg")
    assert instructions.qr_svg == services.epc_svg(payload)
    # ... whose fields are those of the EPC069-12 standard, in order.
    lines = payload.split("\n")
    assert lines == [
        "BCD",
        "002",
        "1",
        "SCT",
        BIC,
        "Acme France",
        IBAN,
        "EUR1234.56",
        "",
        instructions.reference,
    ]
    # segno's own EPC builder reads the same transfer (it picks another character set and
    # drops the amount's trailing zeros; both are allowed by the standard).
    segno_lines = (
        segno.helpers._make_epc_qr_data(
            "Acme France", IBAN, Decimal("1234.56"), reference=instructions.reference, bic=BIC
        )
        .decode("latin-1")
        .split("\n")
    )
    assert segno_lines[:2] + segno_lines[3:] == lines[:2] + lines[3:]


def test_no_qr_code_outside_euros_or_without_iban(globex, acme):
    customer = CustomerFactory(entity=globex)
    globex.iban = "GB33BUKB20201555555555"
    globex.save()
    assert services.transfer_instructions(globex, [ItemFactory(customer=customer)]).qr_svg is None

    acme_customer = CustomerFactory(entity=acme)
    instructions = services.transfer_instructions(acme, [ItemFactory(customer=acme_customer)])
    assert instructions.qr_svg is None
    assert instructions.iban == ""


def test_mixed_currencies_are_refused(acme_bank, dupont):
    euros = ItemFactory(customer=dupont, currency="EUR")
    dollars = ItemFactory(customer=dupont, currency="USD")

    with pytest.raises(ValueError, match="several currencies"):
        services.transfer_instructions(acme_bank, [euros, dollars])


def test_mixed_customers_are_refused(acme_bank, dupont):
    other = CustomerFactory(entity=acme_bank)

    with pytest.raises(ValueError, match="several customers"):
        services.transfer_instructions(
            acme_bank, [ItemFactory(customer=dupont), ItemFactory(customer=other)]
        )


def test_items_of_another_entity_are_refused(acme_bank, globex):
    item = ItemFactory(customer=CustomerFactory(entity=globex))

    with pytest.raises(ValueError, match="another entity"):
        services.transfer_instructions(acme_bank, [item])


def test_no_items_is_refused(acme_bank):
    with pytest.raises(ValueError, match="No items"):
        services.transfer_instructions(acme_bank, [])


def test_epc_beneficiary_is_one_line_of_at_most_70_characters():
    payload = services.epc_payload(
        beneficiary="Acme\nFrance " + "x" * 80,
        iban=IBAN,
        bic="",
        amount=Decimal("10.00"),
        reference="RF18539007547034",
    )

    lines = payload.split("\n")
    assert len(lines) == 10
    assert lines[5].startswith("Acme France xx")
    assert len(lines[5]) == 70
    assert lines[4] == ""  # the BIC is optional in version 002
