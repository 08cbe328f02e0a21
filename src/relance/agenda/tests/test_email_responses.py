"""Email replies as the inbound app records them (response_email_record): a human reply
waits for a collector and holds the automatic messages (the timeline says until when), an
automatic reply is handled at once and holds nothing; handling the reply, whichever way,
releases them; pausing_responses / customers_paused_by_reply answer what the engine reads."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from relance.accounts.tests.factories import UserFactory
from relance.activity.models import CustomerEvent
from relance.agenda import services
from relance.agenda.selectors import customers_paused_by_reply, reply_pause_until
from relance.core.models import Entity
from relance.core.tests.factories import EntityFactory
from relance.customers.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
TODAY = date(2026, 2, 10)


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(Entity, "today", lambda entity: TODAY)
    return TODAY


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


def reply(customer, received_at, **fields):
    fields = {"author": "Claire Martin <compta@client.example>", "body": "Paid yesterday."} | fields
    return services.response_email_record(
        entity=customer.entity, customer=customer, received_at=received_at, **fields
    )


def events(customer) -> list[str]:
    rows = CustomerEvent.objects.filter(customer=customer).order_by("id")
    return [event.describe() for event in rows]


def test_a_human_reply_pauses_and_handling_it_resumes(acme, today):
    customer = CustomerFactory(entity=acme)
    response = reply(customer, at(TODAY, 9))
    assert (response.channel, response.kind, response.handled_at) == ("email", "reply", None)
    assert reply_pause_until(acme, response.received_at) == date(2026, 2, 17)
    assert events(customer) == [
        "Reply received from Claire Martin <compta@client.example>: automatic messages "
        "paused until a collector handles it, at the latest on 17 Feb 2026"
    ]
    assert customers_paused_by_reply(entity=acme, day=TODAY, ids=[customer.pk]) == {customer.pk}
    bob = UserFactory(username="bob")
    services.response_handle(response=response, acting_user=bob)
    assert customers_paused_by_reply(entity=acme, day=TODAY, ids=[customer.pk]) == set()
    assert events(customer)[-1] == "Automatic messages resumed"
    services.response_handle(response=response, acting_user=bob)
    assert len(events(customer)) == 2


def test_an_automatic_reply_is_handled_at_once_and_pauses_nothing(acme, today):
    customer = CustomerFactory(entity=acme)
    response = reply(customer, at(TODAY), auto_reply="Auto-Submitted: auto-replied")
    assert (response.kind, response.handled_by) == ("auto_reply", None)
    assert response.handled_at is not None
    assert response.details == {"auto_reply": "Auto-Submitted: auto-replied"}
    assert customers_paused_by_reply(entity=acme, day=TODAY, ids=[customer.pk]) == set()
    assert events(customer) == []


def test_the_pause_window_in_the_entitys_days(acme, today):
    """Received 02-03 at 23:30 in Paris (22:30 UTC): paused on runs 02-03 to 02-09, free on
    02-10 (7 days); not before it came."""
    customer = CustomerFactory(entity=acme)
    reply(customer, at(date(2026, 2, 3), 23, 30))
    paused = {
        day: bool(customers_paused_by_reply(entity=acme, day=day, ids=[customer.pk]))
        for day in (date(2026, 2, 2) + timedelta(n) for n in range(10))
    }
    assert [day.day for day, held in paused.items() if held] == list(range(3, 10))


def test_two_replies_resume_when_both_are_handled(acme, today):
    customer = CustomerFactory(entity=acme)
    first, second = reply(customer, at(TODAY, 8)), reply(customer, at(TODAY, 9))
    services.response_handle(response=first)
    assert customers_paused_by_reply(entity=acme, day=TODAY, ids=[customer.pk]) == {customer.pk}
    assert "Automatic messages resumed" not in events(customer)
    services.response_comment_create(customer=customer, body="called back")  # no pause
    services.response_handle(response=second)
    assert events(customer)[-1] == "Automatic messages resumed"


def test_an_old_reply_or_an_entity_that_does_not_pause(acme, today):
    customer = CustomerFactory(entity=acme)
    reply(customer, at(TODAY - timedelta(7)))  # the pause had already ended
    assert events(customer) == []
    other = EntityFactory(slug="acme-uk", name="Acme UK", pause_on_reply=False)
    theirs = CustomerFactory(entity=other)
    reply(theirs, at(TODAY))
    assert events(theirs) == []
    assert customers_paused_by_reply(entity=other, day=TODAY, ids=[theirs.pk]) == set()


def test_a_reply_is_refused_for_another_entitys_customer(acme):
    other = EntityFactory(slug="acme-uk", name="Acme UK")
    with pytest.raises(ValidationError) as caught:
        services.response_email_record(
            entity=other,
            customer=CustomerFactory(entity=acme),
            author="x",
            body="y",
            received_at=at(TODAY),
        )
    assert "customer" in caught.value.message_dict


def test_an_answer_goes_to_the_addresses_that_did_not_bounce(acme, today):
    from django.core import mail
    from django.utils import timezone

    from relance.customers.tests.factories import ContactFactory
    from relance.templating.tests.factories import MessageTemplateFactory

    customer = CustomerFactory(entity=acme)
    bounced = ContactFactory(
        customer=customer, email="old@client.example", email_invalid_at=timezone.now()
    )
    ContactFactory(customer=customer, email="new@client.example")
    template = MessageTemplateFactory(entity=acme, variants={"fr": ("Merci", "<p>ok</p>")})
    response = reply(customer, at(TODAY))
    services.response_answer(response=response, template=template)
    assert [m.to for m in mail.outbox] == [["new@client.example"]]
    customer.contacts.exclude(pk=bounced.pk).update(email_invalid_at=timezone.now())
    with pytest.raises(ValidationError, match="bounced"):
        services.response_answer(response=response, template=template)
    assert len(mail.outbox) == 1
