"""How a customer pays: days to pay, days late weighted by amount, share paid on time and its
trend, promises kept, disputes and the time to resolve them (docs/insights.md, "Payment
behaviour").

Two parts. The pure part adds up `BehaviourSums` (plain counts and amounts, which add
across customers, so a segment's, a collector's or an entity's behaviour is the sum of its
customers' sums) and turns sums into `Behaviour` figures. The selector part reads the sums
of every customer of an entity at once, or of every collector, or the entity's total: one
GROUP BY over the invoices, one query for the dispute events and one for the invoices those
events name, whatever the number of customers."""

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q

from relance.activity.choices import EventKind
from relance.activity.models import CustomerEvent
from relance.insights import sql
from relance.insights.figures import HUNDRED, rounded
from relance.ledger.choices import ItemKind
from relance.ledger.importers.items import number_in
from relance.ledger.models import Item

ZERO = Decimal("0.00")
# The behaviour is read over the invoices of the last year; its trend compares the last 90
# days with the 90 days before.
WINDOW_DAYS = 365
TREND_DAYS = 90


# The pure part -------------------------------------------------------------------------------


@dataclass(frozen=True)
class BehaviourSums:
    """What the figures of a customer (or of a set of customers) are computed from."""

    paid_count: int = 0  # invoices settled in the window
    days_to_pay: int = 0  # Σ (settled − issued) over them
    paid_amount: Decimal = ZERO  # Σ amount over them
    late_amount_days: Decimal = ZERO  # Σ amount × days late (0 when paid on time)
    on_time_amount: Decimal = ZERO  # Σ amount of those settled on or before their due date
    recent_amount: Decimal = ZERO  # the same two sums over the last TREND_DAYS
    recent_late_amount_days: Decimal = ZERO
    previous_amount: Decimal = ZERO  # and over the TREND_DAYS before
    previous_late_amount_days: Decimal = ZERO
    promises: int = 0  # promises whose day has come (or already kept)
    promises_kept: int = 0
    issued: int = 0  # invoices issued in the window
    disputed: int = 0  # of which disputed at some time
    disputes_resolved: int = 0  # disputes cleared in the window
    days_to_resolve: int = 0  # Σ (cleared − opened) over them

    def __add__(self, other: "BehaviourSums") -> "BehaviourSums":
        return BehaviourSums(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )


@dataclass(frozen=True)
class Behaviour:
    """The figures, each None where there is nothing to measure (its divisor is 0)."""

    sums: BehaviourSums = field(default_factory=BehaviourSums)
    average_days_to_pay: Decimal | None = None
    average_days_late: Decimal | None = None
    on_time_share: Decimal | None = None
    recent_days_late: Decimal | None = None
    previous_days_late: Decimal | None = None
    trend: Decimal | None = None  # recent − previous days late: > 0 pays later than before
    promises_kept_rate: Decimal | None = None
    dispute_rate: Decimal | None = None
    average_days_to_resolve: Decimal | None = None


def _ratio(numerator, denominator, scale=1) -> Decimal | None:
    if not denominator:
        return None
    return Decimal(numerator) / Decimal(denominator) * scale


def weighted_days_late(late_amount_days: Decimal, amount: Decimal) -> Decimal | None:
    """Days late weighted by amount, unrounded: Σ amount × days late / Σ amount."""
    return _ratio(late_amount_days, amount)


def behaviour(sums: BehaviourSums) -> Behaviour:
    """The figures of `sums`: days to 0.1 day, shares to 0.1 point, half up, each from
    unrounded values (the trend too)."""
    recent = weighted_days_late(sums.recent_late_amount_days, sums.recent_amount)
    previous = weighted_days_late(sums.previous_late_amount_days, sums.previous_amount)
    return Behaviour(
        sums=sums,
        average_days_to_pay=rounded(_ratio(sums.days_to_pay, sums.paid_count)),
        average_days_late=rounded(weighted_days_late(sums.late_amount_days, sums.paid_amount)),
        on_time_share=rounded(_ratio(sums.on_time_amount, sums.paid_amount, HUNDRED)),
        recent_days_late=rounded(recent),
        previous_days_late=rounded(previous),
        trend=None if recent is None or previous is None else rounded(recent - previous),
        promises_kept_rate=rounded(_ratio(sums.promises_kept, sums.promises, HUNDRED)),
        dispute_rate=rounded(_ratio(sums.disputed, sums.issued, HUNDRED)),
        average_days_to_resolve=rounded(_ratio(sums.days_to_resolve, sums.disputes_resolved)),
    )


@dataclass(frozen=True)
class DisputeMark:
    """A dispute opened (opens=True) or cleared on an invoice, from the timeline."""

    customer_id: int
    number: str
    day: date
    opens: bool


@dataclass(frozen=True)
class DisputeEpisode:
    customer_id: int
    number: str
    opened: date
    cleared: date | None  # None: still open


def dispute_episodes(marks: Iterable[DisputeMark]) -> list[DisputeEpisode]:
    """The disputes of each invoice from its marks in time order: a dispute runs from its
    first opening to the next clearing (openings in between are the same dispute); a clearing
    without an opening before it (a dispute imported from a file) starts nothing."""
    opened: dict[tuple[int, str], date] = {}
    episodes = []
    for mark in marks:
        key = (mark.customer_id, mark.number)
        if mark.opens:
            opened.setdefault(key, mark.day)
        elif key in opened:
            episodes.append(DisputeEpisode(*key, opened.pop(key), mark.day))
    episodes.extend(DisputeEpisode(*key, day, None) for key, day in opened.items())
    return episodes


# The selector part ---------------------------------------------------------------------------


def window(as_of: date) -> tuple[date, date, date]:
    """(first day of the window, first day of the recent trend period, first day of the
    previous one)."""
    return (
        as_of - timedelta(days=WINDOW_DAYS - 1),
        as_of - timedelta(days=TREND_DAYS - 1),
        as_of - timedelta(days=2 * TREND_DAYS - 1),
    )


def _money(value) -> Decimal:
    """A sum read by a raw query as Decimal (SQLite answers int or float)."""
    if value is None:
        return ZERO
    return Decimal(value) if isinstance(value, Decimal) else Decimal(str(value))


# What the sums are grouped by: the SQL of the key, and the join it needs.
GROUPS = {
    "customer": ("i.customer_id", ""),
    "collector": ("c.collector_id", " JOIN customers_customer c ON c.id = i.customer_id"),
    "entity": ("NULL", ""),
}


def _invoice_sums(entity, as_of: date, customers, by: str) -> dict:
    start, recent, previous = window(as_of)
    key, join = GROUPS[by]
    d = sql.date_param
    late = sql.days_late()
    paid = (
        "i.settled_on >= b.start_day AND i.settled_on <= b.as_of AND i.settled_on >= i.issue_date"
    )
    promised = (
        "i.promise_date IS NOT NULL AND i.promise_date >= b.start_day AND (i.promise_date < b.as_of"
        " OR (i.settled_on IS NOT NULL AND i.settled_on <= i.promise_date"
        " AND i.settled_on <= b.as_of))"
    )
    issued = "i.issue_date >= b.start_day AND i.issue_date <= b.as_of"
    recent_paid = f"{paid} AND i.settled_on >= b.recent_day"
    previous_paid = f"{paid} AND i.settled_on < b.recent_day AND i.settled_on >= b.previous_day"
    restriction, restriction_params = sql.customers_clause("i.customer_id", customers)
    query = f"""
        WITH b AS (SELECT {d()} AS start_day, {d()} AS recent_day, {d()} AS previous_day,
                          {d()} AS as_of)
        SELECT {key},
          SUM(CASE WHEN {paid} THEN 1 ELSE 0 END),
          SUM(CASE WHEN {paid} THEN {sql.days_between("i.settled_on", "i.issue_date")} ELSE 0 END),
          SUM(CASE WHEN {paid} THEN i.amount ELSE 0 END),
          SUM(CASE WHEN {paid} THEN i.amount * ({late}) ELSE 0 END),
          SUM(CASE WHEN {paid} AND i.settled_on <= i.due_date THEN i.amount ELSE 0 END),
          SUM(CASE WHEN {recent_paid} THEN i.amount ELSE 0 END),
          SUM(CASE WHEN {recent_paid} THEN i.amount * ({late}) ELSE 0 END),
          SUM(CASE WHEN {previous_paid} THEN i.amount ELSE 0 END),
          SUM(CASE WHEN {previous_paid} THEN i.amount * ({late}) ELSE 0 END),
          SUM(CASE WHEN {promised} THEN 1 ELSE 0 END),
          SUM(CASE WHEN {promised} AND i.settled_on IS NOT NULL AND i.settled_on <= i.promise_date
                   AND i.settled_on <= b.as_of THEN 1 ELSE 0 END),
          SUM(CASE WHEN {issued} THEN 1 ELSE 0 END),
          SUM(CASE WHEN {issued} AND i.disputed THEN 1 ELSE 0 END)
        FROM ledger_item i{join} CROSS JOIN b
        WHERE i.entity_id = %s AND i.kind = %s
          AND (({paid}) OR ({promised}) OR ({issued})){restriction}
        GROUP BY 1
    """
    params = [start, recent, previous, as_of, entity.pk, ItemKind.INVOICE, *restriction_params]
    names = [
        "paid_count",
        "days_to_pay",
        "paid_amount",
        "late_amount_days",
        "on_time_amount",
        "recent_amount",
        "recent_late_amount_days",
        "previous_amount",
        "previous_late_amount_days",
        "promises",
        "promises_kept",
        "issued",
        "disputed",
    ]
    counts = {"paid_count", "days_to_pay", "promises", "promises_kept", "issued", "disputed"}
    return {
        group: {
            name: int(value or 0) if name in counts else _money(value)
            for name, value in zip(names, values, strict=True)
        }
        for group, *values in sql.fetch(query, params)
    }


def _dispute_number(kind: str, data: dict) -> list[str] | None:
    """The invoices a timeline event opens or clears a dispute on, None for another event."""
    if kind in (EventKind.DISPUTE_OPENED, EventKind.DISPUTE_CLEARED):
        return list(data.get("items") or [])
    if kind == EventKind.CALL_OUTCOME and data.get("outcome") == "dispute":
        return [data["reference"]] if data.get("reference") else []
    if kind == EventKind.PORTAL_ANSWER and data.get("answer") == "dispute":
        return list(data.get("items") or [])
    if (
        kind == EventKind.ASSISTANT_DECIDED
        and data.get("intent") == "dispute"
        and data.get("status") != "dismissed"
    ):
        return list(data.get("items") or [])
    return None


def dispute_marks(entity, as_of: date, customers=None) -> list[DisputeMark]:
    """Every dispute opened or cleared on the entity's invoices up to `as_of`, in time
    order, from the customers' timelines (one query): disputes opened by hand, by a call's
    outcome, on the customer's page or with the assistant, and cleared by hand."""
    events = CustomerEvent.objects.filter(entity=entity, day__lte=as_of).filter(
        Q(kind__in=[EventKind.DISPUTE_OPENED, EventKind.DISPUTE_CLEARED])
        | Q(kind=EventKind.CALL_OUTCOME, data__outcome="dispute")
        | Q(kind=EventKind.PORTAL_ANSWER, data__answer="dispute")
        | Q(kind=EventKind.ASSISTANT_DECIDED, data__intent="dispute")
    )
    if customers is not None:
        events = events.filter(customer__in=customers)
    marks = []
    rows = events.order_by("at", "id").values_list("customer_id", "day", "kind", "data")
    for customer_id, day, kind, data in rows:
        numbers = _dispute_number(kind, data or {})
        opens = kind != EventKind.DISPUTE_CLEARED
        marks.extend(DisputeMark(customer_id, number, day, opens) for number in numbers or [])
    return marks


def _group_of(by: str, customer_ids: set[int]) -> dict:
    """{customer id: its group's key} for the customers of the dispute events."""
    if by == "customer":
        return {pk: pk for pk in customer_ids}
    if by == "entity":
        return dict.fromkeys(customer_ids)
    from relance.customers.models import Customer

    return dict(Customer.objects.filter(pk__in=customer_ids).values_list("pk", "collector_id"))


def _dispute_sums(entity, as_of: date, customers, by: str, sums: dict) -> None:
    """Add to `sums` the disputes of the timeline: the resolved ones (cleared in the window)
    and the invoices issued in the window that were disputed once but are no longer (those
    disputed now are counted by the invoice query)."""
    start, _recent, _previous = window(as_of)
    episodes = dispute_episodes(dispute_marks(entity, as_of, customers))
    if not episodes:
        return
    no_longer = list(
        Item.objects.filter(
            number_in(sorted({episode.number for episode in episodes})),
            entity=entity,
            kind=ItemKind.INVOICE,
            disputed=False,
            issue_date__range=(start, as_of),
        ).values_list("customer_id", flat=True)
    )
    group = _group_of(by, {episode.customer_id for episode in episodes})
    for episode in episodes:
        if episode.cleared is not None and start <= episode.cleared <= as_of:
            one = sums.setdefault(group[episode.customer_id], {})
            one["disputes_resolved"] = one.get("disputes_resolved", 0) + 1
            days = (episode.cleared - episode.opened).days
            one["days_to_resolve"] = one.get("days_to_resolve", 0) + days
    for customer_id in no_longer:
        one = sums.setdefault(group[customer_id], {})
        one["disputed"] = one.get("disputed", 0) + 1


def behaviour_sums(
    entity, *, as_of: date | None = None, customers=None, by: str = "customer"
) -> dict:
    """{customer id: BehaviourSums} of the customers of `entity` (or of those of `customers`,
    a queryset or a list) with an invoice to measure, at the entity's today or `as_of`;
    by="collector": {collector id or None: BehaviourSums}; by="entity": {None: the total}.
    Three queries at most (a fourth for the collectors of the customers with disputes),
    however many customers. Amounts are summed across currencies: days and shares are
    weighted by them as they are, without conversion."""
    as_of = as_of or entity.today()
    sums = _invoice_sums(entity, as_of, customers, by)
    _dispute_sums(entity, as_of, customers, by, sums)
    return {key: BehaviourSums(**values) for key, values in sums.items()}


def customer_behaviour(customer, *, as_of: date | None = None) -> Behaviour:
    """The payment behaviour of one customer (for its page)."""
    sums = behaviour_sums(customer.entity, as_of=as_of, customers=[customer.pk])
    return behaviour(sums.get(customer.pk, BehaviourSums()))


def behaviour_of(entity, *, as_of: date | None = None, customers=None) -> Behaviour:
    """The behaviour of a set of customers taken together (a segment's: `customers` is its
    queryset) or of the whole entity (None), summed by the database."""
    sums = behaviour_sums(entity, as_of=as_of, customers=customers, by="entity")
    return behaviour(sums.get(None, BehaviourSums()))


def behaviour_by_collector(entity, *, as_of: date | None = None) -> dict:
    """{collector id or None: Behaviour} of the entity's customers, by collector."""
    sums = behaviour_sums(entity, as_of=as_of, by="collector")
    return {collector: behaviour(one) for collector, one in sums.items()}
