"""Webhooks out against a real receiver on 127.0.0.1: signed, once per change, retried with
backoff, given up after the last try, replayed by hand; the secret sealed at rest."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from relance.customers.tests.factories import CustomerFactory
from relance.ledger.services import items_dispute_clear, items_dispute_open, items_promise_record
from relance.ledger.tests.factories import ItemFactory
from relance.webhooks import services
from relance.webhooks.choices import DeliveryStatus, WebhookEvent
from relance.webhooks.models import Delivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(acme):
    return ItemFactory(customer=CustomerFactory(entity=acme, name="Dupont SA"), number="F-042")


def test_a_dispute_reaches_the_receiver_once_signed(acme, invoice, receiver, subscribe):
    subscribe(acme, [WebhookEvent.DISPUTE_OPENED])
    items_dispute_open(customer=invoice.customer, item_ids=[invoice.pk], reason="Never delivered")

    assert services.deliveries_deliver_due() == {"delivered": 1, "retry": 0, "failed": 0}
    assert services.deliveries_deliver_due() == {"delivered": 0, "retry": 0, "failed": 0}
    [request] = receiver.requests
    assert request["signed"]
    assert request["headers"]["Relance-Event"] == "dispute.opened"
    body = request["body"]
    assert body["type"] == "dispute.opened" and body["entity"] == acme.pk
    assert body["id"] == request["headers"]["Relance-Event-Id"]
    assert body["data"]["customer"]["name"] == "Dupont SA"
    assert body["data"]["items"] == [
        {"id": invoice.pk, "number": "F-042", "open_amount": "1000.00", "currency": "EUR"}
    ]
    assert body["data"]["reason"] == "Never delivered"
    assert Delivery.objects.get().status == DeliveryStatus.DELIVERED


def test_only_the_events_subscribed_to_are_sent(acme, invoice, receiver, subscribe):
    subscribe(acme, [WebhookEvent.PROMISE_RECORDED])
    items_dispute_open(customer=invoice.customer, item_ids=[invoice.pk], reason="Late")
    items_dispute_clear(customer=invoice.customer, item_ids=[invoice.pk])
    promised = acme.today() + timedelta(days=10)
    items_promise_record(customer=invoice.customer, item_ids=[invoice.pk], promise_date=promised)

    services.deliveries_deliver_due()
    assert [e["type"] for e in receiver.events()] == ["promise.recorded"]
    assert receiver.events()[0]["data"]["promise_date"] == promised.isoformat()


def test_another_entitys_subscription_hears_nothing(acme, globex, invoice, receiver, subscribe):
    subscribe(globex, [WebhookEvent.DISPUTE_OPENED])
    items_dispute_open(customer=invoice.customer, item_ids=[invoice.pk], reason="Late")
    assert not Delivery.objects.exists()


def test_a_receiver_failing_twice_gets_the_event_on_the_third_try(
    acme, invoice, receiver, subscribe
):
    subscribe(acme, [WebhookEvent.DISPUTE_OPENED])
    items_dispute_open(customer=invoice.customer, item_ids=[invoice.pk], reason="Late")
    receiver.statuses = [500, 500]
    start = timezone.now()

    assert services.deliveries_deliver_due(now=start)["retry"] == 1
    delivery = Delivery.objects.get()
    assert delivery.next_attempt_at == start + timedelta(seconds=services.RETRY_DELAYS[0])
    assert (delivery.response_status, delivery.response_body) == (500, "boom")
    # Not yet due: nothing is sent before the backoff ends.
    assert services.deliveries_deliver_due(now=start + timedelta(seconds=30))["retry"] == 0
    assert services.deliveries_deliver_due(now=start + timedelta(seconds=61))["retry"] == 1
    later = start + timedelta(seconds=61 + services.RETRY_DELAYS[1] + 1)
    assert services.deliveries_deliver_due(now=later)["delivered"] == 1

    assert len(receiver.requests) == 3
    assert len({r["body"]["id"] for r in receiver.requests}) == 1  # the same event each time
    assert all(r["signed"] for r in receiver.requests)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.error) == (DeliveryStatus.DELIVERED, 3, "")


def test_a_receiver_that_never_answers_well_fails_then_is_replayed(
    acme, invoice, receiver, subscribe
):
    subscribe(acme, [WebhookEvent.DISPUTE_OPENED])
    items_dispute_open(customer=invoice.customer, item_ids=[invoice.pk], reason="Late")
    receiver.statuses = [503] * services.MAX_ATTEMPTS
    now = timezone.now()
    for _attempt in range(services.MAX_ATTEMPTS):
        services.deliveries_deliver_due(now=now)
        now += timedelta(days=2)
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == services.MAX_ATTEMPTS and delivery.error == "HTTP 503"
    assert services.deliveries_deliver_due(now=now)["failed"] == 0  # given up: not tried again

    services.delivery_replay(delivery=delivery)
    assert services.deliveries_deliver_due(now=timezone.now() + timedelta(seconds=1)) == {
        "delivered": 1,
        "retry": 0,
        "failed": 0,
    }
    assert len(receiver.requests) == services.MAX_ATTEMPTS + 1


def test_a_receiver_that_is_down_is_retried_with_the_reason(acme, invoice, subscribe, receiver):
    subscription = subscribe(acme, [WebhookEvent.DISPUTE_OPENED])
    receiver.server.shutdown()
    receiver.server.server_close()
    items_dispute_open(customer=invoice.customer, item_ids=[invoice.pk], reason="Late")
    assert services.deliveries_deliver_due()["retry"] == 1
    delivery = subscription.deliveries.get()
    assert delivery.error.startswith("No answer:") and delivery.response_status is None


def test_the_same_change_reported_twice_is_delivered_once(acme, receiver, subscribe):
    subscribe(acme, [WebhookEvent.ITEM_SETTLED])
    row = {
        "id": 7,
        "customer_id": 1,
        "number": "F-1",
        "amount": "10.00",
        "currency": "EUR",
        "settled_on": "2026-12-01",
    }
    from relance.webhooks.events import items_settled

    items_settled(acme.pk, [row], source="import")
    items_settled(acme.pk, [row], source="import")
    assert Delivery.objects.count() == 1


def test_the_secret_is_sealed_at_rest_and_shown_once(acme):
    subscription, secret = services.subscription_create(
        entity=acme, url="https://erp.example.com/hooks", events=["item.settled"]
    )
    subscription.refresh_from_db()
    assert secret.startswith("whsec_") and secret not in subscription.secret
    assert subscription.secret.startswith("enc:")
    assert services.subscription_secret(subscription) == secret
    rotated = services.subscription_secret_rotate(subscription=subscription)
    assert rotated != secret and services.subscription_secret(subscription) == rotated


@pytest.mark.parametrize(
    ("url", "events", "field"),
    [
        ("ftp://erp.example.com", ["item.settled"], "url"),
        ("https://erp.example.com", ["item.paid"], "events"),
        ("https://erp.example.com", [], "events"),
    ],
)
def test_a_bad_subscription_is_refused_with_its_field(acme, url, events, field):
    with pytest.raises(ValidationError) as refused:
        services.subscription_create(entity=acme, url=url, events=events)
    assert field in refused.value.message_dict
    assert not acme.webhook_subscriptions.exists()


def test_the_test_button_reports_the_receivers_answer(acme, receiver, subscribe):
    subscription = subscribe(acme, [WebhookEvent.RUN_FINISHED])
    delivery = services.subscription_test(subscription=subscription)
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.response_status == 200
    assert receiver.events("ping")[0]["data"]["subscription"] == subscription.pk
    receiver.statuses = [404]
    failed = services.subscription_test(subscription=subscription)
    assert (failed.status, failed.error) == (DeliveryStatus.FAILED, "HTTP 404")
    assert failed.next_attempt_at is None  # a test is not retried


def test_events_in_a_batch_read_the_subscriptions_once(
    acme, receiver, subscribe, django_assert_num_queries
):
    """A mailbox batch emits an event per reply: the subscriptions are read once for all,
    then each event costs its own insert only."""
    from relance.webhooks.events import items_settled

    subscribe(acme, [WebhookEvent.ITEM_SETTLED])
    rows = [
        {
            "id": n,
            "customer_id": 1,
            "number": f"F-{n}",
            "amount": "10.00",
            "currency": "EUR",
            "settled_on": "2026-12-01",
        }
        for n in range(1, 6)
    ]
    with django_assert_num_queries(1 + 5), services.subscriptions_read_once():
        for row in rows:
            items_settled(acme.pk, [row], source="import")
    assert Delivery.objects.count() == 5
    # Outside a batch, each event reads them again.
    with django_assert_num_queries(2):
        items_settled(acme.pk, [{**rows[0], "id": 99}], source="import")
