"""The customer page as a workbench in Chromium: a collector puts a customer on hold from
its page, the engine's next daily run cancels the pending action "on hold", and the
invoice's page shows it."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from relance.agenda.models import Action
from relance.engine.runner import run_day
from relance.engine.tests.conftest import make_customer, make_invoice
from relance.scenarios.tests.factories import ScenarioFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DAY = datetime.timedelta(days=1)


@pytest.fixture
def pending(acme, bob):
    acme.working_days = "mon,tue,wed,thu,fri,sat,sun"
    acme.holidays_country = ""
    acme.default_scenario = ScenarioFactory(
        name="Calls", steps=[{"name": "Friendly call", "channel": "call", "mode": "manual"}]
    )
    acme.save()
    dupont = make_customer(acme, name="Dupont SA", collector=bob)
    make_invoice(dupont, "F-DUP-1", acme.today() - 20 * DAY)
    run_day(entity=acme, day=acme.today())
    return Action.objects.get(customer=dupont)


def test_collector_holds_a_customer_and_the_next_run_cancels_its_action(
    live_server, page, pending, acme, log_in
):
    customer = pending.customer
    log_in("bob", start=customer.get_absolute_url())
    card = page.locator("#workbench")
    expect(card.get_by_role("heading", name="Pending action")).to_be_visible()
    expect(card).to_contain_text("Friendly call")

    card.get_by_text("Put on hold").click()
    until = (acme.today() + 10 * DAY).isoformat()
    card.get_by_label("Reason for the hold").fill("Lawyer on it")
    card.get_by_label("Until (optional)").fill(until)
    card.get_by_role("button", name="Hold the customer").click()

    # The page reloads with the hold, the message and the timeline's line.
    alert = page.locator(".alert-warning")
    expect(alert).to_contain_text("On hold")
    expect(alert).to_contain_text("Lawyer on it")
    expect(page.get_by_text("the next run cancels its pending action")).to_be_visible()
    expect(page.locator(".customer-timeline")).to_contain_text("Put on hold until")

    # The engine's next daily run for Acme, then the invoice's page.
    run_day(entity=acme, day=acme.today() + DAY)
    page.reload()
    expect(page.locator("#workbench")).not_to_contain_text("Pending action")
    page.locator("table.open-items").get_by_role("link", name="F-DUP-1").click()
    expect(page).to_have_url(re.compile(rf"/agenda/items/{pending.reference_id}/$"))
    row = page.locator(".item-history tbody tr").first
    expect(row).to_contain_text("Friendly call")
    expect(row).to_contain_text("Cancelled (on hold)")


def test_invalid_end_date_is_refused_in_the_card(live_server, page, pending, acme, log_in):
    log_in("bob", start=pending.customer.get_absolute_url())
    card = page.locator("#workbench")
    card.get_by_text("Put on hold").click()
    card.get_by_label("Reason for the hold").fill("Lawyer on it")
    card.get_by_label("Until (optional)").fill((acme.today() - DAY).isoformat())
    card.get_by_role("button", name="Hold the customer").click()
    expect(page.locator("#workbench")).to_contain_text("The end of the hold cannot be in the past.")
    expect(page.locator(".alert-warning")).to_have_count(0)


def test_collector_opens_a_dispute_on_an_invoice_from_the_card(live_server, page, pending, log_in):
    log_in("bob", start=pending.customer.get_absolute_url())
    card = page.locator("#workbench")
    card.get_by_text("Open or clear a dispute, record a promise").click()
    card.get_by_label("F-DUP-1").check()
    card.get_by_label("Operation").select_option(label="Open a dispute")
    card.get_by_role("button", name="Record").click()
    # Refused in place: the card comes back with the reason asked for, the item still ticked.
    expect(card).to_contain_text("A dispute needs a reason.")
    expect(card.get_by_label("F-DUP-1")).to_be_checked()
    card.get_by_label("Dispute reason").fill("Wrong price")
    card.get_by_role("button", name="Record").click()
    expect(page.locator("table.open-items")).to_contain_text("Disputed")
    expect(page.locator(".customer-timeline")).to_contain_text("Dispute opened on F-DUP-1")
