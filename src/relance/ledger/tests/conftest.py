"""Fixtures of the import tests."""

from decimal import Decimal

import pytest

from relance.customers.tests.factories import ContactFactory, CustomerFactory


@pytest.fixture
def martin(acme):
    """An existing customer of Acme France, with contact K1: a bad file must leave them alone."""
    customer = CustomerFactory(
        entity=acme,
        external_id="C001",
        name="Boulangerie Martin",
        city="Lyon",
        postal_code="69003",
        credit_limit=Decimal("5000.00"),
    )
    ContactFactory(customer=customer, external_id="K1", email="claire@example.fr")
    return customer
