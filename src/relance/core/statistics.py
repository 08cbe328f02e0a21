"""Fresh planner statistics after bulk writes.

A run or an import that writes thousands of rows leaves behind statistics that describe the
tables as they were before it. Autovacuum refreshes them later, or never when it is off (as
on this machine's PostgreSQL server), and a plan chosen from them can turn a query that
reads a few rows into one that walks the whole history. The engine's queries are written to
stay index-driven whatever the statistics (docs/engine.md); refreshing them where a bulk
write happened keeps the rest of the application's plans right too.

Cheap by construction: PostgreSQL's ANALYZE reads a sample of 300 × default_statistics_target
rows (30,000 by default) per table, a fraction of a second at a million rows; SQLite's
`PRAGMA optimize` analyses only the tables it judges stale, here with a bounded sample
(`analysis_limit`). Small writes (a user's few rows) skip it: they cannot move the
statistics. Nor can a write small beside the table: on PostgreSQL a table is analysed only
once the rows changed since its last ANALYZE reach a tenth of the rows it had then
(autovacuum's own rule, `autovacuum_analyze_scale_factor`), so a program syncing 10,000
items a request into a table of a million does not pay half a second of ANALYZE each time.
For the imports (`burst=True`), within a burst (the table analysed less than
ANALYZE_BURST_SECONDS ago: the requests of one sync) a table is analysed again only once it
has doubled, 4 times instead of 10 over
a sync that grows it from 10,000 to 100,000 rows: the planner scales the row count it
knows by the table's current size in pages, so what lags is only the shape of the values
(a sync brings more of the same), for at most a minute after a tenth changed.
"""

from django.db import connection

# Below this many rows written, the statistics cannot have moved enough to matter.
ANALYZE_AFTER_ROWS = 1000
# Rows SQLite samples per index when it analyses (PRAGMA analysis_limit).
SQLITE_ANALYSIS_LIMIT = 1000
# A PostgreSQL table is stale once the rows changed since its last ANALYZE (those of
# earlier transactions, as the statistics collector counted them, plus the rows just written)
# exceed this share of the rows it had then; one never analysed, or analysed empty, always is.
ANALYZE_SHARE = 0.1
# ... or, if it was analysed less than this many seconds ago, all of them (it has doubled).
ANALYZE_BURST_SECONDS = 60
BURST_SHARE = 1.0
STALE_TABLES_SQL = """
SELECT c.relname FROM pg_class c LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
WHERE c.relname = ANY(%(names)s) AND c.relkind IN ('r', 'p') AND pg_table_is_visible(c.oid)
  AND (c.reltuples <= 0 OR COALESCE(s.n_mod_since_analyze, 0) + %(rows)s > c.reltuples * (
    CASE WHEN GREATEST(s.last_analyze, s.last_autoanalyze)
              > clock_timestamp() - make_interval(secs => %(burst)s)
         THEN %(burst_share)s ELSE %(share)s END))
ORDER BY c.relname
"""


def tables_analyze(*models, rows: int, burst: bool = False) -> bool:
    """Refresh the statistics of the tables of `models` after `rows` were written to
    them; answers whether it did (not for fewer than ANALYZE_AFTER_ROWS rows, and on
    PostgreSQL only for the tables whose statistics they may have moved; `burst`: a write
    of a series, such as the API's bulk requests, see above)."""
    if rows < ANALYZE_AFTER_ROWS or not models:
        return False
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            names = sorted({model._meta.db_table for model in models})
            cursor.execute(
                STALE_TABLES_SQL,
                {
                    "names": names,
                    "rows": rows,
                    "share": ANALYZE_SHARE,
                    "burst": ANALYZE_BURST_SECONDS if burst else 0,
                    "burst_share": BURST_SHARE,
                },
            )
            names = [name for (name,) in cursor.fetchall()]
            if not names:
                return False
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(n) for n in names))
        elif connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit = {SQLITE_ANALYSIS_LIMIT}")
            cursor.execute("PRAGMA optimize")
        else:
            return False
    return True
