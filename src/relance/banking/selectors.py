"""Reads of bank reconciliation: the statements a user sees with their counts, the lines of
a statement still to reconcile with ranked suggestions, the customers and open items of
the manual allocation form."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Min, Q, QuerySet

from relance.banking import matching
from relance.banking.choices import LineStatus, MatchReason, SuggestionBasis
from relance.banking.models import Statement, StatementLine
from relance.banking.services import Counts, statement_counts
from relance.customers.models import Customer
from relance.ledger.choices import ItemKind
from relance.ledger.models import Item

TO_RECONCILE = (LineStatus.UNMATCHED, LineStatus.SUGGESTED)
CUSTOMER_CHOICES_LIMIT = 20
OPEN_ITEMS_LIMIT = 100


def statement_list(user) -> QuerySet:
    """The statements `user` sees, newest first, each with its first and last booking
    dates and the number of lines allocated by hand (one query)."""
    return (
        Statement.objects.visible_to(user)
        .select_related("entity", "imported_by")
        .annotate(
            manual_count=Count("lines", filter=Q(lines__reason=MatchReason.MANUAL)),
            first_day=Min("lines__booking_date"),
            last_day=Max("lines__booking_date"),
        )
    )


@dataclass
class StatementRow:
    """A statement with its counts as the list shows them."""

    statement: Statement
    counts: Counts

    @property
    def manual(self) -> int:
        return self.statement.manual_count

    @property
    def automatic(self) -> int:
        return self.counts.matched - self.statement.manual_count

    @property
    def to_reconcile(self) -> int:
        return self.counts.suggested + self.counts.unmatched


def statement_rows(user, limit: int = 100) -> list[StatementRow]:
    return [StatementRow(s, statement_counts(s)) for s in statement_list(user)[:limit]]


def statement_for_user(user, pk: int) -> Statement:
    """The statement if `user` sees it; the same 404 for missing and not theirs."""
    return statement_list(user).get_for_user(user, pk=pk)


def line_for_user(user, pk: int) -> StatementLine:
    return StatementLine.objects.select_related("statement", "entity").get_for_user(user, pk=pk)


def lines_to_reconcile(statement: Statement) -> QuerySet:
    return statement.lines.filter(credit=True, status__in=TO_RECONCILE).order_by("position")


@dataclass
class SuggestionRow:
    """A suggestion ready to show: its customer, its items each with the amount it pays."""

    customer: Customer
    basis: str
    pays: list[tuple[Item, Decimal]]
    unapplied: Decimal

    @property
    def basis_label(self) -> str:
        return SuggestionBasis(self.basis).label

    @property
    def item_numbers(self) -> str:
        return ", ".join(item.number for item, _amount in self.pays)


@dataclass
class LineRow:
    line: StatementLine
    suggestions: list[SuggestionRow] = field(default_factory=list)


def line_rows(lines: list[StatementLine]) -> list[LineRow]:
    """Each line (of one entity) with its ranked suggestions: matching.suggest over all the
    lines at once, then their customers and items in two queries."""
    if not lines:
        return []
    entity_id = lines[0].entity_id
    plain = [
        matching.Line(
            id=line.pk,
            amount=line.amount,
            currency=line.currency,
            iban=line.counterparty_iban,
            reference=line.reference,
            remittance=line.remittance,
            name=line.counterparty_name,
        )
        for line in lines
    ]
    suggested = matching.suggest(entity_id, plain)
    item_ids = {pk for found in suggested.values() for s in found for pk in s.pays}
    customer_ids = {s.customer_id for found in suggested.values() for s in found}
    items = Item.objects.in_bulk(sorted(item_ids))
    customers = Customer.objects.filter(entity_id=entity_id).in_bulk(sorted(customer_ids))
    rows = []
    for line in lines:
        row = LineRow(line)
        for suggestion in suggested.get(line.pk, []):
            pays = [(items[pk], amount) for pk, amount in suggestion.pays.items()]
            paid = sum((amount for _item, amount in pays), Decimal("0.00"))
            row.suggestions.append(
                SuggestionRow(
                    customers[suggestion.customer_id], suggestion.basis, pays, line.amount - paid
                )
            )
        rows.append(row)
    return rows


def customer_choices(user, line: StatementLine, query: str = "") -> QuerySet:
    """Customers of the line's entity that `user` sees whose name or number holds `query`:
    the manual allocation's chooser (a few rows, never a whole entity)."""
    customers = Customer.objects.visible_to(user).filter(entity_id=line.entity_id)
    query = query.strip()
    if query:
        customers = customers.filter(Q(name__icontains=query) | Q(external_id__icontains=query))
    return customers.order_by("name", "id")[:CUSTOMER_CHOICES_LIMIT]


def customer_of_line(user, line: StatementLine, pk: int) -> Customer | None:
    """The customer `pk` if it is of the line's entity and `user` sees it."""
    return Customer.objects.visible_to(user).filter(entity_id=line.entity_id, pk=pk).first()


def customer_open_items(customer: Customer, line: StatementLine) -> list[Item]:
    """The customer's open invoices in the line's currency, oldest due first, each with the
    amount the form proposes (`proposed`: its open amount, at most the line's)."""
    items = list(
        Item.objects.filter(
            entity_id=line.entity_id,
            customer=customer,
            kind=ItemKind.INVOICE,
            open_amount__gt=0,
            currency=line.currency,
        ).order_by("due_date", "id")[:OPEN_ITEMS_LIMIT]
    )
    for item in items:
        item.proposed = min(item.open_amount, line.amount)
    return items
