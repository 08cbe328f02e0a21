"""The account statement PDF shows, per overdue item, its days late, the rate of each
period and its interest."""

import datetime
import subprocess
from decimal import Decimal

import pytest

from relance.customers.tests.factories import CustomerFactory
from relance.delivery.statement import statement_pdf
from relance.ledger.tests.factories import ItemFactory
from relance.templating.selectors import customer_context

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout.decode().replace("\u202f", " ").replace("\xa0", " ")


def test_the_statement_shows_days_rates_and_interest_per_item(acme):
    customer = CustomerFactory(entity=acme, name="Dupont SA", language="fr")
    ItemFactory(
        customer=customer,
        number="F-2024-05",
        amount=Decimal("10000.00"),
        issue_date=datetime.date(2024, 5, 1),
        due_date=datetime.date(2024, 5, 31),
    )
    ItemFactory(
        customer=customer,
        number="F-NOT-DUE",
        amount=Decimal("500.00"),
        issue_date=datetime.date(2025, 3, 1),
        due_date=datetime.date(2025, 3, 31),
    )
    ctx = customer_context(customer, datetime.date(2025, 3, 15))
    text = pdf_text(statement_pdf(ctx, "fr"))
    # French pack, three half-years (countries/tests/test_interest.py):
    # 30 d at 14.50 % + 184 d at 14.25 % + 74 d at 13.15 % on 10,000 EUR = 1,104.14 EUR.
    [row] = [line for line in text.splitlines() if "F-2024-05" in line]
    assert "288" in row and "1 104,14 €" in row
    assert "14,5 % × 30 j" in text and "14,25 % × 184 j" in text and "13,15 % × 74 j" in text
    assert "Intérêts de retard à ce jour" in text
    assert text.count(" × ") == 3  # the invoice not yet due has no rate
