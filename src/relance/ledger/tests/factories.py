import datetime
from decimal import Decimal

import factory

from relance.customers.tests.factories import CustomerFactory
from relance.ledger.models import Item


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    customer = factory.SubFactory(CustomerFactory)
    entity = factory.LazyAttribute(lambda item: item.customer.entity)
    kind = "invoice"
    number = factory.Sequence(lambda n: f"F{n:06d}")
    issue_date = datetime.date(2026, 1, 1)
    due_date = factory.LazyAttribute(
        lambda item: (
            item.issue_date + datetime.timedelta(days=30) if item.kind == "invoice" else None
        )
    )
    amount = Decimal("1000.00")
    open_amount = factory.LazyAttribute(lambda item: item.amount)
    currency = factory.LazyAttribute(lambda item: item.customer.currency)
