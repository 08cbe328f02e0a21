"""Received emails in Chromium (M2.4): a collector opens the Unassigned emails tab, finds
the customer by typing in the row's chooser (htmx), attaches the email with its sender as a
new contact, and reads it on the customer's timeline; the received email's page offers its
files as downloads."""

import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from relance.customers.models import Contact
from relance.customers.tests.factories import CustomerFactory
from relance.inbound.choices import InboundKind, InboundSource
from relance.inbound.models import InboundAttachment, InboundEmail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
RAW = b"From: Paul <paul@dupont.fr>\r\nSubject: Virement\r\n\r\nVirement fait hier.\r\n"


@pytest.fixture
def unassigned(acme):
    CustomerFactory(entity=acme, name="Dupont SA", external_id="C-DUP")
    CustomerFactory(entity=acme, name="Durand SARL", external_id="C-DUR")
    email = InboundEmail(
        entity=acme,
        source=InboundSource.IMAP,
        message_id="<v1@dupont.fr>",
        content_hash="a" * 64,
        received_at=timezone.now() - timedelta(hours=1),
        sender="paul@dupont.fr",
        sender_name="Paul Leroy",
        subject="Virement",
        text="Virement fait hier, voir l'avis.",
        kind=InboundKind.REPLY,
        size=len(RAW),
    )
    email.raw.save("v1.eml", ContentFile(RAW), save=False)
    email.save()
    attachment = InboundAttachment(
        email=email, filename="avis.pdf", content_type="application/pdf", size=8
    )
    attachment.file.save("avis.pdf", ContentFile(b"%PDF-1.4"), save=False)
    attachment.save()
    return email


def test_collector_attaches_an_unassigned_email(live_server, page, bob, unassigned, log_in):
    log_in("bob", start="/agenda/manual/")
    tab = page.get_by_role("link", name=re.compile("Unassigned emails"))
    expect(tab.locator(".counter-unassigned")).to_have_text("1")
    tab.click()
    row = page.locator("#list-results tbody tr").first
    expect(row).to_contain_text("Virement fait hier")
    row.get_by_text("Attach…").click()
    row.get_by_label("Customer").fill("dup")
    row.get_by_label("Customer").press("Enter")  # searches, never posts an empty choice
    choice = row.get_by_label(re.compile("Dupont SA"))
    expect(choice).to_be_checked()  # the only match
    expect(row.get_by_label(re.compile("Durand"))).to_have_count(0)
    expect(page.get_by_role("alert")).to_have_count(0)
    row.get_by_label("Add the sender as a contact").check()
    row.get_by_role("button", name="Attach", exact=True).click()

    expect(page.get_by_role("alert")).to_contain_text(
        "The email from paul@dupont.fr is attached to Dupont SA."
    )
    expect(page.locator("#list-results")).to_contain_text("No unassigned email")
    unassigned.refresh_from_db()
    assert (unassigned.status, unassigned.customer.name) == ("assigned", "Dupont SA")
    assert Contact.objects.filter(customer__name="Dupont SA", email="paul@dupont.fr").exists()

    page.goto(f"{live_server.url}/inbox/emails/{unassigned.pk}/")
    expect(page.get_by_role("link", name="Collections", exact=True)).to_have_class(
        re.compile("active")
    )
    expect(page.locator(".email-match")).to_contain_text("Found by a user.")
    with page.expect_download() as download:
        page.get_by_role("link", name="avis.pdf").click()
    assert download.value.suggested_filename == "avis.pdf"
    page.get_by_role("link", name="Dupont SA").first.click()
    expect(page.locator(".customer-timeline")).to_contain_text("Email received")
    expect(page.locator(".contacts")).to_contain_text("paul@dupont.fr")
