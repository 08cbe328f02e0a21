"""Daily snapshots of what each customer owes (models.CustomerSnapshot, stored as runs of
days with the same figures: storage.py), written set-based whether the day is today (the
daily run reads the items' open amounts) or past days rebuilt from the items' history
(the backfill: history.py)."""

import time
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection, transaction

from relance.customers.models import Customer
from relance.insights import storage
from relance.insights.history import COLUMNS, history_runs_sql
from relance.insights.models import BUCKETS, CustomerSnapshot, DailyTotal, MonthlySales, SnapshotDay
from relance.insights.risk import risk_take
from relance.ledger.choices import ItemKind
from relance.ledger.models import Item


def _bucket_sql(low: int | None, high: int | None) -> str:
    """The condition of an aging bucket on `due_date` (days past due at the end of the day)."""
    conditions = ["kind = %(invoice)s"]
    if high is not None:  # at most `high` days overdue: due on or after day - high
        conditions.append(f"due_date >= %(since_{high})s")
    if low is not None:
        conditions.append(f"due_date <= %(since_{low})s")
    return " AND ".join(conditions)


def _today_sql(open_sql: str = "i.open_amount", where: str = "i.open_amount > 0") -> str:
    """The figures of each customer and currency at the end of %(day)s, from `open_sql` (an
    item's open amount then) over the items `where` selects."""
    sums = [
        "kind = %(invoice)s",
        "kind = %(invoice)s AND due_date < %(day)s",
        *(_bucket_sql(low, high) for _k, low, high in BUCKETS),
        "kind <> %(invoice)s",
    ]
    sums = [f"ROUND(SUM(CASE WHEN {condition} THEN open_at ELSE 0 END), 2)" for condition in sums]
    return (
        f"SELECT customer_id, currency, "
        f"{', '.join(f'{total} AS {name}' for total, name in zip(sums, COLUMNS, strict=True))} "
        f"FROM (SELECT i.customer_id, i.currency, i.kind, i.due_date, "
        f"{open_sql} AS open_at "
        f"FROM {_table(Item)} i WHERE i.entity_id = %(entity)s AND {where}{_fence()}"
        f") o WHERE open_at > 0 GROUP BY customer_id, currency"
    )


def _fence() -> str:
    """Keep the per-item query apart from the sums: flattened into them (both databases
    does), each item's amount would be read once per sum (SQLite does not flatten it, and a
    LIMIT there makes it slower)."""
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


def _days_written(entity, days: list[date]) -> None:
    SnapshotDay.objects.bulk_create(
        [SnapshotDay(entity=entity, day=day) for day in days],
        update_conflicts=True,
        unique_fields=["entity", "day"],
        update_fields=["written_at"],
    )


def snapshot_take(*, entity, day: date) -> int:
    """The snapshots of `day` from the items' open amounts as they are now (the daily run,
    whose day is the entity's today), their daily totals and the customers' risk scores
    that day; idempotent. On the entity's latest day (the daily run) only the customers
    whose figures changed get a row (storage.day_append). Answers the snapshots that day
    (customers and currencies with something open)."""
    with transaction.atomic():
        taken = storage.new_figures_create(_today_sql(), _params(entity, day))
        if storage.appending(entity, day):
            storage.day_append(entity, day)
        else:
            storage.range_replace(entity, day, day, storage.new_figures_of_day_sql(), {})
        storage.new_figures_drop()
        _days_written(entity, [day])
    snapshot_totals_write(entity=entity, start=day, end=day)
    risk_take(entity=entity, day=day)
    return taken


@dataclass
class Backfill:
    days: int = 0
    rows: int = 0  # the runs written (a customer's days with the same figures are one)
    seconds: float = 0.0


def snapshots_backfill(*, entity, start: date, end: date, progress=None) -> Backfill:
    """Rebuild the snapshots of every day from `start` to `end` from the items' history, in
    one INSERT … SELECT for all the entity's customers and days (history.py: a sweep over
    each item's open periods), then the daily totals. Gives each day the figures
    snapshot_take() gave that day."""
    if end < start:
        raise ValueError(f"the end {end.isoformat()} is before the start {start.isoformat()}")
    began = time.monotonic()
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    params = {"invoice": ItemKind.INVOICE.value}
    with transaction.atomic():
        if connection.vendor == "postgresql":  # the sweep's sorts and sums, in memory
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = '256MB'")
        rows = storage.range_replace(entity, start, end, history_runs_sql(), params)
        _days_written(entity, days)
        storage.statistics_refresh()
    result = Backfill(days=len(days), rows=rows)
    if progress:
        progress(end, result)
    snapshot_totals_write(entity=entity, start=start, end=end)
    result.seconds = round(time.monotonic() - began, 3)
    return result


def _month_sql(column: str) -> str:
    """The first day of the month of a date column, in SQL."""
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {column}) AS date)"
    return f"date({column}, 'start of month')"


# The daily totals of the days written from %(start)s to %(end)s, from the runs across
# them: each run adds its customer and figures on its first day in the range and takes them
# away on its `until`; the running sums per currency and collector hold from one such day
# to the next, and are written for each day written in between (no customer-days
# expanded: a year of 100,000 customers is ~5 million runs, not 36 million days).
TOTALS_SQL = """
INSERT INTO {totals} (entity_id, day, currency, collector_id, customers, {columns})
WITH events AS (
    SELECT s.currency, c.collector_id, {greatest}(s.since, %(start)s) AS day, 1 AS customers,
           {added}
    FROM {snapshots} s JOIN {customers} c ON c.id = s.customer_id
    WHERE s.entity_id = %(entity)s AND s.since <= %(end)s AND s.until > %(start)s
    UNION ALL
    SELECT s.currency, c.collector_id, s.until, -1, {removed}
    FROM {snapshots} s JOIN {customers} c ON c.id = s.customer_id
    WHERE s.entity_id = %(entity)s AND s.until > %(start)s AND s.until <= %(end)s
),
deltas AS (
    SELECT currency, collector_id, day, SUM(customers) AS customers, {sums}
    FROM events GROUP BY currency, collector_id, day
),
runs AS {materialized}(
    SELECT currency, collector_id, day, LEAD(day) OVER w AS next_day,
           SUM(customers) OVER w AS customers, {running}
    FROM deltas WINDOW w AS (PARTITION BY currency, collector_id ORDER BY day)
)
SELECT %(entity)s, d.day, r.currency, r.collector_id, r.customers, {columns}
FROM runs r JOIN {days} d ON d.entity_id = %(entity)s AND d.day >= r.day
    AND (r.next_day IS NULL OR d.day < r.next_day) AND d.day <= %(end)s
WHERE r.customers > 0
"""


def _totals_sql() -> str:
    return TOTALS_SQL.format(
        totals=_table(DailyTotal),
        snapshots=_table(CustomerSnapshot),
        customers=_table(Customer),
        days=_table(SnapshotDay),
        greatest="GREATEST" if connection.vendor == "postgresql" else "MAX",
        # Computed once, not once per day written (PostgreSQL's plan when it believes the
        # snapshots just written are few).
        materialized="MATERIALIZED " if connection.vendor == "postgresql" else "",
        columns=", ".join(COLUMNS),
        added=", ".join(f"s.{name} AS {name}" for name in COLUMNS),
        removed=", ".join(f"-s.{name}" for name in COLUMNS),
        sums=", ".join(f"SUM({name}) AS {name}" for name in COLUMNS),
        running=", ".join(f"ROUND(SUM({name}) OVER w, 2) AS {name}" for name in COLUMNS),
    )


def snapshot_totals_write(*, entity, start: date, end: date) -> int:
    """Replace the entity's daily totals from `start` to `end` by the sums of its snapshots
    (per day, currency and customer's collector), and its monthly sales by the invoices'
    amounts (per month, currency and collector): what the dashboard reads
    (insights/dashboard.py). Two DELETEs and two INSERT … SELECT, inside the caller's
    transaction if there is one (no savepoint of its own: the daily run counts its
    queries). Answers the daily rows written."""
    customers = _table(Customer)
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
        cursor.execute(
            _totals_sql(), {"entity": entity.pk, "start": adapt(start), "end": adapt(end)}
        )
        written = cursor.rowcount
        MonthlySales.objects.filter(entity=entity).delete()
        cursor.execute(sales_sql, [entity.pk, ItemKind.INVOICE.value])
    return written
