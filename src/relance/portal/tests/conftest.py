"""The customer's page personas: Acme France's customer with two open invoices and a
credit note in euros, an invoice in dollars, and a valid link; Globex's customer beside."""

import datetime
from decimal import Decimal

import pytest

from relance.customers.tests.factories import ContactFactory, CustomerFactory

# The engine's fixtures, for a real send: Acme working every day, the email template, scenario S.
from relance.engine.tests.conftest import acme_daily, email_template, scenario_s  # noqa: F401
from relance.ledger.tests.factories import ItemFactory
from relance.portal.services import portal_link_issue


@pytest.fixture
def customer(acme):
    customer = CustomerFactory(entity=acme, name="Dupont SA", language="fr")
    ContactFactory(customer=customer, email="compta@dupont.example", is_collection=True)
    return customer


@pytest.fixture
def invoices(customer):
    issue = customer.entity.today() - datetime.timedelta(days=60)
    return [
        ItemFactory(customer=customer, number="F-001", issue_date=issue, amount=Decimal("1200.00")),
        ItemFactory(customer=customer, number="F-002", issue_date=issue, amount=Decimal("300.50")),
    ]


@pytest.fixture
def credit_and_dollars(customer):
    issue = customer.entity.today() - datetime.timedelta(days=10)
    return [
        ItemFactory(
            customer=customer,
            kind="credit_note",
            number="AV-9",
            issue_date=issue,
            amount=Decimal("100.00"),
        ),
        ItemFactory(
            customer=customer,
            number="US-7",
            issue_date=issue,
            amount=Decimal("50.00"),
            currency="USD",
        ),
    ]


@pytest.fixture
def other_item(globex):
    other = CustomerFactory(entity=globex, name="Stranger Ltd")
    return ItemFactory(customer=other, number="G-1")


@pytest.fixture
def token(customer, invoices):
    url = portal_link_issue(customer=customer)
    return url.rstrip("/").rsplit("/", 1)[1]


def page_url(token: str, suffix: str = "") -> str:
    return f"/p/{token}/{suffix}"
