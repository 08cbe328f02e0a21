"""The history of open amounts kept by the item importer: a first event when an item is
created, one more each time an import on a later day sees another open amount."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from relance.customers.tests.factories import CustomerFactory
from relance.ledger.models import Item, ItemAmountChange
from relance.ledger.tests.test_importers import ITEM_HEADER, item_rows, run, write_csv

D = Decimal


def on_day(monkeypatch, day: datetime.date) -> None:
    """Let the clock read noon UTC of `day` (Paris's calendar day too)."""
    noon = datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: noon)


def history() -> list[tuple]:
    changes = ItemAmountChange.objects.order_by("item__number", "day", "id")
    return list(changes.values_list("item__number", "day", "open_amount_after", "delta"))


def test_two_imports_on_two_days_keep_each_open_amount_with_its_day(acme, tmp_path, monkeypatch):
    CustomerFactory(entity=acme, external_id="C001")
    first, second = datetime.date(2026, 3, 2), datetime.date(2026, 3, 5)
    f1 = ["C001", "invoice", "F1", "2026-02-01", "2026-03-03", "100", "100", "EUR"]
    f2 = ["C001", "invoice", "F2", "2026-01-10", "2026-02-10", "80", "0", "EUR"]
    a1 = ["C001", "credit_note", "A1", "2026-02-15", "", "30", "30", "EUR"]
    on_day(monkeypatch, first)
    run("items", write_csv(tmp_path / "a.csv", [ITEM_HEADER, f1, f2, a1]), acme)

    f1[6] = "40"  # a partial payment of 60
    f3 = ["C001", "invoice", "F3", "2026-03-04", "2026-04-03", "250", "250", "EUR"]
    on_day(monkeypatch, second)
    run("items", write_csv(tmp_path / "b.csv", [ITEM_HEADER, f1, f2, a1, f3]), acme)

    assert history() == [
        ("A1", first, D("30.00"), D("30.00")),
        ("F1", first, D("100.00"), D("100.00")),
        ("F1", second, D("40.00"), D("-60.00")),
        ("F2", first, D("0.00"), D("0.00")),  # arrived settled: known since, not when paid
        ("F3", second, D("250.00"), D("250.00")),
    ]
    assert set(ItemAmountChange.objects.values_list("entity", flat=True)) == {acme.pk}

    f1[6] = "0"
    on_day(monkeypatch, second + datetime.timedelta(days=1))
    batch = run("items", write_csv(tmp_path / "c.csv", [ITEM_HEADER, f1, f2, a1, f3]), acme)
    assert (batch.updated, batch.unchanged) == (1, 3)
    assert history()[2:4] == [
        ("F1", second, D("40.00"), D("-60.00")),
        ("F1", datetime.date(2026, 3, 6), D("0.00"), D("-40.00")),
    ]
    assert Item.objects.get(number="F1").settled_on == datetime.date(2026, 3, 6)


def test_a_dry_run_or_a_failed_file_keeps_no_history(acme, tmp_path):
    CustomerFactory(entity=acme, external_id="C001")
    run("items", write_csv(tmp_path / "a.csv", [ITEM_HEADER, *item_rows(3)]), acme, dry_run=True)
    bad = [*item_rows(2), ["C999", "invoice", "X", "2026-01-01", "2026-01-31", "1", "1", "EUR"]]
    run("items", write_csv(tmp_path / "b.csv", [ITEM_HEADER, *bad]), acme)
    assert not ItemAmountChange.objects.exists()


def _queries_to_import(acme, tmp_path, count: int, start: int) -> int:
    rows = item_rows(count, start=start)
    run("items", write_csv(tmp_path / f"new{start}.csv", [ITEM_HEADER, *rows]), acme)
    for row in rows:
        row[6] = "10.00"
    with CaptureQueriesContext(connection) as queries:
        run("items", write_csv(tmp_path / f"paid{start}.csv", [ITEM_HEADER, *rows]), acme)
    return len(queries)


@pytest.mark.django_db
def test_history_is_written_set_based(acme, tmp_path):
    CustomerFactory(entity=acme, external_id="C001")
    few = _queries_to_import(acme, tmp_path, 3, start=0)
    many = _queries_to_import(acme, tmp_path, 300, start=100)
    assert few == many
    assert ItemAmountChange.objects.count() == 2 * 303
