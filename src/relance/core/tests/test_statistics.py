"""Statistics refreshed after bulk writes (core/statistics.py): a large import analyses the
table it wrote; a few rows do not. The engine's side: engine/tests/test_statistics.py."""

import pytest
from django.db import connection

from relance.core.statistics import tables_analyze
from relance.customers.tests.factories import CustomerFactory
from relance.ledger.tests.test_importers import ITEM_HEADER, item_rows, run, write_csv

pytestmark = pytest.mark.django_db
POSTGRESQL_ONLY = pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_class.reltuples")


def _rows_known(table: str) -> float:
    """The row count PostgreSQL's planner believes (set by ANALYZE, in place)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        return cursor.fetchone()[0]


def _analyze_now(table: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")


@POSTGRESQL_ONLY
def test_a_large_import_analyses_its_table(acme, tmp_path):
    CustomerFactory(entity=acme, external_id="C001")
    _analyze_now("ledger_item")  # statistics of the empty table
    assert _rows_known("ledger_item") == 0
    small = write_csv(tmp_path / "small.csv", [ITEM_HEADER, *item_rows(10)])
    assert run("items", small, acme).status == "done"
    assert _rows_known("ledger_item") == 0  # ten rows: left to autovacuum
    large = write_csv(tmp_path / "large.csv", [ITEM_HEADER, *item_rows(1000, start=10)])
    assert run("items", large, acme).status == "done"
    assert _rows_known("ledger_item") == 1010


def _planner_believes(table: str, rows: int) -> None:
    """Set what an ANALYZE of `rows` rows would have (earlier tests may have left any
    count: their rows are rolled back, their statistics not)."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE pg_class SET reltuples = %s WHERE relname = %s", [rows, table])


def test_a_few_rows_are_left_to_autovacuum_and_many_analysed_on_either_database():
    from relance.ledger.models import Item

    if connection.vendor == "postgresql":
        _planner_believes("ledger_item", 0)
    assert tables_analyze(Item, rows=999) is False
    assert tables_analyze(Item, rows=1000) is True  # ANALYZE, or PRAGMA optimize on SQLite


@POSTGRESQL_ONLY
def test_a_write_small_beside_the_table_is_left_to_autovacuum():
    """10,000 rows written into a table the planner knows as a million: its statistics
    cannot have moved, no ANALYZE; past a tenth of it, one (outside a burst)."""
    from relance.ledger.models import Item

    _planner_believes("ledger_item", 1_000_000)
    assert tables_analyze(Item, rows=10_000) is False
    assert tables_analyze(Item, rows=100_001) is True
    assert _rows_known("ledger_item") == 0  # analysed: the table is empty


@POSTGRESQL_ONLY
def test_within_a_burst_a_table_is_analysed_again_once_it_has_doubled():
    from relance.ledger.models import Item

    _analyze_now("ledger_item")  # a request of the sync, a moment ago
    _planner_believes("ledger_item", 100_000)
    assert tables_analyze(Item, rows=50_000, burst=True) is False
    assert tables_analyze(Item, rows=100_001, burst=True) is True
    _planner_believes("ledger_item", 100_000)
    assert tables_analyze(Item, rows=50_000) is True  # not a burst: a tenth is enough
