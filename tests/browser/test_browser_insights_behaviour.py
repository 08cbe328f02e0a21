"""The payment behaviour card and the cash forecast chart in Chromium."""

import pytest
from playwright.sync_api import expect

from relance.core.models import Entity
from relance.insights.tests.ledgers import AS_OF, build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ledger(acme, alice, monkeypatch):
    monkeypatch.setattr(Entity, "today", lambda entity: AS_OF)
    return build(acme)


def test_the_customer_page_shows_the_payment_behaviour(live_server, page, ledger, log_in):
    log_in(start=ledger["martin"].get_absolute_url())
    card = page.locator("#payment-behaviour")
    expect(card).to_contain_text("Payment behaviour")
    expect(card.locator(".behaviour-days-to-pay")).to_have_text("36.5")
    expect(card.locator(".behaviour-promises")).to_contain_text("(1/3)")


def test_the_forecast_draws_a_chart_per_currency(live_server, page, ledger, log_in):
    log_in(start="/insights/forecast/")
    expect(page.locator("#forecast-chart-EUR canvas")).to_have_count(1)
    expect(page.locator("#forecast-chart-USD canvas")).to_have_count(1)
    # ECharts' tooltip, in the page's language, over this week's bar.
    box = page.locator("#forecast-chart-EUR canvas").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.53, box["y"] + box["height"] * 0.6)
    expect(page.locator("#forecast-chart-EUR")).to_contain_text("€")
