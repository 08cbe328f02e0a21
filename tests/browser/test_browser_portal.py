"""The customer's page in Chromium at a phone's width (390 px): nothing wider than the
screen, an answer sent with the keyboard-reachable form, French and English."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from relance.customers.tests.factories import ContactFactory, CustomerFactory
from relance.ledger.tests.factories import ItemFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page_path(acme):
    from relance.portal.services import portal_link_issue

    acme.legal_footer = "Acme France SAS, capital 10 000 €, RCS Paris 123 456 789"
    acme.save()
    today = acme.today()
    dupont = CustomerFactory(entity=acme, name="Dupont SA", language="fr")
    ContactFactory(customer=dupont)
    for number, days in (("F-2026-000123", 45), ("F-2026-000124", 5)):
        ItemFactory(
            customer=dupont,
            number=number,
            amount=Decimal("12345.67"),
            issue_date=today - datetime.timedelta(days=days + 30),
            due_date=today - datetime.timedelta(days=days),
        )
    url = portal_link_issue(customer=dupont)
    return "/p/" + url.rstrip("/").rsplit("/", 1)[1] + "/"


def test_the_page_fits_a_phone_and_takes_a_promise(live_server, page, page_path):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + page_path)
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("cell", name="F-2026-000123")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.locator("summary").nth(1).click()
    form = page.locator("form[action*='/answer/promise/']")
    form.get_by_label("F-2026-000123").check()
    soon = datetime.date.today() + datetime.timedelta(days=7)
    form.locator("input[type=date]").fill(soon.isoformat())
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    expect(page.locator("#done")).to_be_visible()  # the CSRF check passed with Origin: null
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.locator("a[hreflang=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Your open items")).to_be_visible()
