"""Imports are set-based: the number of queries does not grow with the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from relance.customers.tests.factories import CustomerFactory
from relance.ledger.models import Item
from relance.ledger.tests.factories import ItemFactory
from relance.ledger.tests.test_importers import ITEM_HEADER, item_rows, run, write_csv
from relance.scenarios.tests.factories import ScenarioFactory

# Setup (batch, entity checks, lookups of customers, users, scenarios and tags, the staging
# table on PostgreSQL) plus one write per 2,000-row chunk: constant, whatever the file size.
QUERY_BUDGET = 18


def queries_to_import(kind: str, path, entity) -> int:
    with CaptureQueriesContext(connection) as context:
        batch = run(kind, path, entity)
    assert batch.errors == [], batch.errors
    return len(context.captured_queries)


@pytest.mark.parametrize("reimport", [False, True], ids=["create", "update"])
def test_item_import_queries_do_not_grow_with_rows(acme, tmp_path, reimport):
    customer = CustomerFactory(entity=acme, external_id="C001")
    ItemFactory(customer=customer, number="OLD")  # so that both sizes look up stored items
    counts = []
    for size in (50, 500):
        path = write_csv(tmp_path / f"items{size}.csv", [ITEM_HEADER, *item_rows(size, start=size)])
        if reimport:
            run("items", path, acme)
            path = write_csv(
                tmp_path / f"again{size}.csv",
                [ITEM_HEADER, *([*row[:6], "0", row[7]] for row in item_rows(size, start=size))],
            )
        counts.append(queries_to_import("items", path, acme))
    assert counts[0] == counts[1] <= QUERY_BUDGET
    assert Item.objects.filter(open_amount=0).count() == (550 if reimport else 0)


def test_customer_and_contact_import_queries_do_not_grow(
    acme, tmp_path, django_assert_max_num_queries
):
    scenarios = [ScenarioFactory(name="Standard").name, ScenarioFactory(name="Gentle").name, ""]
    counts = []
    for size in (50, 500):
        customers = [["external_id", "name", "tags", "scenario"]]
        customers += [
            [f"C{size}-{n}", f"Customer {n}", f"t{size}-{n % 3}|all{size}", scenarios[n % 3]]
            for n in range(size)
        ]
        contacts = [["customer_external_id", "email", "phone", "roles"]]
        contacts += [
            [f"C{size}-{n}", f"ap{n}@example.com", "0142685300", "collection"] for n in range(size)
        ]
        counts.append(
            (
                queries_to_import("customers", write_csv(tmp_path / "c.csv", customers), acme),
                queries_to_import("contacts", write_csv(tmp_path / "k.csv", contacts), acme),
            )
        )
    assert counts[0] == counts[1]
    assert max(counts[1]) <= QUERY_BUDGET
    with django_assert_max_num_queries(QUERY_BUDGET):
        run("customers", write_csv(tmp_path / "c.csv", customers), acme)
