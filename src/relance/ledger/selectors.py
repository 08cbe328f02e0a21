"""Reads of ledger items for the item list and its exports."""

from datetime import date

from django.db.models import Q, QuerySet

from relance.customers.selectors import Today, today_expression
from relance.ledger.choices import ItemKind
from relance.ledger.models import Item


def item_list_queryset(user) -> QuerySet:
    """The items `user` may see (the table reads each shown row's customer and entity)."""
    return Item.objects.visible_to(user)


def overdue_condition(today: Today) -> Q:
    """Open invoices past their due date on their entity's calendar."""
    return Q(
        kind=ItemKind.INVOICE,
        open_amount__gt=0,
        due_date__lt=today_expression(today, "entity_id"),
    )


def item_days_overdue(item: Item, today: date) -> int | None:
    """Days past due of an open invoice, None when it is not overdue (or not an invoice)."""
    if item.kind != ItemKind.INVOICE or not item.is_open or item.due_date is None:
        return None
    days = (today - item.due_date).days
    return days if days > 0 else None
