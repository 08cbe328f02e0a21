"""Alerts in Chromium: bob builds his own alert rule over credit insurance, watches the live
count, saves, and sees it list the right customers (and not the others) with the figure
that matched; the menu's badge counts them."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from relance.alerts.models import AlertRule
from relance.customers.tests.factories import CustomerFactory
from relance.ledger.tests.factories import ItemFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DAY = datetime.timedelta(days=1)


@pytest.fixture
def insured(acme, globex, bob):
    """Acme France: "Expiring" insured until in 12 days, "Lapsed" whose insurance ended 5
    days ago, "Uninsured"; Globex UK (which bob does not see): "Abroad", expiring too."""
    today = acme.today()
    for entity, name, expires in (
        (acme, "Expiring SA", today + 12 * DAY),
        (acme, "Lapsed SARL", today - 5 * DAY),
        (acme, "Uninsured SAS", None),
        (globex, "Abroad Ltd", today + 3 * DAY),
    ):
        customer = CustomerFactory(
            entity=entity,
            name=name,
            insurer="Coface" if expires else "",
            insured_amount=Decimal("10000") if expires else None,
            insurance_expires_on=expires,
        )
        ItemFactory(
            customer=customer,
            amount=Decimal("3000"),
            issue_date=today - 40 * DAY,
            due_date=today - 10 * DAY,
        )


def test_create_an_alert_rule_and_see_it_list_the_right_customers(
    live_server, page, insured, log_in
):
    log_in("bob")
    page.get_by_role("navigation").get_by_role("link", name="My alerts").click()
    page.get_by_role("link", name="New alert").click()
    page.get_by_label("Name").fill("Insurance ending soon")

    count = page.locator("#live-count")
    first = page.locator(".rule-row").nth(0)
    first.get_by_label("Field").select_option(label="Days until the insurance expires")
    first.get_by_label("Comparison").select_option(label="at most")
    first.get_by_label("Value").press_sequentially("30")
    # Expiring (12 days) and Lapsed (-5 days); Abroad is not bob's to see.
    expect(count).to_have_text("2 customers match now")

    page.get_by_role("button", name="Add a rule").click()
    second = page.locator(".rule-row").nth(1)
    second.get_by_label("Field").select_option(label="Days until the insurance expires")
    second.get_by_label("Comparison").select_option(label="at least")
    second.get_by_label("Value").press_sequentially("0")
    expect(count).to_have_text("1 customer matches now")

    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Alert “Insurance ending soon” saved")
    expect(page.get_by_role("heading", name="Insurance ending soon")).to_be_visible()
    hits = page.locator(".alert-hit")
    expect(hits).to_have_count(1)
    expect(hits.first).to_contain_text("Expiring SA")
    expect(hits.first).to_contain_text("Days until the insurance expires: in 12 days")
    table = page.locator(".alert-hits")
    for other in ("Lapsed SARL", "Uninsured SAS", "Abroad Ltd"):
        expect(table).not_to_contain_text(other)
    expect(page.locator(".menu-alerts")).to_have_text("1")

    rule = AlertRule.objects.get(owner__username="bob")
    assert rule.criteria["rules"] == [
        {"field": "insurance_expires_in", "lookup": "lte", "value": 30},
        {"field": "insurance_expires_in", "lookup": "gte", "value": 0},
    ]

    # The customer opens from the alert.
    hits.first.get_by_role("link", name="Expiring SA").click()
    expect(page.locator(".credit-insurance")).to_contain_text("Coface")
