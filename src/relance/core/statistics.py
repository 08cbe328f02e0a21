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
statistics.
"""

from django.db import connection

# Below this many rows written, the statistics cannot have moved enough to matter.
ANALYZE_AFTER_ROWS = 1000
# Rows SQLite samples per index when it analyses (PRAGMA analysis_limit).
SQLITE_ANALYSIS_LIMIT = 1000


def tables_analyze(*models, rows: int) -> bool:
    """Refresh the statistics of the tables of `models` after `rows` were written to
    them; answers whether it did (not for fewer than ANALYZE_AFTER_ROWS rows)."""
    if rows < ANALYZE_AFTER_ROWS or not models:
        return False
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            names = sorted({model._meta.db_table for model in models})
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(n) for n in names))
        elif connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit = {SQLITE_ANALYSIS_LIMIT}")
            cursor.execute("PRAGMA optimize")
        else:
            return False
    return True
