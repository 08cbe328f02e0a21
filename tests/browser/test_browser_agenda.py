"""The agenda in Chromium: a collector works today's calls, confirms automatic actions at
once, filters by segment across tabs and exports the history."""

import datetime
import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from relance.agenda.models import Action
from relance.agenda.tests.test_views import make_action
from relance.scenarios.tests.factories import ScenarioFactory
from relance.segments.models import Segment, SegmentMembership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def agenda(acme, bob):
    scenario = ScenarioFactory(
        name="Standard", steps=[{"name": "call", "channel": "call", "mode": "manual"}]
    )
    call = make_action(acme, scenario, name="Dupont SA", responsible=bob)
    make_action(acme, scenario, name="Late SARL", due_offset=-2, responsible=bob)
    automatic = [
        make_action(
            acme,
            scenario,
            name=f"Auto {n}",
            mode="auto_confirm",
            channel="email",
            status="to_confirm",
            due_offset=1,
            responsible=bob,
            step_name="first",
        )
        for n in range(3)
    ]
    key = Segment.objects.create(name="Key accounts", scenario=scenario)
    done = make_action(
        acme, scenario, name="Key done", status="done", finished_on=acme.today(), responsible=bob
    )
    make_action(
        acme, scenario, name="Other done", status="done", finished_on=acme.today(), responsible=bob
    )
    SegmentMembership.objects.create(segment=key, customer=done.customer)
    return {"call": call, "automatic": automatic, "segment": key}


def test_collector_works_the_agenda(live_server, page, agenda, acme, log_in):
    log_in("bob")
    page.get_by_role("link", name="Collections").click()

    table = page.locator("#list-results table")
    expect(table.locator("tr.table-danger")).to_have_count(2)
    row = table.locator("tr", has_text="Dupont SA")
    expect(row.get_by_role("link", name="Dupont SA")).to_have_attribute(
        "href", f"/customers/{agenda['call'].customer_id}/"
    )
    row.get_by_role("link", name="call").click()  # the step opens the action

    promised = acme.today() + datetime.timedelta(days=5)
    page.get_by_label("Promise to pay").check()
    page.get_by_label("Promised payment date").fill(promised.isoformat())
    page.get_by_role("button", name="Record the call").click()
    expect(page.get_by_role("alert")).to_contain_text("Call recorded")
    agenda["call"].reference.refresh_from_db()
    assert agenda["call"].reference.promise_date == promised

    page.get_by_role("link", name=re.compile("Automatic actions")).click()
    for action in agenda["automatic"]:
        page.locator(f"input[name=actions][value='{action.pk}']").check()
    page.get_by_role("button", name="Confirm the selected actions").click()
    expect(page.get_by_role("alert")).to_contain_text("3 actions confirmed")
    assert Action.objects.filter(status="confirmed").count() == 3

    page.get_by_role("link", name="History").click()
    # The filters work through htmx, loaded at the end of the page: wait for the page's
    # load event, not only its URL, before choosing.
    page.wait_for_url(re.compile(r"/history/"), wait_until="load")
    expect(page.locator("#list-results")).to_contain_text("Other done")
    page.get_by_label("Segment").select_option(label="Key accounts")
    expect(page.locator("#list-results")).not_to_contain_text("Other done")
    page.get_by_role("link", name=re.compile("Manual actions")).click()
    page.wait_for_url(re.compile(r"/manual/"), wait_until="load")
    page.get_by_role("link", name="History").click()
    page.wait_for_url(re.compile(r"/history/"), wait_until="load")
    expect(page.get_by_label("Segment")).to_have_value(str(agenda["segment"].pk))
    expect(page.locator("#list-results")).to_contain_text("Key done")
    expect(page.locator("#list-results")).not_to_contain_text("Other done")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Excel").click()
    path = download_info.value.path()
    with open(path, "rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    customers = [row[values[0].index("Customer")] for row in values[1:]]
    assert customers == ["Key done"]


def test_the_filters_fold_behind_a_button_on_a_phone(live_server, page, agenda, log_in):
    """At 390 px the list comes first: the filters wait behind "Filters" until it is
    pressed; at 1280 px they are shown and the button is not."""
    page.set_viewport_size({"width": 390, "height": 844})
    log_in("bob", start="/agenda/manual/")
    toggle = page.get_by_role("button", name="Filters")
    segment = page.get_by_label("Segment")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(segment).to_be_hidden()
    expect(page.locator("#list-results table")).to_be_visible()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(segment).to_be_visible()
    page.get_by_role("link", name="Automatic").click()  # every tab folds them again
    expect(page.get_by_label("Segment")).to_be_hidden()

    page.set_viewport_size({"width": 1280, "height": 800})
    page.reload()
    expect(page.get_by_role("button", name="Filters")).to_be_hidden()
    expect(page.get_by_label("Segment")).to_be_visible()
