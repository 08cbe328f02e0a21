"""Templates in Chromium: edit a default template, insert a hashtag from the picker, save,
then preview it for a customer found by search."""

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from relance.customers.tests.factories import ContactFactory, CustomerFactory
from relance.ledger.tests.factories import ItemFactory
from relance.templating.defaults import default_templates
from relance.templating.models import MessageTemplate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(acme, alice):
    today = acme.today()
    for name, number in (("Dupont SA", "C-DUP"), ("Martin SARL", "C-MAR")):
        customer = CustomerFactory(entity=acme, name=name, external_id=number, language="fr")
        ContactFactory(customer=customer, first_name="Claire", last_name=f"Durand {number}")
        ItemFactory(
            customer=customer,
            number=f"F-{number}",
            amount=Decimal("1200.00"),
            issue_date=today - datetime.timedelta(days=75),
            due_date=today - datetime.timedelta(days=45),
        )
    default_templates()


def test_edit_insert_hashtag_save_and_preview(live_server, page, demo, log_in):
    log_in()
    page.get_by_role("navigation").get_by_role("link", name="Templates").click()
    expect(page.get_by_role("heading", name="Templates")).to_be_visible()
    page.locator(".template-list").get_by_role("link", name="First reminder").click()
    page.get_by_role("link", name="Edit").click()
    expect(page).to_have_url(re.compile(r"/templates/\d+/edit/$"))

    french = page.locator("section.variant[data-lang=fr]")
    editor = french.locator(".jodit-wysiwyg")
    expect(editor).to_contain_text("Bonjour")
    editor.locator("p").last.click()
    page.keyboard.press("End")
    page.keyboard.type(" Solde : ")
    french.get_by_role("button", name="Insert a hashtag").click()
    french.locator(".hashtag-menu .dropdown-header", has_text="Account").wait_for()
    french.locator("[data-hashtag=total_due]").click()
    expect(editor).to_contain_text("Solde : #total_due")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("alert")).to_contain_text("Template saved.")
    body = MessageTemplate.objects.get(name="First reminder").variants.get(language="fr").body
    assert re.search(r"Solde :(&nbsp;| )#total_due", body)  # Jodit keeps typed spaces

    page.get_by_role("link", name="Preview").first.click()
    page.get_by_role("searchbox").fill("Martin")
    page.locator(".preview-customers").get_by_role("link", name=re.compile("Martin SARL")).click()
    expect(page.locator(".preview-for")).to_contain_text("Martin SARL")
    frame = page.frame_locator("iframe.email-preview")
    expect(frame.locator("body")).to_contain_text("Claire Durand C-MAR")
    expect(frame.locator("body")).to_contain_text(re.compile(r"Solde :\s1\s200,00\s€"))
    expect(frame.locator("table.items-list")).to_contain_text("F-C-MAR")


def test_unknown_hashtag_is_refused_in_the_editor(live_server, page, demo, log_in):
    log_in()
    page.goto(live_server.url + "/templates/new/sms/")
    page.get_by_label("Name").fill("Short")
    body = page.locator("section.variant[data-lang=fr] textarea")
    body.fill("Payez #totl_due svp")
    expect(page.locator("#sms-length-fr")).to_contain_text("19 / 160 characters, 1 SMS (GSM-7)")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".hashtag-error")).to_have_text("#totl_due: did you mean #total_due?")
