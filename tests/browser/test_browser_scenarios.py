"""Scenarios in Chromium: alice edits a step in the side panel and sees the timeline redrawn
in place (no full reload), then moves a step down with the arrow buttons."""

import pytest
from playwright.sync_api import expect

from relance.scenarios.tests.factories import ScenarioFactory
from relance.templating.tests.factories import MessageTemplateFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def standard(acme, alice):
    email = MessageTemplateFactory(name="First reminder", channel="email")
    return ScenarioFactory(
        name="Standard",
        steps=[
            {"name": "Courtesy", "offset_days": -5, "template": email},
            {"name": "First reminder", "offset_days": 3, "template": email},
            {"name": "Phone call", "channel": "call", "mode": "manual", "offset_days": 25},
        ],
    )


def mark_page(page):
    """A flag on `window` that a full reload would wipe out."""
    page.evaluate("window.noReload = true")


def not_reloaded(page) -> bool:
    return page.evaluate("window.noReload === true")


def step_names(page) -> list[str]:
    return page.locator(".step-table tbody td.step-name").all_inner_texts()


def test_edit_a_step_in_the_side_panel_and_see_the_timeline(live_server, page, standard, log_in):
    log_in()
    page.goto(live_server.url + standard.get_absolute_url())
    expect(page.get_by_role("heading", name="Standard")).to_be_visible()
    expect(page.locator("#step-panel")).to_be_hidden()  # the steps use the whole width
    marker = page.locator(".timeline-marker[data-step='2']")
    expect(marker).to_contain_text("+3 · Email")
    left_before = marker.bounding_box()["x"]
    mark_page(page)

    marker.get_by_role("link").click()
    panel = page.locator("#step-panel")
    expect(panel.get_by_role("heading", name="Step 2: First reminder")).to_be_visible()
    expect(panel.get_by_label("Days", exact=True)).to_have_value("3")
    expect(page.locator("tr.step-current")).to_contain_text("First reminder")
    panel.get_by_label("Name").fill("Firm reminder")
    panel.get_by_label("Days", exact=True).fill("10")
    panel.get_by_role("button", name="Save").click()

    marker = page.locator(".timeline-marker[data-step='2']")
    expect(marker).to_contain_text("2. Firm reminder")
    expect(marker).to_contain_text("+10 · Email")
    assert marker.bounding_box()["x"] > left_before  # moved right on the axis
    expect(page.locator("tr[data-position='2']")).to_contain_text("+10 from due")
    expect(page.locator("#step-panel")).to_be_hidden()  # the panel closed with the save
    assert not_reloaded(page)
    standard.refresh_from_db()
    step = standard.steps.get(position=2)
    assert (step.name, step.offset_days) == ("Firm reminder", 10)


def test_reorder_steps_with_the_arrows(live_server, page, standard, log_in):
    # Steps of one anchor keep their order in time: on the same day, any order holds.
    standard.steps.update(offset_days=3)
    log_in()
    page.goto(live_server.url + standard.get_absolute_url())
    assert step_names(page) == ["Courtesy", "First reminder", "Phone call"]
    first_row = page.locator("tr[data-position='1']")
    expect(first_row.get_by_role("button", name="Move up")).to_be_disabled()
    mark_page(page)

    page.locator("tr[data-position='1']").get_by_role("button", name="Move down").click()
    expect(page.locator("tr[data-position='1'] td.step-name")).to_have_text("First reminder")
    assert step_names(page) == ["First reminder", "Courtesy", "Phone call"]
    expect(page.locator(".timeline-marker[data-step='2']")).to_contain_text("2. Courtesy")

    page.locator("tr[data-position='3']").get_by_role("button", name="Move up").click()
    expect(page.locator("tr[data-position='2'] td.step-name")).to_have_text("Phone call")
    assert step_names(page) == ["First reminder", "Phone call", "Courtesy"]
    assert not_reloaded(page)
    assert list(standard.steps.order_by("position").values_list("name", flat=True)) == [
        "First reminder",
        "Phone call",
        "Courtesy",
    ]
