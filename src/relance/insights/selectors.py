"""What the figures read: receivables per day from the snapshots, sales per month from the
items, for one entity and one currency (amounts are never converted here), optionally for
a set of customers (a segment's, a collector's, a scenario's, one customer)."""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection, models
from django.db.models import Max, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth

from relance.insights import figures
from relance.insights.models import BUCKETS, CustomerSnapshot, DailyTotal, SnapshotDay
from relance.insights.sql import customers_clause, fetch, money
from relance.ledger.choices import ItemKind
from relance.ledger.models import Item, ItemAmountChange

ZERO = figures.ZERO
CENT = Decimal("0.01")
AMOUNTS = ["open_amount", "overdue", *(key for key, _low, _high in BUCKETS), "credits"]


@dataclass(frozen=True)
class Balance:
    """The receivables of a set of customers at the end of a day (a sum of snapshots)."""

    day: date | None  # the snapshot day read (the latest written on or before the day asked)
    open_amount: Decimal = ZERO
    overdue: Decimal = ZERO
    not_due: Decimal = ZERO
    d1_30: Decimal = ZERO
    d31_60: Decimal = ZERO
    d61_90: Decimal = ZERO
    d90_plus: Decimal = ZERO
    credits: Decimal = ZERO
    # Converted into a reporting currency (insights/fx.py): the day of the oldest rate used.
    rate_day: date | None = None

    @property
    def buckets(self) -> list[tuple[str, Decimal]]:
        return [(key, getattr(self, key)) for key, _low, _high in BUCKETS]


@dataclass(frozen=True)
class MonthFigures:
    month: date  # its first day
    end: date  # its last day, or the last day asked for in a month not over
    days: int
    sales: Decimal
    opening: Balance
    closing: Balance
    dso_countback: Decimal | None
    dso_simple: Decimal | None
    best_possible_dso: Decimal | None
    add: Decimal | None
    cei: Decimal | None
    overdue_ratio: Decimal | None


def cents(value: Decimal | None) -> Decimal:
    """A sum as money: SQLite answers 4700 where PostgreSQL answers 4700.00."""
    return (value or ZERO).quantize(CENT)


def _restricted(queryset: QuerySet, customers) -> QuerySet:
    return queryset if customers is None else queryset.filter(customer__in=customers)


def snapshot_days(entity, days: Iterable[date]) -> dict[date, date | None]:
    """For each day asked, the latest day written on or before it (None: none was)."""
    asked = sorted(set(days))
    if not asked:
        return {}
    written = list(
        SnapshotDay.objects.filter(entity=entity, day__lte=asked[-1])
        .order_by("day")
        .values_list("day", flat=True)
    )
    answer, index, latest = {}, 0, None
    for day in asked:
        while index < len(written) and written[index] <= day:
            latest = written[index]
            index += 1
        answer[day] = latest
    return answer


def _sums_on(entity, days: set[date], *, currency: str, customers) -> dict[date, dict]:
    """{day: {amount: sum}} of the snapshots of the days asked (days written), for the
    customers (None: all of them, from the daily totals); one query."""
    if not days:
        return {}
    if customers is None:
        rows = DailyTotal.objects.filter(entity=entity, currency=currency, day__in=days)
        rows = rows.order_by().values("day").annotate(**{a: Sum(a) for a in AMOUNTS})
        return {row["day"]: row for row in rows}
    return _sums_from_runs(entity, days, currency, customers)


# The runs of some customers across a range of days as steps: a run adds its figures on its
# first day in the range and takes them away on its `until`; the sum of a day is the sum of
# the steps up to it (summed here, in Python: a few hundred steps a year).
STEPS_SQL = """
SELECT day, {sums} FROM (
    SELECT {greatest}(since, %s) AS day, {added} FROM {table}
    WHERE entity_id = %s AND currency = %s AND since <= %s AND until > %s{customers}
    UNION ALL
    SELECT until, {removed} FROM {table}
    WHERE entity_id = %s AND currency = %s AND until > %s AND until <= %s{customers}
) steps GROUP BY day
"""


def _sums_from_runs(entity, days: set[date], currency: str, customers) -> dict[date, dict]:
    first, last = min(days), max(days)
    restricted, restricted_params = customers_clause("customer_id", customers)
    sql = STEPS_SQL.format(
        table=connection.ops.quote_name(CustomerSnapshot._meta.db_table),
        greatest="GREATEST" if connection.vendor == "postgresql" else "MAX",
        sums=", ".join(f"SUM({a})" for a in AMOUNTS),
        added=", ".join(f"{a} AS {a}" for a in AMOUNTS),
        removed=", ".join(f"-{a}" for a in AMOUNTS),
        customers=restricted,
    )
    adapt = connection.ops.adapt_datefield_value
    params = [adapt(first), entity.pk, currency, adapt(last), adapt(first), *restricted_params]
    params += [entity.pk, currency, adapt(first), adapt(last), *restricted_params]
    steps = sorted(
        (_as_date(day), [money(v) for v in values]) for day, *values in fetch(sql, params)
    )
    answer, running, index = {}, [ZERO] * len(AMOUNTS), 0
    for day in sorted(days):
        while index < len(steps) and steps[index][0] <= day:
            running = [total + step for total, step in zip(running, steps[index][1], strict=True)]
            index += 1
        answer[day] = dict(zip(AMOUNTS, running, strict=True))
    return answer


def _as_date(value) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def balances(entity, days: Iterable[date], *, currency: str, customers=None) -> dict:
    """{day: Balance} for each day asked, from the snapshots of the latest day written on or
    before it; two queries."""
    read = snapshot_days(entity, days)
    sums = _sums_on(entity, {d for d in read.values() if d}, currency=currency, customers=customers)
    answer = {}
    for day, snapshot_day in read.items():
        row = sums.get(snapshot_day, {})
        amounts = {a: cents(row.get(a)) for a in AMOUNTS}
        answer[day] = Balance(day=snapshot_day, **amounts)
    return answer


def monthly_sales(entity, start: date, end: date, *, currency: str, customers=None) -> dict:
    """{first day of the month: invoiced amount} of the invoices issued from `start` to
    `end`; one query."""
    rows = _restricted(
        Item.objects.filter(
            entity=entity,
            kind=ItemKind.INVOICE,
            currency=currency,
            issue_date__range=(start, end),
        ),
        customers,
    )
    monthly = rows.order_by().annotate(month=TruncMonth("issue_date")).values("month")
    return {row["month"]: cents(row["sales"]) for row in monthly.annotate(sales=Sum("amount"))}


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def months_between(start: date, end: date) -> list[date]:
    months, month = [], month_start(start)
    while month <= end:
        months.append(month)
        month = add_months(month, 1)
    return months


def monthly_figures(
    entity, start: date, end: date, *, currency: str | None = None, customers=None
) -> list[MonthFigures]:
    """The figures of each calendar month from the month of `start` to that of `end` (a
    month not over is measured to `end`), in `currency` (default: the entity's); three
    queries, however many months and customers."""
    currency = currency or entity.currency
    months = months_between(start, end)
    ends = {month: min(month_end(month), end) for month in months}
    openings = {month: month - timedelta(days=1) for month in months}
    read = balances(
        entity, [*ends.values(), *openings.values()], currency=currency, customers=customers
    )
    first = add_months(months[0], -figures.COUNTBACK_MONTHS)
    sales = monthly_sales(entity, first, end, currency=currency, customers=customers)
    return [
        _month(month, ends[month], read[openings[month]], read[ends[month]], sales)
        for month in months
    ]


def _month(month: date, end: date, opening: Balance, closing: Balance, sales: dict):
    days = (end - month).days + 1
    sold = sales.get(month, ZERO)
    back = [(days, sold)] + [
        (calendar.monthrange(m.year, m.month)[1], sales.get(m, ZERO))
        for m in (add_months(month, -n) for n in range(1, figures.COUNTBACK_MONTHS))
    ]
    known = closing.day is not None
    receivables, current = closing.open_amount, closing.not_due
    return MonthFigures(
        month=month,
        end=end,
        days=days,
        sales=sold,
        opening=opening,
        closing=closing,
        dso_countback=figures.dso_countback(receivables, back) if known else None,
        dso_simple=figures.dso_simple(receivables, sold, days) if known else None,
        best_possible_dso=figures.best_possible_dso(current, sold, days) if known else None,
        add=figures.average_days_delinquent(receivables, current, sold, days) if known else None,
        cei=(
            figures.cei(opening.open_amount, sold, receivables, current)
            if known and opening.day is not None
            else None
        ),
        overdue_ratio=figures.overdue_ratio(closing.overdue, receivables) if known else None,
    )


def aging_over_time(
    entity, start: date, end: date, *, currency: str | None = None, customers=None
) -> list[Balance]:
    """The balance and its aging buckets on every day written from `start` to `end`; two
    queries."""
    days = list(
        SnapshotDay.objects.filter(entity=entity, day__range=(start, end))
        .order_by("day")
        .values_list("day", flat=True)
    )
    sums = _sums_on(entity, set(days), currency=currency or entity.currency, customers=customers)
    return [
        Balance(day=day, **{a: cents((sums.get(day) or {}).get(a)) for a in AMOUNTS})
        for day in days
    ]


def latest_snapshot_day(entity) -> date | None:
    return SnapshotDay.objects.filter(entity=entity).aggregate(day=Max("day"))["day"]


def items_open_on(customer, day: date, *, currency: str) -> QuerySet:
    """The customer's invoices in `currency` open at the end of `day`, each annotated with
    `open_on` (its open amount that day), by the rules of docs/insights.md ("History"): 0
    before its issue date and from its `settled_on` on; else the open amount after its last
    change on or before the day; else (before its first import) what that import saw if not
    0, its full amount if imported settled with a date, 0 without one; an item without any
    change counts its open amount as it is. One query: the drill-down from a past day's
    snapshot to the items behind it."""
    changes = ItemAmountChange.objects.filter(item=models.OuterRef("pk")).order_by()
    last = changes.filter(day__lte=day).order_by("-day", "-id").values("open_amount_after")[:1]
    first = changes.order_by("day", "id").values("open_amount_after")[:1]
    money = models.DecimalField(max_digits=14, decimal_places=2)
    open_on = models.Case(
        models.When(settled_on__lte=day, then=models.Value(ZERO)),
        models.When(last_seen__isnull=False, then=models.F("last_seen")),
        models.When(first_seen__gt=0, then=models.F("first_seen")),
        models.When(settled_on__isnull=False, then=models.F("amount")),
        default=models.Value(ZERO),
        output_field=money,
    )
    return (
        Item.objects.filter(
            customer=customer, kind=ItemKind.INVOICE, currency=currency, issue_date__lte=day
        )
        .annotate(last_seen=models.Subquery(last, output_field=money))
        # Without any change: first seen with its open amount as it is.
        .annotate(
            first_seen=Coalesce(models.Subquery(first, output_field=money), models.F("open_amount"))
        )
        .annotate(open_on=open_on)
        .filter(open_on__gt=0)
        .order_by("due_date", "number")
    )
