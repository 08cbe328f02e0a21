"""A manual email edited in Chromium: the page shows the rendered message in the rich
editor, the collector changes it and sends; the customer receives the edited text. A manual
SMS shows its length as it is typed."""

import datetime
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from relance.agenda.models import Action
from relance.customers.tests.factories import ContactFactory
from relance.delivery.models import Outbox
from relance.engine.tests.conftest import make_customer, make_invoice
from relance.scenarios.tests.factories import ScenarioFactory
from relance.templating.tests.factories import MessageTemplateFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DAY = datetime.timedelta(days=1)


def _manual_action(entity, channel: str, body: str) -> Action:
    template = MessageTemplateFactory(
        name=f"Personal {channel}",
        channel=channel,
        variants={"fr": ("Relance #customer_name", body)},
    )
    steps = [{"name": "personal", "channel": channel, "mode": "manual", "template": template}]
    scenario = ScenarioFactory(name=f"Manual {channel}", steps=steps)
    customer = make_customer(entity, name="Dupont SA")
    ContactFactory(customer=customer, mobile="06 12 34 56 78", is_collection=True, email="")
    today = entity.today()
    return Action.objects.create(
        entity=entity,
        customer=customer,
        scenario=scenario,
        step=scenario.steps.get(),
        step_position=1,
        step_name="personal",
        channel=channel,
        mode="manual",
        reference=make_invoice(customer, "F1", today - 20 * DAY),
        status="planned",
        created_on=today - 5 * DAY,
        due_date=today,
    )


def test_collector_edits_and_sends_a_manual_email(live_server, page, acme, bob, log_in):
    action = _manual_action(acme, "email", "<p>Bonjour, vous devez #total_due.</p>")
    log_in("bob")
    page.goto(f"{live_server.url}/agenda/actions/{action.pk}/")
    expect(page.get_by_text("You can customise the content")).to_be_visible()
    expect(page.get_by_label("Subject")).to_have_value("Relance Dupont SA")
    editor = page.locator(".send-message .jodit-wysiwyg")
    expect(editor).to_contain_text("Bonjour, vous devez")
    editor.locator("p").last.click()
    page.keyboard.press("End")
    page.keyboard.type(" Merci de rappeler Bob.")
    page.get_by_label("Subject").fill("Votre facture F1")
    page.get_by_role("button", name="Send and complete").click()

    expect(page.get_by_role("alert")).to_contain_text("Message sent.")
    [message] = mail.outbox
    assert message.subject == "Votre facture F1"
    assert re.search(r"Bonjour, vous devez .+ Merci de rappeler Bob\.", message.body)
    assert "Merci de rappeler Bob." in message.alternatives[0][0]
    action.refresh_from_db()
    assert action.status == "sent"
    assert "Merci de rappeler Bob." in Outbox.objects.get().body


def test_a_manual_sms_shows_its_length(live_server, page, acme, bob, log_in):
    action = _manual_action(acme, "sms", "Acme : merci de payer.")
    log_in("bob")
    page.goto(f"{live_server.url}/agenda/actions/{action.pk}/")
    text = page.get_by_label("Message")
    expect(text).to_have_value("Acme : merci de payer.")
    expect(page.locator(".sms-length")).to_contain_text("22 / 160 characters, 1 SMS (GSM-7)")
    text.fill("Acme : merci de payer aujourd’hui.")
    expect(page.locator(".sms-length")).to_contain_text("34 / 70 characters, 1 SMS (UCS-2)")
