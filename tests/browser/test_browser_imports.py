"""An import through the web UI, as the demo runs it: the check and the import run in a
background thread while the page polls their progress."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from relance.customers.models import Customer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DATA = Path(__file__).resolve().parents[2] / "src" / "relance" / "ledger" / "tests" / "data"


def test_upload_preview_confirm_in_the_background(
    live_server, page, settings, acme, alice, bob, log_in
):
    settings.RELANCE_BACKGROUND_INLINE = False
    log_in("alice", start="/ledger/imports/")

    page.get_by_role("link", name="New import").click()
    page.get_by_label("What the file holds").select_option("customers")
    page.get_by_label("File (CSV, XLSX").set_input_files(DATA / "customers.csv")
    page.get_by_role("button", name="Check the file").click()

    expect(page.locator("#import-summary")).to_have_text(
        "Would create 2, update 0, leave 0 unchanged", timeout=15_000
    )
    expect(page.get_by_role("cell", name="Boulangerie Martin")).to_be_visible()
    assert not Customer.objects.exists()

    page.get_by_role("button", name="Confirm the import").click()
    expect(page.locator("#import-summary")).to_have_text(
        "Created 2, updated 0, unchanged 0", timeout=15_000
    )
    expect(page).to_have_url(re.compile(r"/ledger/imports/\d+/$"))
    assert sorted(Customer.objects.values_list("external_id", flat=True)) == ["C001", "C002"]
