"""Holds set and lifted from the customer page: checked input, the customer's timeline."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from relance.activity.models import CustomerEvent
from relance.customers.services import customer_hold, customer_release
from relance.customers.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_hold_with_a_reason_and_an_end_date_writes_the_timeline(acme, bob):
    customer = CustomerFactory(entity=acme)
    until = acme.today() + timedelta(days=10)
    customer_hold(customer=customer, reason="  Lawyer   on it ", until=until, acting_user=bob)
    customer.refresh_from_db()
    assert (customer.on_hold, customer.hold_reason, customer.hold_until) == (
        True,
        "Lawyer on it",
        until,
    )
    event = CustomerEvent.objects.get(customer=customer)
    assert (event.kind, event.user, event.data["reason"]) == ("customer_held", bob, "Lawyer on it")
    assert event.describe().startswith("Put on hold until ")


def test_hold_without_end_date(acme, bob):
    customer = CustomerFactory(entity=acme)
    customer_hold(customer=customer, reason="Insolvency", acting_user=bob)
    customer.refresh_from_db()
    assert (customer.on_hold, customer.hold_until) == (True, None)
    assert CustomerEvent.objects.get().describe() == "Put on hold: Insolvency"


@pytest.mark.parametrize(
    ("reason", "days", "field", "message"),
    [
        ("", 1, "reason", "Say why the customer is put on hold."),
        ("   ", None, "reason", "Say why the customer is put on hold."),
        ("x" * 201, None, "reason", "The reason is too long (200 characters at most)."),
        ("Lawyer", -1, "until", "The end of the hold cannot be in the past."),
    ],
)
def test_bad_hold_is_refused_and_writes_nothing(acme, bob, reason, days, field, message):
    customer = CustomerFactory(entity=acme)
    until = acme.today() + timedelta(days=days) if days is not None else None
    with pytest.raises(ValidationError) as caught:
        customer_hold(customer=customer, reason=reason, until=until, acting_user=bob)
    assert caught.value.message_dict[field] == [message]
    customer.refresh_from_db()
    assert not customer.on_hold
    assert not CustomerEvent.objects.exists()


def test_hold_ending_today_is_accepted(acme, bob):
    customer = CustomerFactory(entity=acme)
    customer_hold(customer=customer, reason="Until tonight", until=acme.today(), acting_user=bob)
    customer.refresh_from_db()
    assert customer.hold_until == acme.today()


def test_release_clears_the_hold_and_says_so(acme, bob):
    customer = CustomerFactory(
        entity=acme, on_hold=True, hold_reason="Lawyer", hold_until=acme.today()
    )
    customer_release(customer=customer, acting_user=bob)
    customer.refresh_from_db()
    assert (customer.on_hold, customer.hold_reason, customer.hold_until) == (False, "", None)
    event = CustomerEvent.objects.get()
    assert (event.kind, event.describe()) == ("customer_released", "Released from hold")


def test_release_of_a_customer_not_on_hold_is_refused(acme, bob):
    customer = CustomerFactory(entity=acme)
    with pytest.raises(ValidationError, match="not on hold"):
        customer_release(customer=customer, acting_user=bob)
    assert not CustomerEvent.objects.exists()
