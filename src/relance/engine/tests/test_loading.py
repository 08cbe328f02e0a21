"""The items the loader gives the planner on PostgreSQL (loading.deciding_items: the few
that can decide, sums in place of the rest) decide exactly as every open item does: the
same reference invoice, the same amount at stake, the same reason to stop, on random
ledgers, run dates and promise graces."""

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection

from relance.customers.tests.factories import CustomerFactory
from relance.engine import planner
from relance.engine.loading import deciding_items, every_item
from relance.engine.tests.simulation import d
from relance.ledger.models import Item
from relance.ledger.tests.factories import ItemFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="deciding_items: PostgreSQL"),
]

DAYS = [d(3, 1) + timedelta(days=n) for n in range(-40, 41, 5)]


def _ledger(entity, rng: random.Random, customers: int) -> list[int]:
    """Customers with 0–9 items: invoices past due and ahead, many due on the same days
    (ties broken by issue date, then number), credits, two currencies, disputes, blocks,
    payments pending, promises, settled items."""
    ids, items = [], []
    for n in range(customers):
        customer = CustomerFactory(entity=entity, external_id=f"C{n:03d}")
        ids.append(customer.pk)
        for k in range(rng.randrange(10)):
            kind = rng.choice(["invoice"] * 6 + ["credit_note", "payment"])
            due = d(3, 1) + timedelta(days=rng.choice([-50, -30, -30, -10, 0, 0, 5, 12, 12, 40]))
            amount = Decimal(rng.randrange(1, 50_000)).scaleb(-2)
            items.append(
                ItemFactory.build(
                    customer=customer,
                    entity=entity,
                    kind=kind,
                    number=f"{rng.choice('ABC')}{n:03d}-{k}",
                    issue_date=due - timedelta(days=rng.choice([30, 30, 45])),
                    due_date=due if kind == "invoice" else None,
                    amount=amount,
                    open_amount=amount if rng.random() > 0.1 else Decimal("0"),
                    currency=rng.choice(["EUR", "EUR", "EUR", "USD"]),
                    disputed=rng.random() < 0.1,
                    blocked=rng.random() < 0.05,
                    promise_date=due + timedelta(days=rng.randrange(-5, 30))
                    if rng.random() < 0.15
                    else None,
                )
            )
    Item.objects.bulk_create(items)
    pending = [item.pk for item in items if rng.random() < 0.05]
    Item.objects.filter(pk__in=pending).update(
        payment_pending_since=datetime(2026, 2, 1, tzinfo=UTC)
    )
    return ids


def _outcome(items, day, grace: int, min_amount: Decimal):
    scenario = planner.ScenarioData(id=1, steps=(), promise_grace_days=grace, min_amount=min_amount)
    state = planner.CustomerState(id=1, scenario=scenario, items=tuple(items))
    found = planner.situation(state, day)
    if found.reference is None:
        return (None, found.stop_reason, None)
    dunnable = planner.dunnable_invoices(items, day, grace)
    at_stake = planner.amount_at_stake(items, dunnable, found.reference, day)
    return (found.reference.id, found.stop_reason, at_stake)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_deciding_items_decide_as_every_item(acme, seed):
    rng = random.Random(seed)
    ids = _ledger(acme, rng, customers=40)
    every = every_item(ids)
    compared = 0
    for day in DAYS:
        deciding = deciding_items(ids, day)
        for pk in ids:
            for grace, min_amount in ((0, Decimal("0.01")), (3, Decimal("150.00"))):
                expected = _outcome(every.get(pk, []), day, grace, min_amount)
                found = _outcome(deciding.get(pk, []), day, grace, min_amount)
                assert found == expected, (seed, day, pk, grace)
                compared += expected[0] is not None
    assert compared > 500  # most cases have a reference: the sums were put to the test


def test_fewer_rows_than_items(acme):
    ids = _ledger(acme, random.Random(4), customers=40)
    every = sum(len(items) for items in every_item(ids).values())
    deciding = sum(len(items) for items in deciding_items(ids, d(3, 1)).values())
    assert deciding < every * 0.75
