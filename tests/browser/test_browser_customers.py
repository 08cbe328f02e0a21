"""The customer pages in Chromium: log in, search, open a customer, read its aging, go French."""

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from relance.customers.tests.factories import ContactFactory, CustomerFactory
from relance.ledger.tests.factories import ItemFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def customers(acme, alice):
    today = acme.today()
    dupont = CustomerFactory(entity=acme, name="Dupont SA", external_id="C-DUP")
    ContactFactory(customer=dupont, first_name="Claire", last_name="Durand")
    ItemFactory(
        customer=dupont,
        number="F-DUP-1",
        amount=Decimal("1200.00"),
        issue_date=today - datetime.timedelta(days=75),
        due_date=today - datetime.timedelta(days=45),
    )
    ItemFactory(
        customer=dupont,
        number="F-DUP-2",
        amount=Decimal("300.00"),
        issue_date=today,
        due_date=today + datetime.timedelta(days=30),
    )
    CustomerFactory(entity=acme, name="Martin SARL", external_id="C-MAR")
    return dupont


def test_search_open_customer_and_switch_to_french(
    live_server, page, customers, log_in, switch_language
):
    log_in(start="/customers/")
    expect(page.get_by_role("heading", name="Customers")).to_be_visible()
    table = page.locator("#list-results table")
    expect(table.get_by_role("link", name="Dupont SA")).to_be_visible()
    expect(table.get_by_role("link", name="Martin SARL")).to_be_visible()

    # "/" focuses the search field; typing filters the table through htmx.
    page.keyboard.press("/")
    expect(page.get_by_role("searchbox")).to_be_focused()
    page.keyboard.type("Dupont")
    expect(table.get_by_role("link", name="Martin SARL")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"q=Dupont"))

    table.get_by_role("link", name="Dupont SA").click()
    expect(page).to_have_url(re.compile(rf"/customers/{customers.pk}/$"))
    expect(page.locator("nav.navbar")).to_have_count(1)  # a whole page, not swapped into the list
    expect(page.get_by_role("heading", name=re.compile("Dupont SA"))).to_be_visible()
    expect(page.locator("table.open-items")).to_contain_text("F-DUP-1")
    expect(page.locator("table.open-items")).to_contain_text("F-DUP-2")
    expect(page.locator(".aging-chart")).to_contain_text("31–60 days")
    expect(page.locator(".aging-chart")).to_contain_text("€1,200.00")
    expect(page.locator(".contacts")).to_contain_text("Claire Durand")

    switch_language("fr")
    nav = page.get_by_role("navigation", name="Menu principal")
    expect(nav.get_by_role("link", name="Clients", exact=True)).to_be_visible()
    expect(page.get_by_text("Balance âgée des factures ouvertes").first).to_be_visible()
    expect(page.locator(".aging-chart")).to_contain_text("31 à 60 jours")
    nav.get_by_role("link", name="Clients", exact=True).click()
    expect(page.get_by_role("heading", name="Clients")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Encours")).to_be_visible()


def test_keyboard_moves_and_opens_rows(live_server, page, customers, log_in):
    log_in(start="/customers/")
    table = page.locator("#list-results table")
    table.get_by_role("link", name="Martin SARL").wait_for()
    page.get_by_role("columnheader", name="Name").get_by_role("link").click()  # sort Z to A
    expect(table.locator("tbody tr").first).to_contain_text("Martin SARL")
    expect(page.locator("nav.navbar")).to_have_count(1)
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(table.locator("tbody tr.row-active")).to_contain_text("Dupont SA")
    page.keyboard.press("k")
    expect(table.locator("tbody tr.row-active")).to_contain_text("Martin SARL")
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/customers/{customers.pk}/$"))


def test_login_page_switches_language(live_server, page, db, switch_language):
    page.goto(live_server.url + "/login/")
    switch_language("fr")
    expect(page.get_by_role("heading", name="Connexion à Relance")).to_be_visible()
    expect(page.get_by_label("Mot de passe")).to_be_visible()
    switch_language("en")
    expect(page.get_by_role("heading", name="Log in to Relance")).to_be_visible()
