import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from relance.accounts.tests.factories import UserFactory
from relance.customers.tests.factories import CustomerFactory
from relance.ledger.tests.factories import ItemFactory

ITEMS_URL = reverse("ledger:item-list")


def days_from_today(entity, days: int) -> datetime.date:
    return entity.today() + datetime.timedelta(days=days)


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    """A request in French leaves French active in this thread: reset it for later tests."""
    yield
    translation.deactivate()


@pytest.fixture
def items(acme, globex):
    dupont = CustomerFactory(entity=acme, name="Dupont SA", external_id="C-DUP")
    martin = CustomerFactory(entity=acme, name="Martin SARL", external_id="C-MAR")
    initech = CustomerFactory(entity=globex, name="Initech Ltd", external_id="G-INI")

    def make(customer, number, days, **kwargs):
        due = days_from_today(customer.entity, days)
        return ItemFactory(
            customer=customer,
            number=number,
            issue_date=due - datetime.timedelta(days=30),
            due_date=due,
            **kwargs,
        )

    make(dupont, "F-1", -40, amount=Decimal("100.00"), disputed=True)
    make(dupont, "F-2", 10, amount=Decimal("200.00"), blocked=True)
    make(dupont, "F-3", -5, amount=Decimal("50.00"), open_amount=Decimal("0"))  # settled
    make(martin, "F-4", -1, amount=Decimal("400.00"), currency="USD")
    # A credit note may carry a due date: it never counts as overdue.
    make(martin, "AV-1", -200, kind="credit_note", amount=Decimal("30.00"))
    make(initech, "G-1", -100, amount=Decimal("900.00"))
    return {"dupont": dupont, "martin": martin, "initech": initech}


def numbers(response) -> list[str]:
    return sorted(row.record.number for row in response.context["table"].paginated_rows)


def test_anonymous_is_sent_to_login(client):
    response = client.get(ITEMS_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_open_items_by_default(client, alice, items):
    client.force_login(alice)
    response = client.get(ITEMS_URL)
    assert response.status_code == 200
    assert numbers(response) == ["AV-1", "F-1", "F-2", "F-4", "G-1"]


def test_bob_never_sees_globex_items(client, bob, items, globex):
    client.force_login(bob)
    response = client.get(ITEMS_URL)
    assert numbers(response) == ["AV-1", "F-1", "F-2", "F-4"]
    assert "Initech" not in response.content.decode()
    form = response.context["filterset"].form
    assert [e.name for e in form.fields["entity"].queryset] == ["Acme France"]
    assert numbers(client.get(ITEMS_URL, {"q": "G-1"})) == []
    assert numbers(client.get(ITEMS_URL, {"customer": "Initech"})) == []
    refused = client.get(ITEMS_URL, {"entity": globex.pk})
    assert refused.status_code == 400 and "G-1" not in refused.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "settled"}, ["F-3"]),
        ({"status": ""}, ["AV-1", "F-1", "F-2", "F-3", "F-4", "G-1"]),
        ({"kind": "credit_note"}, ["AV-1"]),
        ({"currency": "USD"}, ["F-4"]),
        ({"currency": "gbp"}, ["G-1"]),
        ({"overdue": "true"}, ["F-1", "F-4", "G-1"]),
        ({"overdue": "false"}, ["AV-1", "F-2"]),
        ({"disputed": "true"}, ["F-1"]),
        ({"blocked": "true"}, ["F-2"]),
        ({"customer": "C-DUP"}, ["F-1", "F-2"]),
        ({"customer": "martin"}, ["AV-1", "F-4"]),
        ({"q": "F-"}, ["F-1", "F-2", "F-4"]),
    ],
)
def test_filters(client, alice, items, query, expected):
    client.force_login(alice)
    assert numbers(client.get(ITEMS_URL, query)) == expected


def test_due_date_range(client, alice, items, acme):
    client.force_login(alice)
    query = {
        "due_date_after": days_from_today(acme, -50).isoformat(),
        "due_date_before": days_from_today(acme, -2).isoformat(),
    }
    assert numbers(client.get(ITEMS_URL, query)) == ["F-1"]


@pytest.mark.parametrize(
    ("sort", "first"),
    [
        ("due_date", "AV-1"),
        ("-due_date", "F-2"),
        ("-days_overdue", "G-1"),
        ("-open_amount", "G-1"),
        ("number", "AV-1"),
        ("customer", "F-1"),
    ],
)
def test_sorting(client, alice, items, sort, first):
    client.force_login(alice)
    response = client.get(ITEMS_URL, {"sort": sort})
    assert next(iter(response.context["table"].paginated_rows)).record.number == first


def test_htmx_request_gets_the_table_only(client, alice, items):
    client.force_login(alice)
    response = client.get(
        ITEMS_URL, {"kind": "invoice"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="list-results"
    )
    assert "<html" not in response.content.decode()
    assert "F-1" in response.content.decode()


def test_csv_export_is_scoped_and_filtered(client, bob, items):
    client.force_login(bob)
    response = client.get(ITEMS_URL, {"export": "csv", "sort": "number"})
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(content)))
    assert [row[0] for row in rows] == ["AV-1", "F-1", "F-2", "F-4"]
    first_invoice = dict(zip(header, rows[1], strict=True))
    assert first_invoice["Open amount"] == "100.00"
    assert first_invoice["Days overdue"] == "40"
    assert first_invoice["Disputed"] == "Yes"
    assert first_invoice["Customer number"] == "C-DUP"
    assert "Status" not in header
    only_usd = client.get(ITEMS_URL, {"export": "csv", "currency": "USD"})
    content = b"".join(only_usd.streaming_content).decode("utf-8-sig")
    assert [row[0] for row in csv.reader(io.StringIO(content))][1:] == ["F-4"]


def test_xlsx_export_is_scoped(client, bob, items):
    client.force_login(bob)
    response = client.get(ITEMS_URL, {"export": "xlsx", "status": "", "sort": "number"})
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["AV-1", "F-1", "F-2", "F-3", "F-4"]


def item_list_queries(client, customer, count: int) -> int:
    for _ in range(count):
        ItemFactory(customer=customer, due_date=days_from_today(customer.entity, -3))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(ITEMS_URL, {"overdue": "true"})
    assert response.status_code == 200
    return len(queries)


def test_item_list_queries_do_not_grow_with_rows(client, bob, acme, django_assert_max_num_queries):
    client.force_login(bob)
    few = item_list_queries(client, CustomerFactory(entity=acme), 5)
    many = item_list_queries(client, CustomerFactory(entity=acme), 45)
    assert few == many
    with django_assert_max_num_queries(10):
        client.get(ITEMS_URL, {"sort": "-days_overdue"})


def test_read_only_user_can_view(client, acme, items):
    viewer = UserFactory(username="rita", role="read_only")
    viewer.entities.set([acme])
    client.force_login(viewer)
    assert client.get(ITEMS_URL).status_code == 200


def test_a_passed_promise_on_an_open_item_is_shown_broken(client, alice, acme):
    customer = CustomerFactory(entity=acme, name="Promis SA")
    kept = days_from_today(acme, 3)
    broken = days_from_today(acme, -2)
    for number, promise in [("F-KEPT", kept), ("F-BROKEN", broken)]:
        ItemFactory(
            customer=customer,
            number=number,
            issue_date=days_from_today(acme, -60),
            due_date=days_from_today(acme, -30),
            promise_date=promise,
        )
    client.force_login(alice)
    customer_page = client.get(reverse("customers:detail", args=[customer.pk]))
    items_page = client.get(ITEMS_URL)
    for page in (customer_page, items_page):
        html = page.content.decode()
        assert f"Broken promise {broken.day} " in html and f"Promise {kept.day} " in html
        assert f"Promise {broken.day} " not in html.replace("Broken promise", "")
