"""What the Insights dashboard reads, for a *scope*: one or several entities (a group), one
currency, optionally one collector, optionally a set of customers (a segment's, a
scenario's).

Without a set of customers the dashboard reads the daily totals and monthly sales written
with the snapshots (models.DailyTotal, MonthlySales: a few hundred rows a year, whatever the
number of customers); with one it sums the customers' snapshots (selectors.py), as the
export does. Both answer the same Balance and MonthFigures as selectors.py, so the figures
are computed by the same functions (figures.py).

Amounts are summed across entities within one currency (`Scope.currency`), or, for a
scope `converted` into a reporting currency, every currency's balance is converted at the
rate of its day (insights/fx.py: each bucket to the cent, the open amount their sum) before
`_summed` adds them up; the balance keeps the day of the oldest rate used (`rate_day`), to
be shown beside the figure. Sales are converted at the rate of their month's last day.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    Count,
    DateField,
    DecimalField,
    F,
    Max,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncMonth

from relance.insights import figures, selectors
from relance.insights.fx import SAME, RateBook
from relance.insights.models import (
    BUCKETS,
    OPEN_END,
    CustomerSnapshot,
    DailyTotal,
    MonthlySales,
    SnapshotDay,
)
from relance.insights.selectors import AMOUNTS, CENT, Balance, MonthFigures, cents
from relance.ledger.choices import ItemKind
from relance.ledger.models import Item

ZERO = figures.ZERO
TOP_CUSTOMERS = 10


@dataclass(frozen=True)
class Scope:
    entities: tuple  # the entities (visible to the user) whose figures are summed
    currency: str
    collector: object | None = None  # a User: the customers they collect
    no_collector: bool = False  # only the customers without a collector
    # A segment's or a scenario's customers (a queryset of Customer ids), else None.
    customers: QuerySet | None = field(default=None, compare=False)
    # Every currency converted into `currency` (a reporting currency), else `currency` only.
    converted: bool = False

    @property
    def entity_ids(self) -> list[int]:
        return [entity.pk for entity in self.entities]

    @property
    def from_totals(self) -> bool:
        return self.customers is None


def _summed(balances: Iterable[Balance]) -> Balance:
    """The balance of several entities (or currencies converted): their amounts added, the
    latest day read, the oldest rate used."""
    balances = list(balances)
    days = [balance.day for balance in balances if balance.day is not None]
    if not days:
        return Balance(day=None)
    amounts = {a: sum((getattr(b, a) for b in balances), ZERO) for a in AMOUNTS}
    rate_days = [balance.rate_day for balance in balances if balance.rate_day is not None]
    return Balance(day=max(days), rate_day=min(rate_days, default=None), **amounts)


def _currency_filter(scope: Scope, path: str = "currency") -> Q:
    return Q() if scope.converted else Q(**{path: scope.currency})


def _currencies(scope: Scope) -> list[str]:
    """The currencies read: the scope's, or all those of its entities when converted."""
    return scope_currencies(scope.entity_ids) if scope.converted else [scope.currency]


def rate_book(scope: Scope, day: date) -> RateBook | None:
    """The rates into the reporting currency up to `day` (one query), None unconverted."""
    return RateBook(to=scope.currency, day=day) if scope.converted else None


def in_reporting(book: RateBook | None, currency: str, balance: Balance) -> Balance:
    """`balance` (in `currency`) at the rate of its day: each bucket and the credits
    converted and rounded to the cent, the open amount and the overdue their sums, so the
    buckets still add up to the open amount. Nothing to convert: no rate, none shown."""
    if book is None or not any(getattr(balance, a) for a in AMOUNTS):
        return balance
    rate = book.rate(currency, balance.day)
    if rate.source == SAME:
        return balance

    def converted(amount: Decimal) -> Decimal:
        return (amount * rate.rate).quantize(CENT, rounding=ROUND_HALF_UP)

    buckets = {key: converted(getattr(balance, key)) for key, _low, _high in BUCKETS}
    return Balance(
        day=balance.day,
        open_amount=sum(buckets.values(), ZERO),
        overdue=sum((v for key, v in buckets.items() if key != "not_due"), ZERO),
        credits=converted(balance.credits),
        rate_day=rate.day,
        **buckets,
    )


def _sales_in(book: RateBook | None, currency: str, month: date, amount, end: date) -> Decimal:
    """A month's sales at the rate of the month's last day (or of `end` in a month not over)."""
    if book is None:
        return cents(amount)
    return book.convert(cents(amount), currency, min(selectors.month_end(month), end)).amount


def _written_days(scope: Scope, days: list[date]) -> dict[int, dict[date, date | None]]:
    """{entity id: {day asked: the latest day written on or before it}}; one query."""
    rows = (
        SnapshotDay.objects.filter(entity__in=scope.entity_ids, day__lte=max(days))
        .order_by("entity", "day")
        .values_list("entity", "day")
    )
    written = defaultdict(list)
    for entity_id, day in rows:
        written[entity_id].append(day)
    answer = {}
    for entity_id in scope.entity_ids:
        answer[entity_id] = {}
        entity_days, index, latest = written.get(entity_id, []), 0, None
        for day in sorted(set(days)):
            while index < len(entity_days) and entity_days[index] <= day:
                latest = entity_days[index]
                index += 1
            answer[entity_id][day] = latest
    return answer


def _collector_filter(scope: Scope, path: str) -> Q:
    if scope.no_collector:
        return Q(**{f"{path}__isnull": True})
    return Q() if scope.collector is None else Q(**{path: scope.collector})


def _customers_of(scope: Scope, entity) -> QuerySet | None:
    """The set of customers of an entity to read from the snapshots (None: all)."""
    if scope.customers is None:
        return None
    return scope.customers.filter(_collector_filter(scope, "collector"), entity=entity)


def scope_balances(scope: Scope, days: Iterable[date]) -> dict[date, Balance]:
    """{day: Balance} of the scope at the end of each day asked (each entity at its latest
    day written on or before it)."""
    days = sorted(set(days))
    if not days or not scope.entities:
        return {day: Balance(day=None) for day in days}
    book = rate_book(scope, days[-1])
    if not scope.from_totals:
        currencies = _currencies(scope)
        per_part = [
            {
                day: in_reporting(book, currency, balance)
                for day, balance in selectors.balances(
                    entity, days, currency=currency, customers=_customers_of(scope, entity)
                ).items()
            }
            for entity in scope.entities
            for currency in currencies
        ]
        return {day: _summed(read[day] for read in per_part) for day in days}
    read = _written_days(scope, days)
    wanted = {d for entity_days in read.values() for d in entity_days.values() if d}
    rows = (
        DailyTotal.objects.filter(
            _collector_filter(scope, "collector"),
            _currency_filter(scope),
            entity__in=scope.entity_ids,
            day__in=wanted,
        )
        .order_by()
        .values("entity", "day", "currency")
        .annotate(**{a: Sum(a) for a in AMOUNTS})
    )
    sums = defaultdict(list)
    for row in rows:
        sums[(row["entity"], row["day"])].append(row)
    answer = {}
    for day in days:
        parts = []
        for entity_id, entity_days in read.items():
            written = entity_days[day]
            if written is None:
                continue
            parts.append(Balance(day=written))  # the day read, even with nothing open
            for row in sums.get((entity_id, written), []):
                balance = Balance(day=written, **{a: cents(row[a]) for a in AMOUNTS})
                parts.append(in_reporting(book, row["currency"], balance))
        answer[day] = _summed(parts)
    return answer


def scope_sales(scope: Scope, start: date, end: date) -> dict[date, Decimal]:
    """{first day of the month: invoiced amount} from `start` to `end`."""
    book = rate_book(scope, end)
    sales = defaultdict(lambda: ZERO)
    if not scope.from_totals:
        currencies = _currencies(scope)
        for entity in scope.entities:
            for currency in currencies:
                monthly = selectors.monthly_sales(
                    entity, start, end, currency=currency, customers=_customers_of(scope, entity)
                )
                for month, amount in monthly.items():
                    sales[month] += _sales_in(book, currency, month, amount, end)
        return dict(sales)
    rows = (
        MonthlySales.objects.filter(
            _collector_filter(scope, "collector"),
            _currency_filter(scope),
            entity__in=scope.entity_ids,
            month__range=(selectors.month_start(start), end),
        )
        .order_by()
        .values("month", "currency")
        .annotate(sales=Sum("sales"))
    )
    for row in rows:
        sales[row["month"]] += _sales_in(book, row["currency"], row["month"], row["sales"], end)
    return dict(sales)


def scope_months(scope: Scope, start: date, end: date) -> list[MonthFigures]:
    """The figures of each month from the month of `start` to that of `end`, as
    selectors.monthly_figures computes them for one entity."""
    months = selectors.months_between(start, end)
    ends = {month: min(selectors.month_end(month), end) for month in months}
    openings = {month: month - timedelta(days=1) for month in months}
    read = scope_balances(scope, [*ends.values(), *openings.values()])
    first = selectors.add_months(months[0], -figures.COUNTBACK_MONTHS)
    sales = scope_sales(scope, first, end)
    return [
        selectors._month(month, ends[month], read[openings[month]], read[ends[month]], sales)
        for month in months
    ]


def scope_aging(scope: Scope, start: date, end: date) -> list[Balance]:
    """The balance and its buckets on every day written from `start` to `end` (the days any
    of the entities wrote)."""
    days = list(
        SnapshotDay.objects.filter(entity__in=scope.entity_ids, day__range=(start, end))
        .order_by("day")
        .values_list("day", flat=True)
        .distinct()
    )
    book = rate_book(scope, end)
    sums = defaultdict(list)
    if scope.from_totals:
        rows = (
            DailyTotal.objects.filter(_collector_filter(scope, "collector"))
            .filter(_currency_filter(scope), entity__in=scope.entity_ids, day__range=(start, end))
            .order_by()
            .values("day", "currency")
            .annotate(**{a: Sum(a) for a in AMOUNTS})
        )
        for row in rows:
            balance = Balance(day=row["day"], **{a: cents(row[a]) for a in AMOUNTS})
            sums[row["day"]].append(in_reporting(book, row["currency"], balance))
    else:
        for entity in scope.entities:
            customers = _customers_of(scope, entity)
            for currency in _currencies(scope):
                for balance in selectors.aging_over_time(
                    entity, start, end, currency=currency, customers=customers
                ):
                    if any(getattr(balance, a) for a in AMOUNTS):  # no rate needed for nothing
                        sums[balance.day].append(in_reporting(book, currency, balance))
    return [_summed([Balance(day=day), *sums.get(day, [])]) for day in days]


def _latest_days(scope: Scope) -> dict[int, date]:
    rows = SnapshotDay.objects.filter(entity__in=scope.entity_ids).order_by()
    return dict(rows.values("entity").annotate(latest=Max("day")).values_list("entity", "latest"))


def snapshots_on(scope: Scope, day: date) -> QuerySet:
    """The customers' snapshots behind the scope's balance of `day` (each entity's latest
    day written on or before it, as `day` on each row): the drill-down from a figure to its
    customers."""
    read = _written_days(scope, [day])
    latest = _latest_days(scope)
    on_day, read_day = Q(pk__in=[]), []
    for entity_id, entity_days in read.items():
        if entity_days[day] is not None:
            written = entity_days[day]
            if written == latest[entity_id]:  # the open runs, by the index on until
                on_day |= Q(entity_id=entity_id, until=OPEN_END)
            else:
                on_day |= Q(entity_id=entity_id, since__lte=written, until__gt=written)
            read_day.append(When(entity_id=entity_id, then=Value(written)))
    rows = CustomerSnapshot.objects.filter(
        on_day, _collector_filter(scope, "customer__collector"), _currency_filter(scope)
    ).annotate(day=Case(*read_day, default=None, output_field=DateField()))
    if scope.customers is not None:
        rows = rows.filter(customer__in=scope.customers)
    return rows


def top_overdue(scope: Scope, day: date, limit: int = TOP_CUSTOMERS) -> list[CustomerSnapshot]:
    """The customers who owed the most overdue at the end of `day` (converted: ranked by
    their overdue at the rates of `day`, shown in their own currency)."""
    rows = snapshots_on(scope, day).filter(overdue__gt=0)
    book = rate_book(scope, day)
    if book is not None:
        money = DecimalField(max_digits=24, decimal_places=10)
        rates = [
            When(currency=currency, then=F("overdue") * Value(book.rate(currency).rate, money))
            for currency in _currencies(scope)
        ]
        rows = rows.annotate(ranked=Case(*rates, default=F("overdue"), output_field=money))
    order = "-ranked" if book is not None else "-overdue"
    return list(rows.select_related("customer", "entity").order_by(order, "customer_id")[:limit])


@dataclass(frozen=True)
class Portfolio:
    collector_id: int | None
    customers: int
    balance: Balance
    sales: Decimal  # of the month of the day read, to that day
    dso_simple: Decimal | None
    dso_countback: Decimal | None


def collector_portfolios(scope: Scope, day: date) -> list[Portfolio]:
    """Each collector's customers at the end of `day`: open, overdue and their DSO (simple
    over the month of `day`, and by the countback); the largest open first."""
    if scope.from_totals:
        read = _written_days(scope, [day])
        on_day = Q(pk__in=[])
        for entity_id, entity_days in read.items():
            if entity_days[day] is not None:
                on_day |= Q(entity_id=entity_id, day=entity_days[day])
        rows = DailyTotal.objects.filter(
            on_day, _collector_filter(scope, "collector"), _currency_filter(scope)
        )
        rows = rows.order_by().values("collector", "currency").annotate(count=Sum("customers"))
        sales_rows = MonthlySales.objects.filter(_collector_filter(scope, "collector"))
        sales_rows = sales_rows.values("collector", "month", "currency")
        sales_rows = sales_rows.annotate(amount=Sum("sales"))
    else:
        rows = (
            snapshots_on(scope, day)
            .order_by()
            .values("currency", collector=F("customer__collector"))
        )
        rows = rows.annotate(count=Count("id"))
        sales_rows = _item_sales(scope)
    first = selectors.add_months(day, -figures.COUNTBACK_MONTHS)
    sales_rows = sales_rows.filter(
        _currency_filter(scope), entity__in=scope.entity_ids, month__range=(first, day)
    ).order_by()
    book = rate_book(scope, day)
    sales = defaultdict(lambda: ZERO)
    for row in sales_rows:
        sales[(row["collector"], row["month"])] += _sales_in(
            book, row["currency"], row["month"], row["amount"], day
        )
    balances, counts = defaultdict(list), defaultdict(int)
    for row in rows.annotate(**{a: Sum(a) for a in AMOUNTS}):
        balance = Balance(day=day, **{a: cents(row[a]) for a in AMOUNTS})
        balances[row["collector"]].append(in_reporting(book, row["currency"], balance))
        counts[row["collector"]] += row["count"]
    month = selectors.month_start(day)
    days = (day - month).days + 1
    portfolios = []
    for collector, parts in balances.items():
        balance = _summed(parts)
        back = [(days, sales[(collector, month)])] + [
            (selectors.month_end(m).day, sales[(collector, m)])
            for m in (selectors.add_months(month, -n) for n in range(1, figures.COUNTBACK_MONTHS))
        ]
        portfolios.append(
            Portfolio(
                collector_id=collector,
                customers=counts[collector],
                balance=balance,
                sales=sales[(collector, month)],
                dso_simple=figures.dso_simple(balance.open_amount, back[0][1], days),
                dso_countback=figures.dso_countback(balance.open_amount, back),
            )
        )
    return sorted(portfolios, key=lambda p: (-p.balance.open_amount, p.collector_id or 0))


def _item_sales(scope: Scope) -> QuerySet:
    """Invoiced amounts per collector and month, from the items of the scope's customers."""
    items = Item.objects.filter(
        _collector_filter(scope, "customer__collector"),
        kind=ItemKind.INVOICE,
        customer__in=scope.customers,
    ).annotate(month=TruncMonth("issue_date"))
    rows = items.values("month", "currency", collector=F("customer__collector"))
    return rows.annotate(amount=Sum("amount"))


def latest_day(entity_ids: Iterable[int]) -> date | None:
    """The latest day written by any of the entities."""
    return SnapshotDay.objects.filter(entity__in=list(entity_ids)).aggregate(day=Max("day"))["day"]


def scope_currencies(entity_ids: Iterable[int]) -> list[str]:
    """The currencies the entities' snapshots hold (for the currency filter)."""
    rows = MonthlySales.objects.filter(entity__in=list(entity_ids)).order_by()
    totals = DailyTotal.objects.filter(entity__in=list(entity_ids)).order_by()
    currencies = set(rows.values_list("currency", flat=True).distinct())
    currencies |= set(totals.values_list("currency", flat=True).distinct())
    return sorted(currencies)
