from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from relance.banking.models import PayerAccount
from relance.customers.tests.factories import CustomerFactory
from relance.ledger.tests.factories import ItemFactory

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


@pytest.fixture
def books(acme):
    """Acme France's open invoices that the sample statements pay: Durand's IBAN is known,
    Dupont's is not."""
    customers = {
        key: CustomerFactory(entity=acme, external_id=number, name=name)
        for key, number, name in [
            ("dupont", "C-DUP", "Dupont SA"),
            ("durand", "C-DUR", "Durand SARL"),
            ("martin", "C-MAR", "Martin et Fils"),
            ("leblanc", "C-LEB", "Leblanc"),
        ]
    }
    items = {}
    for key, number, amount in [
        ("dupont", "F-2026-0001", "1200.00"),
        ("dupont", "F-2026-0002", "350.00"),
        ("durand", "F-2026-0010", "480.00"),
        ("durand", "F-2026-0011", "520.00"),
        ("durand", "F-2026-0012", "99.90"),
        ("martin", "F-2026-0020", "2000.00"),
        ("leblanc", "F-2026-0030", "750.00"),
    ]:
        items[number] = ItemFactory(
            customer=customers[key],
            number=number,
            amount=Decimal(amount),
            issue_date=date(2026, 10, 1),
            due_date=date(2026, 11, 1),
        )
    PayerAccount.objects.create(
        entity=acme, customer=customers["durand"], iban="DE89370400440532013000"
    )
    return customers, items
