import datetime
from decimal import Decimal

from relance.customers.tests.factories import CustomerFactory
from relance.ledger import selectors
from relance.ledger.models import Item
from relance.ledger.tests.factories import ItemFactory

TODAY = datetime.date(2026, 3, 31)


def test_item_list_is_scoped(acme, globex, bob, alice):
    mine = ItemFactory(customer=CustomerFactory(entity=acme))
    theirs = ItemFactory(customer=CustomerFactory(entity=globex))
    assert list(selectors.item_list_queryset(bob)) == [mine]
    assert set(selectors.item_list_queryset(alice)) == {mine, theirs}


def test_overdue_condition_uses_each_entity_today(acme, globex):
    paris = ItemFactory(customer=CustomerFactory(entity=acme), due_date=TODAY)
    london = ItemFactory(customer=CustomerFactory(entity=globex), due_date=TODAY)
    ItemFactory(customer=CustomerFactory(entity=acme), due_date=TODAY, open_amount=Decimal(0))
    ItemFactory(customer=CustomerFactory(entity=acme), kind="credit_note")
    todays = {acme.pk: TODAY + datetime.timedelta(days=1), globex.pk: TODAY}
    assert list(Item.objects.filter(selectors.overdue_condition(todays))) == [paris]
    one_day = TODAY + datetime.timedelta(days=1)
    assert set(Item.objects.filter(selectors.overdue_condition(one_day))) == {paris, london}


def test_item_days_overdue():
    item = ItemFactory.build(due_date=TODAY - datetime.timedelta(days=31))
    assert selectors.item_days_overdue(item, TODAY) == 31
    assert selectors.item_days_overdue(item, TODAY - datetime.timedelta(days=31)) is None
    item.open_amount = Decimal("0")
    assert selectors.item_days_overdue(item, TODAY) is None
    credit = ItemFactory.build(kind="credit_note")
    assert selectors.item_days_overdue(credit, TODAY) is None
