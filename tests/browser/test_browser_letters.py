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


@pytest.fixture
def five_letters(acme, bob):
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
    names = ("Alpha SA", "Bravo SARL", "Charlie SAS", "Delta SA", "Echo SNC")
    return [
        make_action(
            acme,
            scenario,
            channel="registered_letter",
            name=name,
            responsible=bob,
            step_name="notice",
        )
        for name in names
    ]


def test_collector_prints_five_letters_then_marks_them_posted_with_tracking_numbers(
    live_server, page, five_letters, tmp_path, log_in
):
    log_in("bob", "/agenda/manual/")
    results = page.locator("#list-results")
    for action in five_letters:
        expect(results).to_contain_text(action.customer.name)
    page.locator("#list-results input.select-all").check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Print the selected letters (one PDF)").click()
    path = tmp_path / "letters.pdf"
    download_info.value.save_as(path)
    text = run("pdftotext", str(path), "-")
    assert all(action.customer.name in text for action in five_letters)

    # The same ticks, then one step: every tracking number scanned (typed, then Enter).
    page.get_by_role("button", name="Mark the selected letters posted…").click()
    expect(page.get_by_role("heading", name="Letters posted")).to_be_visible()
    numbers = {action.pk: f"1A0012345678{n}" for n, action in enumerate(five_letters)}
    first = five_letters[0]
    page.get_by_label(f"Tracking number of the letter to {first.customer.name}").focus()
    for action in five_letters:
        field = page.get_by_label(f"Tracking number of the letter to {action.customer.name}")
        expect(field).to_be_focused()
        page.keyboard.type(numbers[action.pk])
        page.keyboard.press("Enter")  # a scanner's Enter: on to the next letter
    submit = page.get_by_role("button", name="Mark these 5 letters done")
    expect(submit).to_be_focused()
    assert set(Action.objects.values_list("status", flat=True)) == {"planned"}
    submit.click()

    expect(page).to_have_url(re.compile(r"/agenda/history/"))
    expect(page.get_by_text("5 letters marked as posted.")).to_be_visible()
    history = page.locator("#list-results")
    for action in five_letters:
        link = history.get_by_role("link", name=numbers[action.pk])
        expect(link).to_have_attribute(
            "href",
            f"https://www.laposte.fr/outils/suivre-vos-envois?code={numbers[action.pk]}",
        )
    assert set(Action.objects.values_list("status", flat=True)) == {"done"}
    assert set(Action.objects.values_list("tracking_number", flat=True)) == set(numbers.values())


@pytest.fixture
def fake_provider():
    from relance.delivery.tests.providers import start_provider, stop_provider

    provider = start_provider()
    yield provider
    stop_provider(provider)


def test_collector_sends_an_e_registered_letter_to_the_contact_chosen_in_a_dialog(
    live_server, page, acme, bob, fake_provider, log_in
):
    from relance.customers.tests.factories import ContactFactory
    from relance.delivery.models import Connector

    Connector.objects.create(
        entity=acme,
        channel="e_registered_letter",
        kind="ereg",
        settings={"url": fake_provider.url, "api_key": "k", "sender": "Acme"},
    )
    template = MessageTemplateFactory(
        name="LRE",
        channel="letter",
        variants={"fr": ("Mise en demeure", "<p>Veuillez régler #total_due.</p>")},
    )
    scenario = ScenarioFactory(
        name="LRE",
        steps=[
            {
                "name": "lre",
                "channel": "e_registered_letter",
                "mode": "manual",
                "template": template,
            }
        ],
    )
    action = make_action(
        acme, scenario, channel="e_registered_letter", name="Dupont SA", responsible=bob
    )
    ContactFactory(
        customer=action.customer,
        first_name="Maître",
        last_name="Avocat",
        email="avocat@dupont.example",
        is_collection=False,
    )
    log_in("bob", f"/agenda/actions/{action.pk}/")
    page.get_by_role("button", name="Send…").click()
    dialog = page.get_by_role("dialog", name="Send the electronic registered letter")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Recipient").select_option(label="Maître Avocat <avocat@dupont.example>")
    dialog.get_by_role("button", name="Send and complete").click()
    expect(page.get_by_text("Electronic registered letter sent.")).to_be_visible()
    expect(page.locator(".action-status")).to_have_text("Sent")
    [record] = fake_provider.messages
    assert record["data"]["to"] == "avocat@dupont.example"
