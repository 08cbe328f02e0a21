"""Disputes and promises recorded on items from the customer page."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from relance.activity.models import CustomerEvent
from relance.customers.tests.factories import CustomerFactory
from relance.ledger.services import items_dispute_clear, items_dispute_open, items_promise_record
from relance.ledger.tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dupont(acme):
    return CustomerFactory(entity=acme, name="Dupont SA")


def test_dispute_opened_on_two_items_then_cleared(acme, bob, dupont):
    one, two = ItemFactory(customer=dupont, number="F1"), ItemFactory(customer=dupont, number="F2")
    items_dispute_open(
        customer=dupont, item_ids=[one.pk, two.pk], reason="Wrong price", acting_user=bob
    )
    one.refresh_from_db()
    two.refresh_from_db()
    assert (one.disputed, one.dispute_reason, one.dispute_date) == (
        True,
        "Wrong price",
        acme.today(),
    )
    assert two.disputed
    event = CustomerEvent.objects.get()
    assert event.describe() == "Dispute opened on F1, F2: Wrong price"
    items_dispute_clear(customer=dupont, item_ids=[one.pk], acting_user=bob)
    one.refresh_from_db()
    assert (one.disputed, one.dispute_reason, one.dispute_date) == (False, "", None)
    latest = CustomerEvent.objects.order_by("-id").first()
    assert latest.describe() == "Dispute cleared on F1"


def test_an_item_of_another_customer_is_refused_and_nothing_changes(acme, bob, dupont):
    mine = ItemFactory(customer=dupont)
    other = ItemFactory(customer=CustomerFactory(entity=acme))
    with pytest.raises(ValidationError) as caught:
        items_dispute_open(
            customer=dupont, item_ids=[mine.pk, other.pk], reason="x", acting_user=bob
        )
    assert caught.value.message_dict["items"] == [
        "Some of the chosen items are not this customer's."
    ]
    mine.refresh_from_db()
    assert not mine.disputed
    assert not CustomerEvent.objects.exists()


def test_dispute_needs_a_reason_and_an_item(bob, dupont):
    item = ItemFactory(customer=dupont)
    with pytest.raises(ValidationError) as caught:
        items_dispute_open(customer=dupont, item_ids=[item.pk], reason="  ", acting_user=bob)
    assert caught.value.message_dict == {"reason": ["A dispute needs a reason."]}
    with pytest.raises(ValidationError) as caught:
        items_dispute_open(customer=dupont, item_ids=[], reason="x", acting_user=bob)
    assert caught.value.message_dict == {"items": ["Choose at least one item."]}


def test_clearing_items_not_disputed_is_refused(bob, dupont):
    item = ItemFactory(customer=dupont)
    with pytest.raises(ValidationError, match="None of the chosen items is disputed"):
        items_dispute_clear(customer=dupont, item_ids=[item.pk], acting_user=bob)


def test_promise_sets_the_date_on_each_item(acme, bob, dupont):
    item = ItemFactory(customer=dupont, number="F9")
    day = acme.today() + timedelta(days=5)
    items_promise_record(customer=dupont, item_ids=[item.pk], promise_date=day, acting_user=bob)
    item.refresh_from_db()
    assert item.promise_date == day
    event = CustomerEvent.objects.get()
    assert (event.kind, event.data["items"], event.data["promise_date"]) == (
        "promise_recorded",
        ["F9"],
        day.isoformat(),
    )


@pytest.mark.parametrize("days", [-1, None])
def test_promise_in_the_past_or_without_date_is_refused(acme, bob, dupont, days):
    item = ItemFactory(customer=dupont)
    day = acme.today() + timedelta(days=days) if days is not None else None
    with pytest.raises(ValidationError) as caught:
        items_promise_record(customer=dupont, item_ids=[item.pk], promise_date=day, acting_user=bob)
    assert list(caught.value.message_dict) == ["promise_date"]
    item.refresh_from_db()
    assert item.promise_date is None
