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


def test_the_step_editor_offers_what_fits_the_step(live_server, page, standard, bob, log_in):
    """The templates of the step's channel only (as the channel changes), and the people who
    may work the step in a searchable list: no administrator, no read-only user."""
    from relance.accounts.tests.factories import UserFactory

    MessageTemplateFactory(name="Short SMS", channel="sms")
    UserFactory(username="root", first_name="Rootadmin", role="administrator", all_entities=True)
    UserFactory(username="dave", first_name="Davereader", role="read_only", all_entities=True)
    log_in()
    page.goto(live_server.url + standard.get_absolute_url())
    page.locator(".timeline-marker[data-step='2']").get_by_role("link").click()
    panel = page.locator("#step-panel")
    template = panel.locator("select[name=template]")
    expect(template).to_be_visible()

    def offered() -> list[str]:
        return template.evaluate(
            "s => Array.from(s.options).filter(o => o.value && !o.hidden).map(o => o.text)"
        )

    assert offered() == ["First reminder (Email)"]
    panel.locator("select[name=channel]").select_option("sms")
    assert offered() == ["Short SMS (SMS)"]
    assert template.input_value() == ""  # the email template left with its channel

    people = panel.locator("select[name=responsible_users] + .ts-wrapper input")
    people.click()
    people.press_sequentially("Bo")
    expect(page.locator(".ts-dropdown .option", has_text="Bob")).to_be_visible()
    people.fill("")
    people.press_sequentially("Root")
    expect(page.locator(".ts-dropdown .option", has_text="Rootadmin")).to_have_count(0)
    people.fill("")
    people.press_sequentially("Dave")
    expect(page.locator(".ts-dropdown .option", has_text="Davereader")).to_have_count(0)


def test_steps_on_the_same_day_do_not_overlap_on_the_timeline(
    live_server, page, acme, alice, log_in
):
    email = MessageTemplateFactory(name="Reminder", channel="email")
    scenario = ScenarioFactory(
        name="Crowded",
        steps=[
            {"name": "Courtesy reminder before the due date", "offset_days": 0, "template": email},
            {"name": "Second courtesy reminder to the buyer", "offset_days": 0, "template": email},
            {
                "name": "Call the accounts payable department",
                "channel": "call",
                "mode": "manual",
                "offset_days": 1,
            },
        ],
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in()
    page.goto(live_server.url + scenario.get_absolute_url())
    boxes = [page.locator(f".timeline-marker[data-step='{n}']").bounding_box() for n in (1, 2, 3)]

    def overlap(a, b) -> bool:
        return (
            a["x"] < b["x"] + b["width"]
            and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"]
            and b["y"] < a["y"] + a["height"]
        )

    pairs = [(i, j) for i in range(3) for j in range(i + 1, 3) if overlap(boxes[i], boxes[j])]
    assert pairs == [], boxes
