"""Daily snapshots of what each customer owes (models.CustomerSnapshot), written set-based:
one DELETE and one INSERT … SELECT a day, whether the day is today (the daily run reads the
items' open amounts) or a past day rebuilt from the items' history (backfill).

The open amount of an item at the end of a past day D (docs/insights.md, "History"):
- 0 before its issue date (the item is not counted) and from its `settled_on` date on;
- else the open amount after its last change (ItemAmountChange) on or before D;
- else (D is before the first import that saw it, an item imported with its past) the
  open amount that first import saw, if not 0; the full amount if it was imported settled
  with a known `settled_on` (open in full until then: earlier partial payments are not
  known); 0 if it was imported settled without a date (when it was paid is not known).
An item with no change at all (imported before the history was kept) counts as first seen
with its current open amount.
"""

import time
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection, transaction

from relance.customers.models import Customer
from relance.insights.models import BUCKETS, CustomerSnapshot, DailyTotal, MonthlySales, SnapshotDay
from relance.insights.risk import risk_take
from relance.ledger.choices import ItemKind
from relance.ledger.models import Item, ItemAmountChange

CURRENT_OPEN = "i.open_amount"


def _bucket_sql(low: int | None, high: int | None) -> str:
    """The condition of an aging bucket on `due_date` (days past due at the end of the day)."""
    conditions = ["kind = %(invoice)s"]
    if high is not None:  # at most `high` days overdue: due on or after day - high
        conditions.append(f"due_date >= %(since_{high})s")
    if low is not None:
        conditions.append(f"due_date <= %(since_{low})s")
    return " AND ".join(conditions)


def _insert_sql(open_sql: str, where: str) -> str:
    changes = connection.ops.quote_name(ItemAmountChange._meta.db_table)
    sums = [
        "SUM(CASE WHEN kind = %(invoice)s THEN open_at ELSE 0 END)",
        "SUM(CASE WHEN kind = %(invoice)s AND due_date < %(day)s THEN open_at ELSE 0 END)",
        *(
            f"SUM(CASE WHEN {_bucket_sql(low, high)} THEN open_at ELSE 0 END)"
            for _k, low, high in BUCKETS
        ),
        "SUM(CASE WHEN kind <> %(invoice)s THEN open_at ELSE 0 END)",
    ]
    columns = ["open_amount", "overdue", *(key for key, _l, _h in BUCKETS), "credits"]
    return (
        f"INSERT INTO {_table(CustomerSnapshot)} "
        f"(entity_id, customer_id, day, currency, {', '.join(columns)}) "
        f"SELECT %(entity)s, customer_id, %(day)s, currency, {', '.join(sums)} FROM ("
        f"SELECT i.customer_id, i.currency, i.kind, i.due_date, "
        f"{open_sql.format(changes=changes)} AS open_at "
        f"FROM {_table(Item)} i WHERE i.entity_id = %(entity)s AND {where}{_fence()}"
        f") o WHERE open_at > 0 GROUP BY customer_id, currency"
    )


def _fence() -> str:
    """Keep the per-item query apart from the sums: flattened into them (both databases
    does), each item's history would be read once per sum, nine times instead of once
    (SQLite does not flatten it, and a LIMIT there makes it slower)."""
    return " OFFSET 0" if connection.vendor == "postgresql" else ""


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _params(entity, day: date) -> dict:
    adapt = connection.ops.adapt_datefield_value
    params = {"entity": entity.pk, "day": adapt(day), "invoice": ItemKind.INVOICE.value}
    for _key, low, high in BUCKETS:
        for limit in (low, high):
            if limit is not None:
                params[f"since_{limit}"] = adapt(day - timedelta(days=limit))
    return params


def _write_day(entity, day: date, sql: str) -> int:
    """Replace the snapshots of `entity` on `day` by what `sql` selects; answers the rows."""
    with transaction.atomic(), connection.cursor() as cursor:
        CustomerSnapshot.objects.filter(entity=entity, day=day).delete()
        cursor.execute(sql, _params(entity, day))
        written = cursor.rowcount
        SnapshotDay.objects.bulk_create(
            [SnapshotDay(entity=entity, day=day)],
            update_conflicts=True,
            unique_fields=["entity", "day"],
            update_fields=["written_at"],
        )
    return written


def snapshot_take(*, entity, day: date) -> int:
    """The snapshots of `day` from the items' open amounts as they are now (the daily run,
    whose day is the entity's today), their daily totals and the customers' risk scores
    that day; idempotent. Answers the snapshot rows written."""
    written = _write_day(entity, day, _insert_sql(CURRENT_OPEN, "i.open_amount > 0"))
    snapshot_totals_write(entity=entity, start=day, end=day)
    risk_take(entity=entity, day=day)
    return written


@dataclass
class Backfill:
    days: int = 0
    rows: int = 0
    seconds: float = 0.0


# Days rebuilt by one statement. PostgreSQL's sweep reads the history once for the whole
# range: a year per statement. SQLite expands items into their open days: a month keeps
# each statement's working set bounded.
BACKFILL_CHUNK_DAYS = {"postgresql": 366, "sqlite": 31}

# Each item's open amount as periods [since, until) of constant amount, by the rules of the
# module's docstring: one period per day with a change (its last change that day) until the
# next such day, and before the first change the amount the first import saw (or the full
# amount of an item imported settled with a date), all cut at the issue date, at
# `settled_on` and at the range asked. {greatest}/{least} are the database's (NULL-free
# arguments: SQLite's max()/min() answer NULL for any NULL).
PERIODS_SQL = """
WITH ranked AS (
    SELECT c.item_id, c.day, c.open_amount_after,
           ROW_NUMBER() OVER (PARTITION BY c.item_id, c.day ORDER BY c.id DESC) AS last_of_day,
           ROW_NUMBER() OVER (PARTITION BY c.item_id ORDER BY c.day, c.id) AS nth
    FROM {changes} c WHERE c.entity_id = %(entity)s
),
changed AS (
    SELECT item_id, day, open_amount_after,
           LEAD(day) OVER (PARTITION BY item_id ORDER BY day) AS next_day
    FROM ranked WHERE last_of_day = 1
),
items AS (
    SELECT i.id, i.customer_id, i.currency, i.kind, i.due_date, i.issue_date, i.amount,
           i.open_amount, i.settled_on, COALESCE(i.settled_on, %(after)s) AS stop
    FROM {items} i
    WHERE i.entity_id = %(entity)s AND i.issue_date <= %(end)s
      AND (i.settled_on IS NULL OR i.settled_on > %(start)s)
),
periods AS (
    SELECT i.customer_id, i.currency, i.kind, i.due_date,
           {greatest}(c.day, i.issue_date, %(start)s) AS since,
           {least}(COALESCE(c.next_day, %(after)s), i.stop, %(after)s) AS until,
           c.open_amount_after AS amount
    FROM changed c JOIN items i ON i.id = c.item_id
    WHERE c.day <= %(end)s
    UNION ALL
    SELECT i.customer_id, i.currency, i.kind, i.due_date,
           {greatest}(i.issue_date, %(start)s) AS since,
           {least}(COALESCE(f.day, %(after)s), i.stop, %(after)s) AS until,
           COALESCE(
               NULLIF(COALESCE(f.open_amount_after, i.open_amount), 0),
               CASE WHEN i.settled_on IS NOT NULL THEN i.amount ELSE 0 END
           ) AS amount
    FROM items i LEFT JOIN ranked f ON f.item_id = i.id AND f.nth = 1
)
"""

# SQLite: the days of each period with their days past due (`late`), summed per customer,
# day and currency as snapshot_take sums (a NULL due date ages into no bucket, as there).
EXPAND_SQL = """
SELECT p.customer_id, p.currency, p.kind, p.amount, d.day AS day,
       CAST(julianday(d.day) - julianday(p.due_date) AS INTEGER) AS late
FROM periods p JOIN days d ON d.day >= p.since AND d.day < p.until
WHERE p.amount > 0 AND p.since < p.until
"""
SQLITE_DAYS = """, days(day) AS (
    SELECT %(start)s UNION ALL SELECT date(day, '+1 day') FROM days WHERE day < %(end)s
)
"""

# PostgreSQL: a sweep. A period adds its amount to a snapshot's columns on its first day and
# takes it away after its last; in between it moves from one aging bucket to the next on
# the days after its due date + 0, 30, 60 and 90. Each of these events adds the period's
# columns as they are on day `x_new` and takes away those of day `x_old`; the running sums
# of the events per customer and currency are the snapshots, constant from one event day to
# the next, so only the days of the output are expanded (customer-days, not item-days).
SWEEP_SQL = """,
events AS (
    SELECT p.customer_id, p.currency, e.day, {deltas}
    FROM periods p CROSS JOIN LATERAL (VALUES
        (p.since, NULL::date, p.since),
        (p.until, p.until - 1, NULL::date),
        (p.due_date + 1, p.due_date, p.due_date + 1),
        (p.due_date + 31, p.due_date + 30, p.due_date + 31),
        (p.due_date + 61, p.due_date + 60, p.due_date + 61),
        (p.due_date + 91, p.due_date + 90, p.due_date + 91)
    ) AS e(day, x_old, x_new)
    WHERE p.amount > 0 AND p.since < p.until
      AND (e.x_old IS NULL OR e.x_new IS NULL OR (e.day > p.since AND e.day < p.until))
),
deltas AS (
    SELECT customer_id, currency, day, {sums} FROM events GROUP BY customer_id, currency, day
),
runs AS (
    SELECT customer_id, currency, day, LEAD(day) OVER w AS next_day, {running}
    FROM deltas WINDOW w AS (PARTITION BY customer_id, currency ORDER BY day)
)
SELECT %(entity)s, customer_id, day + g.n, currency, {columns}
FROM runs CROSS JOIN LATERAL generate_series(0, COALESCE(next_day, %(after)s) - day - 1) AS g(n)
WHERE items > 0
"""
COLUMNS = ["open_amount", "overdue", *(key for key, _l, _h in BUCKETS), "credits"]


def _late_bucket(low: int | None, high: int | None, late: str, kind: str) -> str:
    conditions = [f"{kind} = %(invoice)s"]
    if high is not None:
        conditions.append(f"{late} <= {int(high)}")
    if low is not None:
        conditions.append(f"{late} >= {int(low)}")
    return " AND ".join(conditions)


def _column_conditions(late: str, present: str, kind: str = "kind") -> list[str]:
    """When an item's amount counts in each of COLUMNS, `late` being its days past due and
    `present` true on a day it is open."""
    return [
        f"{kind} = %(invoice)s AND {present}",
        f"{kind} = %(invoice)s AND {late} >= 1",
        *(_late_bucket(low, high, late, kind) for _k, low, high in BUCKETS),
        f"{kind} <> %(invoice)s AND {present}",
    ]


def _periods_sql(vendor: str) -> str:
    greatest, least = ("GREATEST", "LEAST") if vendor == "postgresql" else ("MAX", "MIN")
    return PERIODS_SQL.format(
        changes=_table(ItemAmountChange), items=_table(Item), greatest=greatest, least=least
    ).rstrip()


def _backfill_sql() -> str:
    """One INSERT … SELECT writing the snapshots of every day from %(start)s to %(end)s."""
    insert = (
        f"INSERT INTO {_table(CustomerSnapshot)} "
        f"(entity_id, customer_id, day, currency, {', '.join(COLUMNS)}) "
    )
    if connection.vendor == "postgresql":
        return insert + _periods_sql("postgresql") + _sweep_sql()
    sums = [
        f"SUM(CASE WHEN {condition} THEN amount ELSE 0 END)"
        for condition in _column_conditions("late", "1 = 1")
    ]
    return (
        f"{insert}{_periods_sql('sqlite')}{SQLITE_DAYS} "
        f"SELECT %(entity)s, customer_id, day, currency, {', '.join(sums)} "
        f"FROM ({EXPAND_SQL}) o GROUP BY customer_id, day, currency"
    )


def _sweep_sql() -> str:
    names = [*COLUMNS, "items"]

    def on(x: str) -> list[str]:
        conditions = _column_conditions(f"({x} - p.due_date)", f"{x} IS NOT NULL", "p.kind")
        values = [f"CASE WHEN {c} THEN p.amount ELSE 0 END" for c in conditions]
        return [*values, f"CASE WHEN {x} IS NOT NULL THEN 1 ELSE 0 END"]

    deltas = ", ".join(
        f"{new} - {old} AS {name}"
        for name, new, old in zip(names, on("e.x_new"), on("e.x_old"), strict=True)
    )
    return SWEEP_SQL.format(
        deltas=deltas,
        sums=", ".join(f"SUM({name}) AS {name}" for name in names),
        running=", ".join(f"SUM({name}) OVER w AS {name}" for name in names),
        columns=", ".join(COLUMNS),
    )


def _backfill_chunk(entity, start: date, end: date, sql: str) -> int:
    """Replace the snapshots of `entity` from `start` to `end` by what the history gives."""
    adapt = connection.ops.adapt_datefield_value
    params = {
        "entity": entity.pk,
        "start": adapt(start),
        "end": adapt(end),
        "after": adapt(end + timedelta(days=1)),
        "invoice": ItemKind.INVOICE.value,
    }
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    with transaction.atomic(), connection.cursor() as cursor:
        CustomerSnapshot.objects.filter(entity=entity, day__range=(start, end)).delete()
        if connection.vendor == "postgresql":  # the sweep's sorts and sums, in memory
            cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(sql, params)
        written = cursor.rowcount
        SnapshotDay.objects.bulk_create(
            [SnapshotDay(entity=entity, day=day) for day in days],
            update_conflicts=True,
            unique_fields=["entity", "day"],
            update_fields=["written_at"],
        )
    return written


def snapshots_backfill(*, entity, start: date, end: date, progress=None) -> Backfill:
    """Rebuild the snapshots of every day from `start` to `end` from the items' history,
    set-based: each item's open periods (PERIODS_SQL) summed per customer, day and
    currency, by a sweep over their events on PostgreSQL, by expanding them into days on
    SQLite; one statement a year (PostgreSQL) or a month (SQLite) for all the entity's
    customers. Gives each day the rows snapshot_take() gave that day."""
    if end < start:
        raise ValueError(f"the end {end.isoformat()} is before the start {start.isoformat()}")
    began = time.monotonic()
    result = Backfill()
    sql, chunk = _backfill_sql(), BACKFILL_CHUNK_DAYS[connection.vendor]
    chunk_start = start
    while chunk_start <= end:
        chunk_end = min(chunk_start + timedelta(days=chunk - 1), end)
        result.rows += _backfill_chunk(entity, chunk_start, chunk_end, sql)
        result.days += (chunk_end - chunk_start).days + 1
        if progress:
            progress(chunk_end, result)
        chunk_start = chunk_end + timedelta(days=1)
    snapshot_totals_write(entity=entity, start=start, end=end)
    result.seconds = round(time.monotonic() - began, 3)
    return result


TOTAL_AMOUNTS = ["open_amount", "overdue", *(key for key, _l, _h in BUCKETS), "credits"]


def _month_sql(column: str) -> str:
    """The first day of the month of a date column, in SQL."""
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {column}) AS date)"
    return f"date({column}, 'start of month')"


def snapshot_totals_write(*, entity, start: date, end: date) -> int:
    """Replace the entity's daily totals from `start` to `end` by the sums of its snapshots
    (per day, currency and customer's collector), and its monthly sales by the invoices'
    amounts (per month, currency and collector): what the dashboard reads
    (insights/dashboard.py). Two DELETEs and two INSERT … SELECT, inside the caller's
    transaction if there is one (no savepoint of its own: the daily run counts its
    queries). Answers the daily rows written."""
    sums = ", ".join(f"SUM(s.{name})" for name in TOTAL_AMOUNTS)
    customers = _table(Customer)
    totals_sql = (
        f"INSERT INTO {_table(DailyTotal)} "
        f"(entity_id, day, currency, collector_id, customers, {', '.join(TOTAL_AMOUNTS)}) "
        f"SELECT s.entity_id, s.day, s.currency, c.collector_id, COUNT(*), {sums} "
        f"FROM {_table(CustomerSnapshot)} s JOIN {customers} c ON c.id = s.customer_id "
        f"WHERE s.entity_id = %s AND s.day >= %s AND s.day <= %s "
        f"GROUP BY s.entity_id, s.day, s.currency, c.collector_id"
    )
    month = _month_sql("i.issue_date")
    sales_sql = (
        f"INSERT INTO {_table(MonthlySales)} (entity_id, month, currency, collector_id, sales) "
        f"SELECT i.entity_id, {month}, i.currency, c.collector_id, SUM(i.amount) "
        f"FROM {_table(Item)} i JOIN {customers} c ON c.id = i.customer_id "
        f"WHERE i.entity_id = %s AND i.kind = %s "
        f"GROUP BY i.entity_id, {month}, i.currency, c.collector_id"
    )
    adapt = connection.ops.adapt_datefield_value
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        DailyTotal.objects.filter(entity=entity, day__range=(start, end)).delete()
        cursor.execute(totals_sql, [entity.pk, adapt(start), adapt(end)])
        written = cursor.rowcount
        MonthlySales.objects.filter(entity=entity).delete()
        cursor.execute(sales_sql, [entity.pk, ItemKind.INVOICE.value])
    return written
