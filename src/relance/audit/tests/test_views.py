"""The audit pages: administrators only, filters, per-object and per-user histories,
exports, and a query count that does not grow with the rows."""

import io
from datetime import timedelta

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from relance.accounts.tests.factories import UserFactory
from relance.customers.tests.factories import ContactFactory, CustomerFactory
from relance.ledger.tests.factories import ItemFactory
from relance.scenarios.tests.factories import ScenarioFactory

LIST = reverse("audit:list")


@pytest.fixture
def dana(db):
    """An administrator by role, not a superuser."""
    return UserFactory(username="dana", role="administrator")


@pytest.fixture
def trail(acme, alice, bob):
    """Changes by alice to a customer, its contact and item, and a lockout of bob."""
    with set_actor(alice):
        customer = CustomerFactory(entity=acme, name="Martin SARL", external_id="C1")
        customer.city = "Lyon"
        customer.save()
        contact = ContactFactory(customer=customer, last_name="Durand")
        item = ItemFactory(customer=customer, number="F-1")
        item.blocked = True
        item.save()
    LogEntry.objects.log_create(
        bob,
        action=LogEntry.Action.ACCESS,
        changes={"security": ["", "locked out"]},
        additional_data={"event": "locked out", "ip_address": "192.0.2.7"},
        force_log=True,
    )
    return customer, contact, item


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_only_administrators_read_the_trail(client, request, trail, who):
    customer = trail[0]
    client.force_login(request.getfixturevalue(who))
    urls = [
        LIST,
        LIST + "?export=csv",
        reverse("audit:object", args=["customers", "customer", customer.pk]),
        reverse("audit:user", args=[customer.collector_id or 1]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403
    page = client.get(customer.get_absolute_url()).content.decode()
    assert "Audit trail" not in page and urls[2] not in page


def test_administrator_sees_every_change_with_before_and_after(client, dana, trail):
    client.force_login(dana)
    response = client.get(LIST)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Audit trail" in html  # the menu link
    assert "Martin SARL (C1)" in html and "Lyon" in html and "Alice" in html
    assert "locked out" in html and "ip_address: 192.0.2.7" in html  # whatever the action


def test_filters_by_user_type_action_and_dates(client, dana, alice, bob, trail):
    client.force_login(dana)

    def objects(**query):
        response = client.get(LIST, query)
        entries = response.context["table"].page.object_list.data
        return sorted({entry.object_repr for entry in entries})

    assert objects(actor=bob.pk) == []
    assert "bob" not in objects(actor=alice.pk)
    assert objects(content_type=ContentType.objects.get_for_model(trail[0]).pk) == [
        "Martin SARL (C1)"
    ]
    assert objects(action=LogEntry.Action.ACCESS) == ["bob"]
    today = timezone.localdate()
    assert objects(timestamp_after=(today + timedelta(days=1)).isoformat()) == []
    assert "bob" in objects(timestamp_after=today.isoformat(), timestamp_before=today.isoformat())
    assert objects(q="durand") == ["Claire Durand"]


def test_object_history_includes_its_children(client, dana, trail):
    customer, contact, item = trail
    client.force_login(dana)
    response = client.get(reverse("audit:object", args=["customers", "customer", customer.pk]))
    entries = list(response.context["table"].page.object_list.data)
    assert {entry.object_repr for entry in entries} == {str(customer), str(contact), str(item)}
    html = response.content.decode()
    assert "History of Martin SARL (C1)" in html and customer.get_absolute_url() in html
    # A deleted child is still found by the id of its parent kept with its entries.
    scenario = ScenarioFactory(name="Standard", steps=[{"name": "first"}, {"name": "second"}])
    scenario.steps.get(name="second").delete()
    response = client.get(reverse("audit:object", args=["scenarios", "scenario", scenario.pk]))
    reprs = [(e.object_repr, e.action) for e in response.context["table"].page.object_list.data]
    assert sum(1 for _, action in reprs if action == LogEntry.Action.DELETE) == 1
    assert client.get(reverse("audit:object", args=["nope", "nothing", 1])).status_code == 404


def test_user_history_holds_their_changes_and_their_account(client, dana, alice, bob, trail):
    client.force_login(dana)
    response = client.get(reverse("audit:user", args=[bob.pk]))
    entries = response.context["table"].page.object_list.data
    assert {e.object_repr for e in entries} == {"bob"}
    assert LogEntry.Action.ACCESS in {e.action for e in entries}
    response = client.get(reverse("audit:user", args=[alice.pk]))
    entries = response.context["table"].page.object_list.data
    assert [str(e) for e in entries] == [
        "Updated Invoice F-1",
        "Created Invoice F-1",
        "Created Claire Durand",
        "Updated Martin SARL (C1)",
        "Created Martin SARL (C1)",
        "Created alice",  # her account, made by the fixture
    ]
    assert client.get(reverse("audit:user", args=[99999])).status_code == 404


def test_history_link_on_the_customer_page_for_administrators(client, dana, trail):
    customer = trail[0]
    client.force_login(dana)
    html = client.get(customer.get_absolute_url()).content.decode()
    assert reverse("audit:object", args=["customers", "customer", customer.pk]) in html


def test_exports_contain_the_rows(client, dana, trail):
    client.force_login(dana)
    response = client.get(LIST, {"export": "csv"})
    text = b"".join(response.streaming_content).decode()
    assert text.splitlines()[0].lstrip("\ufeff").startswith("When,Who,Action,Type,Object,Changes")
    assert "Martin SARL (C1)" in text and "city: Paris → Lyon" in text
    assert "event: locked out; ip_address: 192.0.2.7" in text
    response = client.get(LIST, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("When", "Who", "Action")
    assert len(rows) == 1 + LogEntry.objects.count()
    assert any(row[5] and "blocked: No → Yes" in row[5] for row in rows)


def test_the_list_does_not_query_per_row(client, dana, acme, alice, django_assert_max_num_queries):
    client.force_login(dana)
    with set_actor(alice):
        for number in range(3):
            CustomerFactory(entity=acme, collector=alice, name=f"Customer {number}")
    client.get(LIST)  # warm the content-type cache
    with django_assert_max_num_queries(12) as few:
        client.get(LIST)
    with set_actor(alice):
        for number in range(40):
            CustomerFactory(entity=acme, collector=alice, name=f"More {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    assert len(response.context["table"].page.object_list) == LogEntry.objects.count() > 43


@pytest.mark.parametrize(
    "url",
    [
        "/audit/customers/customer/99999999999999999999999/",
        "/audit/scenarios/scenario/9223372036854775808/",
        "/audit/users/99999999999999999999999/",
        "/audit/?actor=abc&content_type=abc&action=9&timestamp_after=abc&sort=zz&export=pdf",
        "/audit/?actor=99999999999999999999999&content_type=-1&q=%00",
    ],
)
def test_hostile_input_gets_no_500(client, dana, trail, url):
    client.force_login(dana)
    assert client.get(url).status_code in (200, 400, 404)
