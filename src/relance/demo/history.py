"""The demo's year of history for the Insights figures: its partial payments as dated
changes of the open amount (its settled invoices carry `settled_on` already), then the
daily snapshots of the past year rebuilt from that history, as `relance insights backfill`
would after an import of a year of items."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import F

from relance.insights.services import snapshots_backfill
from relance.ledger.choices import ItemKind
from relance.ledger.models import Item, ItemAmountChange

HISTORY_DAYS = 365


def partial_payments(*, entities, seed: int, today: date) -> int:
    """For each invoice paid in part: created with its full amount on its issue date, the
    part paid on a day drawn between its issue and today; answers the invoices."""
    partly_paid = Item.objects.filter(
        entity__in=entities, kind=ItemKind.INVOICE, open_amount__gt=0, open_amount__lt=F("amount")
    ).values_list("pk", "entity_id", "number", "issue_date", "due_date", "amount", "open_amount")
    changes = []
    for pk, entity_id, number, issued, due, amount, open_amount in partly_paid.order_by("pk"):
        rng = random.Random(f"relance-demo-history:{seed}:{number}")
        earliest = min(today, issued + timedelta(days=1))
        paid_on = min(today, max(earliest, due + timedelta(days=rng.randint(-10, 30))))
        changes += [
            ItemAmountChange(
                entity_id=entity_id, item_id=pk, day=issued, open_amount_after=amount, delta=amount
            ),
            ItemAmountChange(
                entity_id=entity_id,
                item_id=pk,
                day=paid_on,
                open_amount_after=open_amount,
                delta=open_amount - amount,
            ),
        ]
    ItemAmountChange.objects.bulk_create(changes, batch_size=2000)
    return len(changes) // 2


def demo_snapshots(*, entities, today: date) -> dict:
    """The snapshots of every day of the past year, from the history (after the engine's
    replay, whose payments are dated too); answers the days and rows written."""
    start = today - timedelta(days=HISTORY_DAYS - 1)
    days = rows = 0
    for entity in entities:
        result = snapshots_backfill(entity=entity, start=start, end=today)
        days, rows = max(days, result.days), rows + result.rows
    return {"days": days, "snapshots": rows}


def settled_changes(paid: list[tuple[int, int, Decimal]], day: date) -> list[ItemAmountChange]:
    """The changes of invoices (id, entity id, open amount) settled in full on `day`."""
    return [
        ItemAmountChange(
            entity_id=entity_id,
            item_id=pk,
            day=day,
            open_amount_after=Decimal("0.00"),
            delta=-open_amount,
        )
        for pk, entity_id, open_amount in paid
    ]
