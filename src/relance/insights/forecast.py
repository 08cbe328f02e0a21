"""The cash forecast for the next 13 weeks: each open invoice placed on the week its
customer's behaviour says it will be paid, summed per week and currency, beside what came in
over the 13 weeks before (docs/insights.md, "Cash forecast").

The estimator is `expected_payment_date` (pure); the selector runs the same rule in SQL over
every open invoice of the entity at once (one query), and a second query sums the payments
of the past weeks."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from relance.insights import sql
from relance.insights.behaviour import window
from relance.ledger.choices import ItemKind

WEEKS = 13
# A customer with fewer invoices paid over the last year takes its segment's days late (the
# first of its active segments by priority), else the entity's.
MIN_HISTORY = 3
LATER = WEEKS  # the week index of "after the 13 weeks"
DISPUTED = -1  # the week index of disputed invoices: no date is forecast for them
ZERO = Decimal("0.00")


# The pure part -------------------------------------------------------------------------------


def week_start(day: date) -> date:
    """The Monday of the week of `day`."""
    return day - timedelta(days=day.weekday())


def whole_days(days: Decimal | None) -> int:
    return int((days or Decimal(0)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def expected_payment_date(
    *,
    due_date: date,
    as_of: date,
    promise_date: date | None = None,
    disputed: bool = False,
    days_late: Decimal | None = None,
) -> date | None:
    """When an open invoice is expected to be paid: None if disputed (its payment waits
    for the dispute); the promised date if a promise is pending (today or later); else its
    due date plus `days_late` (its customer's days late weighted by amount, or its
    segment's, else the entity's, for a customer with too little history) rounded half up
    to whole days, but never before `as_of` (an invoice later than its customer's habit is
    expected now)."""
    if disputed:
        return None
    if promise_date is not None and promise_date >= as_of:
        return promise_date
    return max(due_date + timedelta(days=whole_days(days_late)), as_of)


def week_index(day: date | None, as_of: date) -> int:
    """0 for the week of `as_of` (from its Monday), 1 for the next …, LATER from the 14th
    week on, DISPUTED for no date."""
    if day is None:
        return DISPUTED
    return min(max((day - week_start(as_of)).days // 7, 0), LATER)


@dataclass
class Week:
    index: int  # < 0: a past week, 0 this week, 1–12 the weeks after
    start: date
    expected: Decimal = ZERO
    received: Decimal = ZERO  # payments that came in (past weeks and this one so far)


@dataclass
class CurrencyForecast:
    currency: str
    weeks: list[Week]  # the 13 past weeks, this week and the 12 after
    later: Decimal = ZERO
    disputed: Decimal = ZERO
    open_total: Decimal = ZERO  # Σ expected + later + disputed: every open invoice


@dataclass
class Forecast:
    as_of: date
    entity_days_late: Decimal | None
    currencies: list[CurrencyForecast] = field(default_factory=list)


def assemble(as_of: date, expected_rows, received_rows, entity_days_late=None) -> Forecast:
    """The forecast from the selector's rows: (currency, week index, amount) of the open
    invoices, and (currency, week index ≤ 0, amount) of the payments."""
    monday = week_start(as_of)
    currencies: dict[str, CurrencyForecast] = {}

    def of(currency: str) -> CurrencyForecast:
        if currency not in currencies:
            weeks = [Week(index, monday + timedelta(weeks=index)) for index in range(-WEEKS, WEEKS)]
            currencies[currency] = CurrencyForecast(currency, weeks)
        return currencies[currency]

    for currency, index, amount in expected_rows:
        one, amount = of(currency), sql.money(amount)
        one.open_total += amount
        if index == DISPUTED:
            one.disputed += amount
        elif index >= LATER:
            one.later += amount
        else:
            one.weeks[WEEKS + index].expected += amount
    for currency, index, amount in received_rows:
        if -WEEKS <= index <= 0:
            of(currency).weeks[WEEKS + index].received += sql.money(amount)
    return Forecast(as_of, entity_days_late, [currencies[c] for c in sorted(currencies)])


# The selector part ---------------------------------------------------------------------------


def _behaviour_cte() -> str:
    late = sql.days_late()
    return f"""
        h AS (
          SELECT i.customer_id, COUNT(*) AS paid, SUM(i.amount * ({late})) AS late_amount_days,
                 SUM(i.amount) AS amount
          FROM ledger_item i CROSS JOIN b
          WHERE i.entity_id = %s AND i.kind = %s AND i.settled_on >= b.start_day
            AND i.settled_on <= b.as_of AND i.settled_on >= i.issue_date
          GROUP BY i.customer_id
        ),
        e AS (
          SELECT CASE WHEN SUM(amount) > 0
                 THEN {sql.divided("SUM(late_amount_days)", "SUM(amount)")} END AS late
          FROM h
        )"""


def entity_days_late(entity, as_of: date) -> Decimal | None:
    """The entity's days late weighted by amount over the last year (the fallback)."""
    d = sql.date_param
    query = f"""
        WITH b AS (SELECT {d()} AS start_day, {d()} AS as_of), {_behaviour_cte()}
        SELECT e.late FROM e
    """
    start = window(as_of)[0]
    (late,) = sql.fetch(query, [start, as_of, entity.pk, ItemKind.INVOICE])[0]
    return None if late is None else Decimal(str(late))


def _segment_cte() -> str:
    """m: each customer's segment (its first active one by priority, as the planner picks
    its scenario); sg: each segment's days late, weighted by amount over its members'
    invoices paid in the window (the h of _behaviour_cte)."""
    return f"""
        m AS (
          SELECT sm.customer_id, sm.segment_id, ROW_NUMBER() OVER (
                   PARTITION BY sm.customer_id ORDER BY s.priority, s.name, s.id) AS position
          FROM segments_segmentmembership sm JOIN segments_segment s ON s.id = sm.segment_id
          WHERE s.is_active AND (s.entity_id = %s OR s.entity_id IS NULL)
        ),
        sg AS (
          SELECT m.segment_id, CASE WHEN SUM(h.amount) > 0
                 THEN {sql.divided("SUM(h.late_amount_days)", "SUM(h.amount)")} END AS late
          FROM m JOIN h ON h.customer_id = m.customer_id
          GROUP BY m.segment_id
        )"""


def _placed(entity, as_of: date, customers) -> tuple[str, list]:
    """The SQL (and its parameters) of each open invoice of the entity (of `customers`
    only, if given) with its currency, amount and week: expected_payment_date and
    week_index, each customer with too little history taking its segment's days late, else
    the entity's (their behaviour read over all the entity's customers)."""
    d = sql.date_param
    days_late = (
        f"COALESCE(CASE WHEN h.paid >= %s AND h.amount > 0"
        f" THEN {sql.divided('h.late_amount_days', 'h.amount')} END, sg.late, e.late, 0)"
    )
    # Half up to whole days: days late are never negative, and ROUND rounds halves away
    # from 0 on both databases.
    estimated = (
        f"{sql.days_between('i.due_date', 'b.monday')} + CAST(ROUND({days_late}) AS INTEGER)"
    )
    offset = (
        f"CASE WHEN i.promise_date IS NOT NULL AND i.promise_date >= b.as_of"
        f" THEN {sql.days_between('i.promise_date', 'b.monday')} ELSE {estimated} END"
    )
    today = sql.days_between("b.as_of", "b.monday")
    restriction, restriction_params = sql.customers_clause("i.customer_id", customers)
    query = f"""
        WITH b AS (SELECT {d()} AS start_day, {d()} AS as_of, {d()} AS monday),
        {_behaviour_cte()},
        {_segment_cte()},
        x AS (
          SELECT i.id, i.currency, i.open_amount, i.disputed, {offset} AS offset_days,
                 {today} AS today
          FROM ledger_item i CROSS JOIN b CROSS JOIN e
          LEFT JOIN h ON h.customer_id = i.customer_id
          LEFT JOIN m ON m.customer_id = i.customer_id AND m.position = 1
          LEFT JOIN sg ON sg.segment_id = m.segment_id
          WHERE i.entity_id = %s AND i.kind = %s AND i.open_amount > 0{restriction}
        ),
        placed AS (
          SELECT id, currency, open_amount,
                 CASE WHEN disputed THEN {DISPUTED}
                      WHEN offset_days < today THEN today / 7
                      WHEN offset_days / 7 > {LATER} THEN {LATER}
                      ELSE offset_days / 7 END AS week
          FROM x
        )"""
    start = window(as_of)[0]
    params = [start, as_of, week_start(as_of), entity.pk, ItemKind.INVOICE, entity.pk]
    return query, [*params, MIN_HISTORY, entity.pk, ItemKind.INVOICE, *restriction_params]


def expected_by_week(entity, as_of: date, customers=None) -> list[tuple]:
    """(currency, week index, open amount) of the entity's open invoices (one query)."""
    query, params = _placed(entity, as_of, customers)
    return sql.fetch(
        f"{query} SELECT currency, week, SUM(open_amount) FROM placed GROUP BY 1, 2", params
    )


def expected_item_ids(entity, as_of: date, *, currency: str, week: int, customers=None):
    """The ids of the open invoices placed in `week` (LATER, DISPUTED) in `currency`: the
    drill-down from a week's expected amount to its invoices (one query)."""
    query, params = _placed(entity, as_of, customers)
    rows = sql.fetch(
        f"{query} SELECT id FROM placed WHERE currency = %s AND week = %s",
        [*params, currency, week],
    )
    return [row[0] for row in rows]


def received_by_week(entity, as_of: date, customers=None) -> list[tuple]:
    """(currency, week index ≤ 0, amount) of the decreases of the open amounts of the
    entity's invoices (payments, from the item history) over the 13 weeks before the week
    of `as_of` and that week up to `as_of` (one query)."""
    d = sql.date_param
    first = week_start(as_of) - timedelta(weeks=WEEKS)
    restriction, restriction_params = sql.customers_clause("i.customer_id", customers)
    query = f"""
        WITH b AS (SELECT {d()} AS first_day, {d()} AS as_of, {d()} AS monday)
        SELECT i.currency, {sql.days_between("c.day", "b.first_day")} / 7 - {WEEKS} AS week,
               SUM(-c.delta)
        FROM ledger_itemamountchange c JOIN ledger_item i ON i.id = c.item_id CROSS JOIN b
        WHERE c.entity_id = %s AND c.delta < 0 AND i.kind = %s
          AND c.day >= b.first_day AND c.day <= b.as_of{restriction}
        GROUP BY i.currency, week
    """
    params = [first, as_of, week_start(as_of), entity.pk, ItemKind.INVOICE, *restriction_params]
    return sql.fetch(query, params)


def cash_forecast(entity, *, as_of: date | None = None, customers=None) -> Forecast:
    """The 13-week forecast of `entity` per currency (of `customers` only, a queryset or a
    list, if given), with the 13 past weeks' payments; three queries."""
    as_of = as_of or entity.today()
    return assemble(
        as_of,
        expected_by_week(entity, as_of, customers),
        received_by_week(entity, as_of, customers),
        entity_days_late(entity, as_of),
    )
