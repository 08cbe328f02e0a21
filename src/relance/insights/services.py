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
from relance.ledger.choices import ItemKind
from relance.ledger.models import Item, ItemAmountChange

CURRENT_OPEN = "i.open_amount"
# The open amount on the day %(day)s, by the rules above.
HISTORY_OPEN = """CASE
    WHEN i.settled_on IS NOT NULL AND i.settled_on <= %(day)s THEN 0
    ELSE COALESCE(
        (SELECT c.open_amount_after FROM {changes} c
          WHERE c.item_id = i.id AND c.day <= %(day)s ORDER BY c.day DESC, c.id DESC LIMIT 1),
        NULLIF(COALESCE(
            (SELECT c.open_amount_after FROM {changes} c
              WHERE c.item_id = i.id ORDER BY c.day, c.id LIMIT 1),
            i.open_amount), 0),
        CASE WHEN i.settled_on IS NOT NULL THEN i.amount ELSE 0 END)
END"""


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
    written = _write_day(entity, day, _insert_sql(CURRENT_OPEN, "i.open_amount > 0"))
    snapshot_totals_write(entity=entity, start=day, end=day)
    return written


@dataclass
class Backfill:
    days: int = 0
    rows: int = 0
    seconds: float = 0.0


def snapshots_backfill(*, entity, start: date, end: date, progress=None) -> Backfill:
    """Rebuild the snapshots of every day from `start` to `end` from the items' history:
    one statement a day over all the entity's customers."""
    if end < start:
        raise ValueError(f"the end {end.isoformat()} is before the start {start.isoformat()}")
    began = time.monotonic()
    result = Backfill()
    # Items settled by then are left out before their history is read: most of a year's.
    sql = _insert_sql(
        HISTORY_OPEN,
        "i.issue_date <= %(day)s AND (i.settled_on IS NULL OR i.settled_on > %(day)s)",
    )
    day = start
    while day <= end:
        result.rows += _write_day(entity, day, sql)
        result.days += 1
        if progress:
            progress(day, result)
        day += timedelta(days=1)
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
