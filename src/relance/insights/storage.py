"""How the customer snapshots are stored (models.CustomerSnapshot, docs/insights.md
"Storage"): one row per customer and currency for each run of days with the same figures,
[since, until). The run that still holds on the entity's latest day written ends at
OPEN_END, so the daily snapshot touches only the customers whose figures changed: it
closes their open run and opens a new one.

Both writers take the new figures from SQL (a temporary table for the daily snapshot, the
history's sweep for the backfill) and are set-based: a fixed number of statements whatever
the number of customers or days, on PostgreSQL and SQLite alike.
"""

from datetime import date, timedelta

from django.db import connection

from relance.insights.models import BUCKETS, OPEN_END, CustomerSnapshot, SnapshotDay

AMOUNTS = ["open_amount", "overdue", *(key for key, _l, _h in BUCKETS), "credits"]
TABLE = CustomerSnapshot._meta.db_table
# The daily snapshot's figures, one row per customer and currency, before they are compared
# with the open runs (dropped at the end of the write).
NEW_FIGURES = "insights_snapshot_new"


def _same_figures(one: str, other: str) -> str:
    return " AND ".join(f"{one}.{a} = {other}.{a}" for a in AMOUNTS)


def _execute(statements: list[str], params: dict) -> list[int]:
    with connection.cursor() as cursor:
        counts = []
        for statement in statements:
            cursor.execute(statement, params)
            counts.append(cursor.rowcount)
        return counts


def new_figures_create(select_sql: str, params: dict) -> int:
    """Keep what `select_sql` answers (customer_id, currency, AMOUNTS) as the day's new
    figures, for day_append/range_replace to read; answers its rows."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {NEW_FIGURES} AS {select_sql}", params)
        cursor.execute(f"SELECT COUNT(*) FROM {NEW_FIGURES}")
        return cursor.fetchone()[0]


def new_figures_drop() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {NEW_FIGURES}")


def appending(entity, day: date) -> bool:
    """Whether `day` is on or after the entity's latest day written (the daily run's case):
    then only the open runs change."""
    return not SnapshotDay.objects.filter(entity=entity, day__gt=day).exists()


def day_append(entity, day: date) -> None:
    """Write the new figures as the snapshots of `day`, the entity's latest day: the open
    runs whose figures they repeat stay open, the others are closed on `day`, and the new
    figures open runs of their own. Writing the day again first undoes its first write
    (idempotent). Six statements."""
    params = {"entity": entity.pk, "day": day, "open": OPEN_END}
    columns = ", ".join(AMOUNTS)
    _execute(
        [
            # (until > day: by the index on until, as runs from `day` on end after it)
            f"DELETE FROM {TABLE} WHERE entity_id = %(entity)s AND since >= %(day)s "
            f"AND until > %(day)s",
            f"UPDATE {TABLE} SET until = %(open)s WHERE entity_id = %(entity)s AND until = %(day)s",
            f"UPDATE {TABLE} SET until = %(day)s WHERE entity_id = %(entity)s "
            f"AND until = %(open)s AND NOT EXISTS (SELECT 1 FROM {NEW_FIGURES} n "
            f"WHERE n.customer_id = {TABLE}.customer_id AND n.currency = {TABLE}.currency "
            f"AND {_same_figures('n', TABLE)})",
            # What the open runs already say is not written again. (Not a NOT EXISTS in the
            # INSERT: reading the table being written, PostgreSQL rescans the rows the
            # statement adds, 110 s for the first day of 100,000 customers.)
            # (A subquery of its own, read once: correlated, SQLite read all the open runs
            # for each new row.)
            f"DELETE FROM {NEW_FIGURES} WHERE (customer_id, currency) IN ("
            f"SELECT s.customer_id, s.currency FROM {TABLE} s "
            f"WHERE s.entity_id = %(entity)s AND s.until = %(open)s)",
            f"INSERT INTO {TABLE} (entity_id, customer_id, currency, since, until, {columns}) "
            f"SELECT %(entity)s, n.customer_id, n.currency, %(day)s, %(open)s, "
            f"{', '.join(f'n.{a}' for a in AMOUNTS)} FROM {NEW_FIGURES} n",
        ],
        _adapted(params),
    )


def new_figures_of_day_sql() -> str:
    """The new figures as runs of the one day %(start)s (for range_replace)."""
    return (
        f"SELECT %(entity)s, customer_id, currency, %(start)s, %(after)s, {', '.join(AMOUNTS)} "
        f"FROM {NEW_FIGURES}"
    )


def range_replace(entity, start: date, end: date, runs_sql: str, params: dict) -> int:
    """Replace the entity's snapshots from `start` to `end` by the runs `runs_sql` selects
    (customer_id, currency, since, until, AMOUNTS; since ≥ start, until ≤ the day after
    `end`, given as %(after)s): runs across the range are cut at its edges, then runs that
    meet at an edge with the same figures are joined again. When no later day is written,
    the runs that reach the end stay open. Answers the runs written."""
    after = end + timedelta(days=1)
    params = _adapted({**params, "entity": entity.pk, "start": start, "end": end,
                       "after": after, "open": OPEN_END})  # fmt: skip
    where = "entity_id = %(entity)s"
    columns = f"entity_id, customer_id, currency, since, until, {', '.join(AMOUNTS)}"
    insert = f"INSERT INTO {TABLE} ({columns}) {runs_sql}"
    if appending(entity, end):
        counts = _execute(
            [
                f"UPDATE {TABLE} SET until = %(start)s WHERE {where} AND since < %(start)s "
                f"AND until > %(start)s",
                f"DELETE FROM {TABLE} WHERE {where} AND since >= %(start)s",
                insert,
                f"UPDATE {TABLE} SET until = %(open)s WHERE {where} AND until = %(after)s",
                *_joined_at("%(start)s"),
            ],
            params,
        )
        return counts[2]
    tail = ", ".join(["entity_id, customer_id, currency, %(after)s, until", *AMOUNTS])
    counts = _execute(
        [
            f"INSERT INTO {TABLE} ({columns}) SELECT {tail} FROM {TABLE} WHERE {where} "
            f"AND since < %(start)s AND until > %(after)s",
            f"UPDATE {TABLE} SET until = %(start)s WHERE {where} AND since < %(start)s "
            f"AND until > %(start)s",
            f"UPDATE {TABLE} SET since = %(after)s WHERE {where} AND since >= %(start)s "
            f"AND since <= %(end)s AND until > %(after)s",
            f"DELETE FROM {TABLE} WHERE {where} AND since >= %(start)s AND since <= %(end)s",
            insert,
            *_joined_at("%(start)s"),
            *_joined_at("%(after)s"),
        ],
        params,
    )
    return counts[4]


def _joined_at(edge: str) -> list[str]:
    """Join each run ending at `edge` with the run of the same customer and currency that
    begins there with the same figures: the first takes the second's end, the second goes."""
    following = (
        f"FROM {TABLE} n WHERE n.customer_id = {TABLE}.customer_id "
        f"AND n.currency = {TABLE}.currency AND n.since = {edge} AND {_same_figures('n', TABLE)}"
    )
    return [
        f"UPDATE {TABLE} SET until = (SELECT n.until {following}) WHERE entity_id = %(entity)s "
        f"AND until = {edge} AND EXISTS (SELECT 1 {following})",
        f"DELETE FROM {TABLE} WHERE entity_id = %(entity)s AND since = {edge} AND EXISTS ("
        f"SELECT 1 FROM {TABLE} p WHERE p.customer_id = {TABLE}.customer_id "
        f"AND p.currency = {TABLE}.currency AND p.since < {edge} AND p.until = {TABLE}.until "
        f"AND {_same_figures('p', TABLE)})",
    ]


def _adapted(params: dict) -> dict:
    adapt = connection.ops.adapt_datefield_value
    return {key: adapt(v) if isinstance(v, date) else v for key, v in params.items()}


def statistics_refresh() -> None:
    """Let PostgreSQL plan the next reads with the runs a backfill just wrote (millions of
    rows it would otherwise believe to be a few hundred)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {TABLE}")
