"""The webhooks pages: a credit manager subscribes and sees the secret once, tests the
receiver, reads the log and replays; collectors are refused, other entities' hooks are 404."""

import pytest
from django.urls import reverse

from relance.accounts.tests.factories import UserFactory
from relance.webhooks import services
from relance.webhooks.choices import DeliveryStatus
from relance.webhooks.models import Delivery, Subscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def carol(globex):
    """A credit manager of Globex UK only."""
    user = UserFactory(username="carol", role="credit_manager")
    user.entities.set([globex])
    return user


def test_a_credit_manager_subscribes_and_sees_the_secret_once(client, alice, acme, receiver):
    client.force_login(alice)
    response = client.post(
        reverse("webhooks:create"),
        {
            "entity": acme.pk,
            "url": receiver.url,
            "events": ["action.sent", "item.settled"],
            "description": "ERP",
            "is_active": "on",
        },
    )
    subscription = Subscription.objects.get()
    assert response.status_code == 200
    secret = services.subscription_secret(subscription)
    assert secret in response.content.decode()
    assert subscription.events == ["action.sent", "item.settled"]
    page = client.get(subscription.get_absolute_url()).content.decode()
    assert secret not in page and "ERP" in page


def test_a_bad_url_is_answered_on_the_form(client, alice, acme):
    client.force_login(alice)
    response = client.post(
        reverse("webhooks:create"), {"entity": acme.pk, "url": "not a url", "events": []}
    )
    assert response.status_code == 400
    assert not Subscription.objects.exists()
    assert "Enter a valid URL." in response.content.decode()


def test_the_test_button_and_the_replay(client, alice, acme, receiver):
    subscription, receiver.secret = services.subscription_create(
        entity=acme, url=receiver.url, events=["run.finished"]
    )
    client.force_login(alice)
    receiver.statuses = [500]
    response = client.post(reverse("webhooks:test", args=[subscription.pk]), follow=True)
    assert "Test failed: HTTP 500" in response.content.decode()
    failed = Delivery.objects.get()
    assert failed.status == DeliveryStatus.FAILED

    response = client.post(reverse("webhooks:test", args=[subscription.pk]), follow=True)
    assert "Test delivered: the receiver answered 200." in response.content.decode()

    client.post(reverse("webhooks:replay", args=[failed.pk]))
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.PENDING and failed.attempts == 0


def test_collectors_are_refused(client, bob, acme):
    subscription, _secret = services.subscription_create(
        entity=acme, url="https://erp.example.com/h", events=["run.finished"]
    )
    client.force_login(bob)
    assert client.get(reverse("webhooks:list")).status_code == 403
    assert client.get(subscription.get_absolute_url()).status_code == 403


def test_another_entitys_webhooks_are_not_found(client, carol, acme, globex):
    theirs, _secret = services.subscription_create(
        entity=acme, url="https://erp.example.com/h", events=["run.finished"]
    )
    delivery = Delivery.objects.create(
        subscription=theirs, event="run.finished", key="k", payload={}
    )
    client.force_login(carol)
    assert "erp.example.com" not in client.get(reverse("webhooks:list")).content.decode()
    for name in ("detail", "edit"):
        assert client.get(reverse(f"webhooks:{name}", args=[theirs.pk])).status_code == 404
    for name in ("rotate", "test", "delete"):
        assert client.post(reverse(f"webhooks:{name}", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("webhooks:replay", args=[delivery.pk])).status_code == 404
    form = client.get(reverse("webhooks:create")).content.decode()
    assert "Acme France" not in form and "Globex UK" in form
    assert Subscription.objects.filter(pk=theirs.pk).exists()
