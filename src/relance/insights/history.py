"""The snapshots of past days rebuilt from the items' history (the backfill), as runs of
days with the same figures (storage.py), in one INSERT … SELECT for PostgreSQL and SQLite.

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

from django.db import connection

from relance.insights.models import BUCKETS
from relance.insights.sql import add_days, days_between
from relance.ledger.models import Item, ItemAmountChange

COLUMNS = ["open_amount", "overdue", *(key for key, _l, _h in BUCKETS), "credits"]

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

# A sweep. A period adds its amount to a snapshot's columns on its first day and takes it
# away after its last; in between it moves from one aging bucket to the next on the days
# after its due date + 0, 30, 60 and 90. Each of these steps (n = 0 to 5) adds the period's
# columns as they are on day `x_new` and takes away those of day `x_old`; the running sums
# of the steps per customer and currency are the snapshots, constant from one step day to
# the next: each is a run (since = its day, until = the next step's day). Days whose steps
# change nothing (a credit note's due date, an item settled as another of the same amount
# opens) are left out, so consecutive runs differ. Sums rounded to the cent: SQLite's are
# floating-point.
SWEEP_SQL = """,
steps AS (
    SELECT p.customer_id, p.currency, p.kind, p.due_date, p.amount, p.since, p.until, s.n,
           CASE s.n WHEN 0 THEN p.since WHEN 1 THEN p.until {due_days} END AS day,
           CASE s.n WHEN 1 THEN {until_eve} {due_eves} END AS x_old,
           CASE s.n WHEN 0 THEN p.since WHEN 1 THEN NULL {due_days} END AS x_new
    FROM periods p CROSS JOIN (
        SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3
        UNION ALL SELECT 4 UNION ALL SELECT 5
    ) s
    WHERE p.amount > 0 AND p.since < p.until
),
events AS (
    SELECT customer_id, currency, day, {deltas}
    FROM steps p
    WHERE day IS NOT NULL
      AND (x_old IS NULL OR x_new IS NULL OR (day > since AND day < until))
),
deltas AS (
    SELECT customer_id, currency, day, {sums} FROM events GROUP BY customer_id, currency, day
    HAVING {changed}
),
runs AS (
    SELECT customer_id, currency, day, LEAD(day) OVER w AS next_day, {running}
    FROM deltas WINDOW w AS (PARTITION BY customer_id, currency ORDER BY day)
)
SELECT %(entity)s, customer_id, currency, day, COALESCE(next_day, %(after)s), {columns}
FROM runs WHERE open_amount > 0 OR credits > 0
"""
# The days after the due date on which an item moves to the next bucket (steps 2 to 5).
AGING_STEPS = [1, 31, 61, 91]


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


def _periods_sql() -> str:
    vendor = connection.vendor
    greatest, least = ("GREATEST", "LEAST") if vendor == "postgresql" else ("MAX", "MIN")
    return PERIODS_SQL.format(
        changes=_table(ItemAmountChange), items=_table(Item), greatest=greatest, least=least
    ).rstrip()


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def history_runs_sql() -> str:
    """SELECT (entity, customer_id, currency, since, until, COLUMNS) of the runs of every
    day from %(start)s to %(end)s, for storage.range_replace."""
    return _periods_sql() + _sweep_sql()


def _sweep_sql() -> str:
    def on(x: str) -> list[str]:
        late = days_between(x, "p.due_date")
        conditions = _column_conditions(late, f"{x} IS NOT NULL", "p.kind")
        return [f"CASE WHEN {c} THEN p.amount ELSE 0 END" for c in conditions]

    deltas = ", ".join(
        f"{new} - {old} AS {name}"
        for name, new, old in zip(COLUMNS, on("x_new"), on("x_old"), strict=True)
    )
    due_days = " ".join(
        f"WHEN {n} THEN {add_days('p.due_date', step)}" for n, step in enumerate(AGING_STEPS, 2)
    )
    due_eves = " ".join(
        f"WHEN {n} THEN {add_days('p.due_date', step - 1)}" for n, step in enumerate(AGING_STEPS, 2)
    )
    return SWEEP_SQL.format(
        due_days=due_days,
        due_eves=due_eves,
        until_eve=add_days("p.until", -1),
        deltas=deltas,
        sums=", ".join(f"SUM({name}) AS {name}" for name in COLUMNS),
        changed=" OR ".join(f"ROUND(SUM({name}), 2) <> 0" for name in COLUMNS),
        running=", ".join(f"ROUND(SUM({name}) OVER w, 2) AS {name}" for name in COLUMNS),
        columns=", ".join(COLUMNS),
    )
