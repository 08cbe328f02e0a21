"""Two bulk upserts at once into the same entity (PostgreSQL, two connections), as an
integrator sending its ledger from several jobs does: no deadlock, no duplicate, every
item written once, and an idempotency key sent twice at once writes once."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from relance.accounts import services as account_services
from relance.accounts.tests.factories import UserFactory
from relance.customers.tests.factories import CustomerFactory
from relance.ledger.models import Item

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite writes one at a time"),
]
URL = "/api/v1/items/bulk/"
CUSTOMERS = 20


@pytest.fixture
def secret(acme):
    user = UserFactory(username="claire", role="credit_manager")
    user.entities.set([acme])
    for n in range(CUSTOMERS):
        CustomerFactory(entity=acme, external_id=f"C{n:03d}")
    return account_services.api_token_create(user=user, name="erp")[1]


def items(numbers, amount="100.00") -> list[dict]:
    return [
        {
            "customer_external_id": f"C{n % CUSTOMERS:03d}",
            "kind": "invoice",
            "number": f"F{n:05d}",
            "issue_date": "2026-01-01",
            "due_date": "2026-01-31",
            "amount": amount,
            "open_amount": amount,
            "currency": "EUR",
        }
        for n in numbers
    ]


def at_once(secret, entity, bodies, keys=None) -> list:
    """POST every body at the same moment, each from a thread with its own connection."""
    keys = keys or [None] * len(bodies)
    answers = [None] * len(bodies)
    barrier = threading.Barrier(len(bodies))

    def post(index):
        try:
            client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
            headers = {"HTTP_IDEMPOTENCY_KEY": keys[index]} if keys[index] else {}
            body = {"entity": entity.pk, "items": bodies[index]}
            barrier.wait(10)
            answers[index] = client.post(URL, body, content_type="application/json", **headers)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(index,)) for index in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not any(thread.is_alive() for thread in threads), "a request never finished"
    return answers


def stored(entity) -> list[tuple]:
    return sorted(
        Item.objects.filter(entity=entity).values_list("number", "customer__external_id", "amount")
    )


def test_two_disjoint_upserts_at_once_write_everything_once(acme, secret):
    odd, even = items(range(1, 2000, 2)), items(range(0, 2000, 2))
    answers = at_once(secret, acme, [odd, even])
    assert [answer.status_code for answer in answers] == [200, 200], [
        answer.content[:500] for answer in answers
    ]
    assert [answer.json()["created"] for answer in answers] == [1000, 1000]
    assert len(stored(acme)) == 2000
    # Sent again, both at once: nothing changes, nothing is doubled.
    answers = at_once(secret, acme, [even, odd])
    assert [answer.json()["unchanged"] for answer in answers] == [1000, 1000]
    assert Item.objects.filter(entity=acme).count() == 2000


def test_the_same_items_twice_at_once_are_stored_once(acme, secret):
    """Both requests find the items new; the second to write waits for the first and
    upserts over it: one row per number, no deadlock, the same customers either way."""
    first = items(range(1000))
    second = list(reversed(items(range(500, 1500), amount="250.00")))
    answers = at_once(secret, acme, [first, second])
    assert [answer.status_code for answer in answers] == [200, 200], [
        answer.content[:500] for answer in answers
    ]
    rows = stored(acme)
    assert len(rows) == len({number for number, _customer, _amount in rows}) == 1500
    amounts = {number: amount for number, _customer, amount in rows}
    assert {amounts[f"F{n:05d}"] for n in range(500)} == {100}
    assert {amounts[f"F{n:05d}"] for n in range(1000, 1500)} == {250}
    # The overlap holds one of the two amounts, whole per request's write.
    assert {amounts[f"F{n:05d}"] for n in range(500, 1000)} <= {100, 250}


def test_one_idempotency_key_sent_twice_at_once_writes_once(acme, secret):
    body = items(range(1000))
    answers = at_once(secret, acme, [body, body], keys=["sync-1", "sync-1"])
    assert [answer.status_code for answer in answers] == [200, 200]
    assert sorted(answer.get("Idempotent-Replayed", "") for answer in answers) == ["", "true"]
    assert answers[0].json() == answers[1].json()
    assert answers[0].json()["created"] == 1000
    assert Item.objects.filter(entity=acme).count() == 1000


def test_one_idempotency_key_with_two_bodies_at_once_writes_one(acme, secret):
    answers = at_once(secret, acme, [items(range(10)), items(range(10, 20))], keys=["k", "k"])
    assert sorted(answer.status_code for answer in answers) == [200, 422]
    assert Item.objects.filter(entity=acme).count() == 10
