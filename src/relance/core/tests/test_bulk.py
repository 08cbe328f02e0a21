"""Set-based updates (core/bulk.py: rows_update): each row gets its own values, nulls and
all, the constants go to every row, and rows not named are left alone, on either database
(a COPied temporary table on PostgreSQL, UPDATE … FROM (VALUES …) on SQLite)."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from relance.banking.models import StatementLine
from relance.core import bulk
from relance.core.bulk import insert_new, rows_update
from relance.ledger.models import Item
from relance.ledger.tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[1, 10_000], ids=["staged", "plain"])
def stage_after(request, monkeypatch):
    """Both ways on PostgreSQL: through a temporary table, and a statement per row."""
    monkeypatch.setattr(bulk, "STAGE_AFTER_ROWS", request.param)


def test_rows_update_sets_each_row_its_values_and_the_constants(acme, stage_after):
    items = ItemFactory.create_batch(3, customer__entity=acme, promise_date=date(2026, 2, 1))
    first, second, untouched = items
    stamp = timezone.make_aware(datetime(2026, 3, 4, 5, 6))
    count = rows_update(
        Item,
        ("open_amount", "dispute_reason", "promise_date"),
        [
            (first.pk, Decimal("12.34"), "it's late", None),
            (second.pk, Decimal("0.00"), "", date(2026, 5, 6)),
        ],
        updated_at=stamp,
    )
    assert count == 2
    got = {item.pk: item for item in Item.objects.filter(pk__in=[i.pk for i in items])}
    assert (got[first.pk].open_amount, got[first.pk].dispute_reason) == (
        Decimal("12.34"),
        "it's late",
    )
    assert got[first.pk].promise_date is None
    assert (got[second.pk].open_amount, got[second.pk].promise_date) == (
        Decimal("0.00"),
        date(2026, 5, 6),
    )
    assert got[first.pk].updated_at == got[second.pk].updated_at == stamp
    assert got[untouched.pk].open_amount == untouched.open_amount
    assert got[untouched.pk].updated_at != stamp
    assert rows_update(Item, ("open_amount",), []) == 0


def test_rows_update_writes_json_and_foreign_keys(acme, stage_after):
    from relance.banking.models import Statement

    item = ItemFactory(customer__entity=acme)
    statement = Statement.objects.create(entity=acme, format="camt053", fingerprint="x")
    lines = [
        StatementLine.objects.create(
            entity=acme,
            statement=statement,
            position=n,
            booking_date=date(2026, 1, 1),
            amount=Decimal("1.00"),
            currency="EUR",
        )
        for n in range(3)
    ]
    rows_update(
        StatementLine,
        ("status", "customer", "suggested_item_ids"),
        [
            (lines[0].pk, "suggested", item.customer_id, [item.pk, 7]),
            (lines[1].pk, "unmatched", None, []),
        ],
    )
    for line in lines:
        line.refresh_from_db()
    assert (lines[0].status, lines[0].customer_id, lines[0].suggested_item_ids) == (
        "suggested",
        item.customer_id,
        [item.pk, 7],
    )
    assert (lines[1].status, lines[1].customer_id, lines[1].suggested_item_ids) == (
        "unmatched",
        None,
        [],
    )


def test_insert_new_skips_the_rows_a_unique_constraint_refuses(acme, stage_after):
    from relance.webhooks.models import Delivery, Subscription

    subscription = Subscription.objects.create(
        entity=acme, url="https://example.com/hook", events=["item.settled"], secret="s"
    )

    def delivery(key, amount):
        return Delivery(
            subscription=subscription,
            event="item.settled",
            key=key,
            payload={"amount": Decimal(amount), "day": date(2026, 1, 2)},
        )

    insert_new([delivery("a", "1.10")], ("subscription", "event", "event_id", "key", "payload"))
    insert_new(
        [delivery("a", "2.20"), delivery("b", "3.30"), delivery("b", "4.40")],
        ("subscription", "event", "event_id", "key", "payload"),
    )
    rows = Delivery.objects.filter(subscription=subscription).order_by("key")
    assert [(row.key, row.payload["amount"], row.status) for row in rows] == [
        ("a", "1.10", "pending"),
        ("b", "3.30", "pending"),
    ]
    assert rows[1].payload["day"] == "2026-01-02"
