import datetime
from decimal import Decimal

import pytest

from relance.customers.tests.factories import CustomerFactory
from relance.ledger.tests.factories import ItemFactory
from relance.scenarios.models import Scenario


@pytest.fixture
def scenario(db):
    return Scenario.objects.create(name="Standard")


def overdue_invoice(customer, amount="1000.00", days=40, **kwargs):
    """An open invoice of `customer` that is `days` days past due at the entity's today."""
    today = customer.entity.today()
    return ItemFactory(
        customer=customer,
        amount=Decimal(amount),
        issue_date=today - datetime.timedelta(days=days + 30),
        due_date=today - datetime.timedelta(days=days),
        **kwargs,
    )


@pytest.fixture
def customers(acme, globex):
    """dupont (Acme, 1,200 overdue 40 days, tag Key account), martin (Acme, nothing due),
    initech (Globex, 900 overdue 100 days + 300 not due)."""
    from relance.accounts.tests.factories import UserFactory
    from relance.customers.models import Tag

    carol = UserFactory(username="carol")
    key = Tag.objects.create(name="Key account")
    Tag.objects.create(name="Export")
    dupont = CustomerFactory(
        entity=acme,
        name="Dupont SA",
        collector=carol,
        category="retail",
        credit_limit=Decimal("2000"),
        custom_field_data={
            "segment_code": "A",
            "employees": 250,
            "revenue": "1500000.50",
            "since": "2015-03-01",
            "vip": True,
        },
    )
    dupont.tags.add(key)
    overdue_invoice(dupont, "1200.00", days=40)
    martin = CustomerFactory(
        entity=acme, name="Martin SARL", category="", custom_field_data={"employees": 12}
    )
    not_due = martin.entity.today() + datetime.timedelta(days=20)
    ItemFactory(customer=martin, amount=Decimal("300.00"), due_date=not_due)
    initech = CustomerFactory(
        entity=globex,
        name="Initech Ltd",
        category="wholesale",
        language="en",
        custom_field_data={"vip": False, "segment_code": ""},
    )
    overdue_invoice(initech, "900.00", days=100)
    ItemFactory(customer=initech, amount=Decimal("300.00"), due_date=not_due)
    return {"dupont": dupont, "martin": martin, "initech": initech}
