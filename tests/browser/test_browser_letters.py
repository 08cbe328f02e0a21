"""The merged letters in Chromium: a collector ticks two letter actions in the manual tab,
prints them, and receives one PDF holding both letters."""

import re
import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from relance.agenda.models import Action
from relance.agenda.tests.test_views import make_action
from relance.scenarios.tests.factories import ScenarioFactory
from relance.templating.tests.factories import MessageTemplateFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def letters(acme, bob):
    template = MessageTemplateFactory(
        name="Mise en demeure",
        channel="letter",
        variants={"fr": ("Mise en demeure", "<p>Veuillez régler #total_due.</p>")},
    )
    scenario = ScenarioFactory(
        name="Letters",
        steps=[
            {
                "name": "notice",
                "channel": "registered_letter",
                "mode": "manual",
                "template": template,
            }
        ],
    )
    return [
        make_action(
            acme,
            scenario,
            channel="registered_letter",
            name=name,
            responsible=bob,
            step_name="notice",
        )
        for name in ("Dupont SA", "Martin SARL", "Unticked SAS")
    ]


def run(*command) -> str:
    assert shutil.which(command[0]), f"{command[0]} is missing: apt-get install poppler-utils"
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def test_collector_downloads_the_merged_letters(live_server, page, letters, tmp_path, log_in):
    log_in("bob")
    page.get_by_role("link", name="Collections").click()
    expect(page).to_have_url(re.compile(r"/agenda/manual/"))

    results = page.locator("#list-results")
    for action in letters:
        expect(results).to_contain_text(action.customer.name)
    for action in letters[:2]:
        page.locator(f"input[name=actions][value='{action.pk}']").check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Print the selected letters (one PDF)").click()
    download = download_info.value
    assert download.suggested_filename == "letters-2.pdf"
    path = tmp_path / download.suggested_filename
    download.save_as(path)

    assert path.read_bytes().startswith(b"%PDF")
    text = run("pdftotext", str(path), "-")
    assert "Dupont SA" in text and "Martin SARL" in text
    assert "Unticked SAS" not in text
    pages = int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", str(path)), re.MULTILINE)[1])
    assert pages >= 2
    # Printing is not sending: the three letters are still to do.
    assert set(Action.objects.values_list("status", flat=True)) == {"planned"}
