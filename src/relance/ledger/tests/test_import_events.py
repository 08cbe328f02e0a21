"""An import leaves one timeline event per customer it changed, by whoever ran it, with what
it did to that customer; written set-based, within the import's query budget."""

from datetime import date

import pytest

from relance.activity.models import CustomerEvent
from relance.customers.tests.factories import CustomerFactory
from relance.ledger.tests.factories import ItemFactory
from relance.ledger.tests.test_import_queries import QUERY_BUDGET
from relance.ledger.tests.test_importers import ITEM_HEADER, run, write_csv

pytestmark = pytest.mark.django_db


def _events() -> dict[str, CustomerEvent]:
    events = CustomerEvent.objects.select_related("customer", "user")
    return {event.customer.external_id: event for event in events}


def _item(customer, kind, number, amount="100.00", open_amount="100.00", due="2026-01-31"):
    return [customer, kind, number, "2026-01-01", due, amount, open_amount, "EUR"]


@pytest.fixture
def customers(acme):
    return [CustomerFactory(entity=acme, external_id=f"C00{n}") for n in (1, 2, 3)]


def test_one_event_per_customer_with_what_was_added(acme, alice, customers, tmp_path):
    rows = [
        _item("C001", "invoice", "F1"),
        _item("C001", "invoice", "F2"),
        _item("C001", "payment", "P1", due=""),
        _item("C002", "credit_note", "A1", due=""),
    ]
    path = write_csv(tmp_path / "items.csv", [ITEM_HEADER, *rows])
    batch = run("items", path, acme, acting_user=alice)
    events = _events()
    assert set(events) == {"C001", "C002"}  # C003: nothing in the file
    first = events["C001"]
    assert (first.kind, first.user, first.entity, first.day) == (
        "import_changed",
        alice,
        acme,
        acme.today(),
    )
    assert first.data == {
        "import": "items",
        "batch": batch.pk,
        "file": "items.csv",
        "by": "Alice",
        "added": {"invoice": 2, "payment": 1},
    }
    assert events["C002"].data["added"] == {"credit_note": 1}


def test_a_reimport_counts_changes_and_settled_invoices(acme, customers, tmp_path):
    for customer, number in ((customers[0], "F1"), (customers[0], "F2"), (customers[1], "F3")):
        ItemFactory(customer=customer, number=number, amount=100, due_date=date(2026, 1, 31))
    rows = [
        _item("C001", "invoice", "F1", open_amount="0.00"),
        _item("C001", "invoice", "F2", due="2026-02-28"),
        _item("C002", "invoice", "F3"),
    ]
    run("items", write_csv(tmp_path / "again.csv", [ITEM_HEADER, *rows]), acme)
    events = _events()
    assert set(events) == {"C001"}  # F3 is unchanged
    event = events["C001"]
    assert event.user is None and "by" not in event.data  # run by the system
    assert (event.data["changed"], event.data["settled"]) == (2, 1)
    assert event.data["fields"] == {"open_amount": 1, "due_date": 1}
    assert "added" not in event.data


def test_one_event_per_customer_across_chunks(acme, customers, tmp_path, monkeypatch):
    monkeypatch.setattr("relance.ledger.importers.CHUNK_ROWS", 2)
    rows = [_item("C001", "invoice", f"F{n}") for n in range(5)]
    run("items", write_csv(tmp_path / "items.csv", [ITEM_HEADER, *rows]), acme)
    [event] = CustomerEvent.objects.all()
    assert event.data["added"] == {"invoice": 5}


def test_a_dry_run_or_a_file_with_errors_writes_no_event(acme, customers, tmp_path):
    good = write_csv(tmp_path / "good.csv", [ITEM_HEADER, _item("C001", "invoice", "F1")])
    bad = write_csv(
        tmp_path / "bad.csv",
        [ITEM_HEADER, _item("C001", "invoice", "F1"), _item("C404", "invoice", "F2")],
    )
    assert run("items", good, acme, dry_run=True).errors == []
    assert run("items", bad, acme).errors != []
    assert not CustomerEvent.objects.exists()


def test_customer_import_says_created_or_which_fields_changed(acme, bob, tmp_path):
    CustomerFactory(entity=acme, external_id="C001", name="Old name", city="Paris")
    CustomerFactory(entity=acme, external_id="C002", name="Same", city="Paris")
    rows = [
        ["external_id", "name", "city", "tags"],
        ["C001", "New name", "Paris", "key account"],
        ["C002", "Same", "Paris", ""],
        ["C003", "Brand new", "Lyon", ""],
    ]
    run("customers", write_csv(tmp_path / "c.csv", rows), acme, acting_user=bob)
    events = _events()
    assert set(events) == {"C001", "C003"}
    assert events["C001"].data["fields"] == ["name", "tags"]
    assert events["C003"].data["created"] is True
    assert {event.user for event in events.values()} == {bob}


def test_contact_import_counts_added_and_changed_contacts(acme, tmp_path):
    CustomerFactory(entity=acme, external_id="C001")
    header = ["customer_external_id", "email", "job_title"]
    first = [header, ["C001", "a@example.com", "AP"], ["C001", "b@example.com", "AP"]]
    run("contacts", write_csv(tmp_path / "k.csv", first), acme)
    again = [header, ["C001", "a@example.com", "CFO"], ["C001", "c@example.com", "AP"]]
    run("contacts", write_csv(tmp_path / "k2.csv", again), acme)
    events = CustomerEvent.objects.order_by("id")
    assert [event.data["file"] for event in events] == ["k.csv", "k2.csv"]
    assert [(e.data.get("added"), e.data.get("changed")) for e in events] == [(2, None), (1, 1)]


def test_events_of_many_customers_stay_within_the_query_budget(
    acme, tmp_path, django_assert_max_num_queries
):
    for n in range(300):
        CustomerFactory(entity=acme, external_id=f"K{n:03d}")
    rows = [_item(f"K{n % 300:03d}", "invoice", f"F{n}") for n in range(600)]
    path = write_csv(tmp_path / "items.csv", [ITEM_HEADER, *rows])
    with django_assert_max_num_queries(QUERY_BUDGET):
        batch = run("items", path, acme)
    assert batch.errors == []
    assert CustomerEvent.objects.count() == 300
    assert {event.data["added"]["invoice"] for event in CustomerEvent.objects.all()} == {2}
