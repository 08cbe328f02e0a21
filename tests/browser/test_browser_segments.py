"""Segments in Chromium: alice adds a rule in the rule builder, watches the live count of
matching customers change as she types, and saves."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from relance.customers.tests.factories import CustomerFactory
from relance.ledger.tests.factories import ItemFactory
from relance.scenarios.tests.factories import ScenarioFactory
from relance.segments.models import Segment
from relance.segments.services import segment_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def retail(acme, alice):
    """Three retail customers of Acme France, 500, 1,500 and 4,000 overdue by 40 days, a
    wholesale one, and the segment "Retail" (category is retail)."""
    today = acme.today()
    for name, category, amount in (
        ("Dupont SA", "retail", "500.00"),
        ("Martin SARL", "retail", "1500.00"),
        ("Petit SAS", "retail", "4000.00"),
        ("Grossiste SA", "wholesale", "9000.00"),
    ):
        customer = CustomerFactory(entity=acme, name=name, category=category)
        ItemFactory(
            customer=customer,
            amount=Decimal(amount),
            issue_date=today - datetime.timedelta(days=70),
            due_date=today - datetime.timedelta(days=40),
        )
    return segment_create(
        name="Retail",
        scenario=ScenarioFactory(name="Standard"),
        criteria={"op": "and", "rules": [{"field": "category", "lookup": "eq", "value": "retail"}]},
        priority=10,
    )


def test_add_a_rule_watch_the_live_count_and_save(live_server, page, retail, log_in):
    log_in()
    page.get_by_role("navigation").get_by_role("link", name="Segments").click()
    page.locator(".segment-list").get_by_role("link", name="Retail").click()
    expect(page.get_by_role("heading", name="Retail", exact=True)).to_be_visible()
    count = page.locator("#live-count")
    expect(count).to_have_text("3 customers match now")

    page.get_by_role("button", name="Add a rule").click()
    rule = page.locator(".rule-row").nth(1)
    rule.get_by_label("Field").select_option(label="Overdue amount")
    rule.get_by_label("Comparison").select_option(label="greater than")
    rule.get_by_label("Value").press_sequentially("1000")
    expect(count).to_have_text("2 customers match now")

    rule.get_by_label("Value").fill("")
    rule.get_by_label("Value").press_sequentially("abc")
    expect(count.locator(".live-count-errors")).to_contain_text(
        "Overdue amount: 'abc' is not an amount."
    )

    rule.get_by_label("Value").fill("")
    rule.get_by_label("Value").press_sequentially("2000")
    expect(count).to_have_text("1 customer matches now")

    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Segment “Retail” saved")
    assert Segment.objects.get(pk=retail.pk).criteria == {
        "op": "and",
        "rules": [
            {"field": "category", "lookup": "eq", "value": "retail"},
            {"field": "overdue_amount", "lookup": "gt", "value": "2000"},
        ],
    }


def test_removing_a_rule_updates_the_count(live_server, page, retail, log_in):
    log_in()
    page.goto(live_server.url + f"/segments/{retail.pk}/")
    count = page.locator("#live-count")
    expect(count).to_have_text("3 customers match now")
    page.get_by_role("button", name="Remove this rule").click()
    expect(count).to_have_text("4 customers match now")  # no rule: every customer
