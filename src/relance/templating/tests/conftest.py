import datetime
from decimal import Decimal

import pytest

from relance.customers.tests.factories import ContactFactory, CustomerFactory
from relance.ledger.tests.factories import ItemFactory

TODAY = datetime.date(2026, 3, 1)


@pytest.fixture
def acme_bank(acme):
    """Acme France with what letters and the QR code need."""
    acme.iban = "FR7630006000011234567890189"
    acme.bic = "AGRIFRPP"
    acme.late_interest_rate = Decimal("10")
    acme.recovery_fee = Decimal("40")
    acme.address_line1 = "5 avenue Foch"
    acme.postal_code = "75016"
    acme.city = "Paris"
    acme.siret = "73282932000074"
    acme.vat_number = "FR44732829320"
    acme.phone = "+33140000000"
    acme.save()
    return acme


@pytest.fixture
def dupont(acme_bank):
    """A French customer: one invoice 29 days overdue, one not due, one credit note."""
    customer = CustomerFactory(
        entity=acme_bank,
        name="Dupont SA",
        external_id="C-DUP",
        legal_id="552100554",
        address_line1="12 rue des Lilas",
        postal_code="69003",
        city="Lyon",
        language="fr",
    )
    ContactFactory(customer=customer, first_name="Claire", last_name="Durand", is_collection=True)
    ItemFactory(
        customer=customer,
        number="F-1001",
        amount=Decimal("1234.56"),
        issue_date=datetime.date(2026, 1, 1),
        due_date=datetime.date(2026, 1, 31),
    )
    ItemFactory(
        customer=customer,
        number="F-1002",
        amount=Decimal("500.00"),
        issue_date=datetime.date(2026, 2, 15),
        due_date=datetime.date(2026, 3, 15),
    )
    ItemFactory(customer=customer, kind="credit_note", number="AV-1", amount=Decimal("100.00"))
    return customer
