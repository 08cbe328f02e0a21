"""Reads of ledger items for the item list and its exports."""

from datetime import date

from django.db.models import Q, QuerySet

from relance.customers.models import Customer
from relance.customers.selectors import Today, today_expression
from relance.ledger.choices import ItemKind
from relance.ledger.importers.mapping import Proposal, header_signature, propose, read_sample
from relance.ledger.importers.readers import cell_text
from relance.ledger.importers.synonyms import FIELDS
from relance.ledger.models import ColumnMapping, Item


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


KNOWN_CODES_LOOKUP = 5000  # sample values looked up as customer codes, at most


def column_mapping_proposal(*, entity, kind: str, path, file_name: str | None = None) -> Proposal:
    """The mapping to propose for a file: the one the entity saved for the same headers if
    any, else one matched from the headers and a sample of the values (importers/mapping.py),
    customer codes checked against the entity's customers in one query."""
    header, rows = read_sample(path, file_name)
    saved = (
        ColumnMapping.objects.filter(entity=entity, kind=kind, signature=header_signature(header))
        .order_by("-updated_at")
        .first()
    )
    if saved is not None and len(saved.fields) == len(header):
        return saved_proposal(kind, header, rows, saved)
    customers = Customer.objects.filter(entity=entity)
    values = list({cell_text(cell) for row in rows for cell in row if cell_text(cell)})
    known = customers.filter(external_id__in=values[:KNOWN_CODES_LOOKUP]).values_list(
        "external_id", flat=True
    )
    return propose(
        kind, header, rows, known_customers=frozenset(known), customers_known=customers.exists()
    )


def saved_proposal(kind: str, header: list, rows: list, saved: ColumnMapping) -> Proposal:
    """A saved mapping shown as a proposal (fields no longer offered are dropped)."""
    proposal = propose(kind, header, rows[:3])
    known = FIELDS[kind]
    for column, name in zip(proposal.columns, saved.fields, strict=True):
        column.field = name if name in known else ""
        column.score = 1.0 if column.field else 0.0
    proposal.date_order, proposal.decimal_separator = saved.date_order, saved.decimal_separator
    proposal.saved = True
    return proposal
