"""The Insights dashboard in Chromium, in English then in French: the ECharts charts are
drawn (a canvas in each, no error in the console), the figures read in the page's language,
and a drill-down link leads to the customers behind a figure, then to a customer's page."""

import re

import pytest
from playwright.sync_api import expect

from relance.insights.services import snapshots_backfill
from relance.insights.tests.conftest import TODAY, day, ledger  # noqa: F401 - the fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def backfilled(acme, ledger):  # noqa: F811 - the fixture imported above
    snapshots_backfill(entity=acme, start=day(12, 1, 2025), end=TODAY)
    return ledger


@pytest.fixture
def console_errors(page):
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def charts_drawn(page) -> None:
    for name in ("days", "percent", "aging"):
        chart = page.locator(f"#chart-{name}")
        expect(chart).to_have_attribute("data-drawn", "true")
        expect(chart.locator("canvas")).to_have_count(1)


def test_dashboard_charts_and_drill_down_in_english_and_french(
    live_server, page, backfilled, alice, log_in, console_errors, switch_language
):
    log_in("alice", start="/insights/?start=2026-01&end=2026-03")
    expect(page.get_by_role("heading", name="Insights", exact=True)).to_be_visible()
    charts_drawn(page)
    expect(page.locator("#figure-dso_simple .figure-value")).to_have_text("48.6")
    expect(page.locator("#figure-overdue_ratio .figure-value")).to_have_text("36.2%")
    page.locator("#figure-dso_countback summary").click()
    expect(page.locator("#figure-dso_countback details")).to_contain_text("until a month's sales")

    # The 31–60 days bucket of 31 March: Dupont alone (F2, 1,200), then his page.
    page.locator("#bucket-d31_60").click()
    expect(page).to_have_url(re.compile(r"/insights/customers/\?.*amount=d31_60"))
    results = page.locator("#list-results table")
    expect(results.get_by_role("link", name="Dupont SA")).to_be_visible()
    expect(results.get_by_role("link", name="Boulangerie Martin")).to_have_count(0)
    results.get_by_role("link", name="Dupont SA").click()
    expect(page).to_have_url(re.compile(rf"/customers/{backfilled['dupont'].pk}/$"))

    switch_language("fr")
    page.goto(live_server.url + "/insights/?start=2026-01&end=2026-03")
    expect(page.get_by_role("heading", name="Analyses", exact=True)).to_be_visible()
    charts_drawn(page)
    expect(page.locator("#figure-dso_simple .figure-value")).to_have_text("48,6")
    expect(page.locator("#figure-overdue_ratio .figure-value")).to_have_text("36,2\xa0%")
    expect(page.locator("#months-table")).to_contain_text("mars 2026")
    page.locator("#figure-add .figure-value").click()  # ADD: the overdue customers
    expect(page.locator("#drill-title")).to_contain_text("Échu au 31/03/2026")
    expect(page.locator("#list-results").get_by_role("link", name="Dupont SA")).to_be_visible()
    assert console_errors == []


def test_a_filtered_chart_speaks_french(
    live_server, page, backfilled, alice, log_in, console_errors, switch_language
):
    """Martin's collector alone, in French: the chart draws his figures (March: DSO 31.0 by
    both methods, docs/insights.md), its axes and tooltip in French."""
    martin = backfilled["martin"]
    martin.collector = alice
    martin.save(update_fields=["collector"])
    snapshots_backfill(entity=martin.entity, start=day(12, 1, 2025), end=TODAY)  # his totals
    log_in("alice", start="/insights/")
    switch_language("fr")
    page.goto(f"{live_server.url}/insights/?collector={alice.pk}&start=2026-03&end=2026-03")
    charts_drawn(page)
    option = page.evaluate(
        "() => { const o = echarts.getInstanceByDom(document.getElementById('chart-days'))"
        ".getOption(); return {y: o.yAxis[0].name, x: o.xAxis[0].name,"
        " values: o.series.map((s) => s.data)}; }"
    )
    assert option["y"] == "Jours" and option["x"] == "Mois"
    assert option["values"][:2] == [[31.0], [31.0]]
    page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('chart-days'))"
        ".dispatchAction({type: 'showTip', seriesIndex: 1, dataIndex: 0})"
    )
    tooltip = page.locator("#chart-days div").filter(has_text="mars 2026").last
    expect(tooltip).to_contain_text("DSO, méthode simple : 31,0")
    assert console_errors == []
