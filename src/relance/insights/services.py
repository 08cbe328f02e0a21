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

from relance.insights.models import BUCKETS, CustomerSnapshot, SnapshotDay
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
    whose day is the entity's today); idempotent. Answers the rows written."""
    return _write_day(entity, day, _insert_sql(CURRENT_OPEN, "i.open_amount > 0"))


@dataclass
class Backfill:
    days: int = 0
    rows: int = 0
    seconds: float = 0.0


# Days rebuilt by one statement: a month keeps each statement's working set (items × open
# days) bounded and gives `progress` something to report, at ~12 statements a year.
BACKFILL_CHUNK_DAYS = 31

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

# The days of each period with their days past due (`late`), then summed per customer, day
# and currency as snapshot_take sums (a NULL due date ages into no bucket, as there).
EXPAND_SQL = {
    "postgresql": """
SELECT p.customer_id, p.currency, p.kind, p.amount, (p.since + g.n) AS day,
       (p.since + g.n) - p.due_date AS late
FROM periods p CROSS JOIN LATERAL generate_series(0, p.until - p.since - 1) AS g(n)
WHERE p.amount > 0 AND p.since < p.until
""",
    "sqlite": """
SELECT p.customer_id, p.currency, p.kind, p.amount, d.day AS day,
       CAST(julianday(d.day) - julianday(p.due_date) AS INTEGER) AS late
FROM periods p JOIN days d ON d.day >= p.since AND d.day < p.until
WHERE p.amount > 0 AND p.since < p.until
""",
}
SQLITE_DAYS = """, days(day) AS (
    SELECT %(start)s UNION ALL SELECT date(day, '+1 day') FROM days WHERE day < %(end)s
)
"""


def _late_bucket(low: int | None, high: int | None) -> str:
    conditions = ["kind = %(invoice)s"]
    if high is not None:
        conditions.append(f"late <= {int(high)}")
    if low is not None:
        conditions.append(f"late >= {int(low)}")
    return " AND ".join(conditions)


def _backfill_sql() -> str:
    """One INSERT … SELECT writing the snapshots of every day from %(start)s to %(end)s."""
    vendor = "postgresql" if connection.vendor == "postgresql" else "sqlite"
    greatest, least = ("GREATEST", "LEAST") if vendor == "postgresql" else ("MAX", "MIN")
    periods = PERIODS_SQL.format(
        changes=_table(ItemAmountChange), items=_table(Item), greatest=greatest, least=least
    )
    if vendor == "sqlite":
        periods = periods.rstrip() + SQLITE_DAYS
    sums = [
        "SUM(CASE WHEN kind = %(invoice)s THEN amount ELSE 0 END)",
        "SUM(CASE WHEN kind = %(invoice)s AND late >= 1 THEN amount ELSE 0 END)",
        *(
            f"SUM(CASE WHEN {_late_bucket(low, high)} THEN amount ELSE 0 END)"
            for _k, low, high in BUCKETS
        ),
        "SUM(CASE WHEN kind <> %(invoice)s THEN amount ELSE 0 END)",
    ]
    columns = ["open_amount", "overdue", *(key for key, _l, _h in BUCKETS), "credits"]
    return (
        f"INSERT INTO {_table(CustomerSnapshot)} "
        f"(entity_id, customer_id, day, currency, {', '.join(columns)}) "
        f"{periods} SELECT %(entity)s, customer_id, day, currency, {', '.join(sums)} "
        f"FROM ({EXPAND_SQL[vendor]}) o GROUP BY customer_id, day, currency"
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
    set-based: each item's open periods expanded into its open days and summed per
    customer, day and currency, one statement a month (BACKFILL_CHUNK_DAYS) for all the
    entity's customers. Gives the rows snapshot_take() gives for today."""
    if end < start:
        raise ValueError(f"the end {end.isoformat()} is before the start {start.isoformat()}")
    began = time.monotonic()
    result = Backfill()
    sql = _backfill_sql()
    chunk_start = start
    while chunk_start <= end:
        chunk_end = min(chunk_start + timedelta(days=BACKFILL_CHUNK_DAYS - 1), end)
        result.rows += _backfill_chunk(entity, chunk_start, chunk_end, sql)
        result.days += (chunk_end - chunk_start).days + 1
        if progress:
            progress(chunk_end, result)
        chunk_start = chunk_end + timedelta(days=1)
    result.seconds = round(time.monotonic() - began, 3)
    return result
