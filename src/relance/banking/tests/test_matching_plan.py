"""The matching looks the candidate tokens up in the index on normalised item numbers
(ledger: item_number_normalised): without it SQLite computed the normalised number of
every item for every token (1,000 lines against 20,000 items: 168 s)."""

from decimal import Decimal

import pytest
from django.db import connection

from relance.banking import matching

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's EXPLAIN QUERY PLAN")
def test_the_tokens_are_looked_up_in_the_normalised_number_index(acme, books):
    plans = []

    def explain(execute, sql, params, many, context):
        if "FROM ledger_item i" in sql and not sql.startswith("EXPLAIN"):
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
                plans.append(" | ".join(str(row[-1]) for row in cursor.fetchall()))
        return execute(sql, params, many, context)

    line = matching.Line(1, Decimal("1200.00"), "EUR", remittance="Facture F-2026-0001")
    with connection.execute_wrapper(explain):
        hits, _customers = matching.find_hits(acme.pk, [line])
    assert [hit.item_id for hit in hits[1]] == [books[1]["F-2026-0001"].pk]
    assert hits[1][0].open_amount == Decimal("1200.00")
    assert plans and "item_number_normalised (entity_id=? AND kind=? AND <expr>=?)" in plans[0]
