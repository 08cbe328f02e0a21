"""#interactive_* in a real send: one link per message, tied to its action, that opens the
page; a preview issues none."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from relance.agenda.models import Action
from relance.engine.runner import run_day
from relance.engine.tests.conftest import make_customer, make_invoice
from relance.engine.tests.simulation import d
from relance.portal.models import PortalLink
from relance.templating.render import render
from relance.templating.tests.factories import MessageTemplateFactory

pytestmark = pytest.mark.django_db

BODY = "<p>Bonjour, #interactive_button</p><p>#interactive_link</p>"


@pytest.fixture
def interactive_template(email_template):
    variant = email_template.variants.get()
    variant.body = BODY
    variant.save()
    return email_template


def test_the_hashtags_in_a_sent_email_open_the_page(
    scenario_s, acme_daily, interactive_template, client, settings, alice
):
    settings.SITE_URL = "https://relance.example"
    customer = make_customer(acme_daily)
    make_invoice(customer, "A1", d(1, 31), issue=d(1, 1))
    run_day(entity=acme_daily, day=d(1, 19))
    run_day(entity=acme_daily, day=d(1, 26))

    [message] = mail.outbox
    html = message.alternatives[0][0]
    urls = set(re.findall(r"https://relance\.example/p/[\w-]+/", message.body))
    assert len(urls) == 1  # the button and the link share the message's one link
    [url] = urls
    assert f'href="{url}"' in html and "interactive-button" in html
    link = PortalLink.objects.get()
    assert link.customer == customer
    assert link.action == Action.objects.get(step_name="courtesy")
    page = client.get(url.removeprefix("https://relance.example"))
    assert page.status_code == 200 and "A1" in page.content.decode()
    client.force_login(alice)
    action_page = client.get(reverse("agenda:action-detail", args=[link.action_id]))
    assert (
        "portal-opens" in action_page.content.decode() and "Opened" in action_page.content.decode()
    )


def test_a_preview_issues_no_link_and_a_letter_gets_a_qr_code(acme, settings):
    from relance.customers.tests.factories import CustomerFactory

    customer = CustomerFactory(entity=acme)
    letter = MessageTemplateFactory(
        channel="letter", variants={"fr": ("Relance", "<p>#interactive_qr #interactive_link</p>")}
    )
    rendered = render(letter, customer, pdf=False)
    assert 'class="interactive-qr" src="data:image/svg+xml' in rendered.html
    assert f"{settings.SITE_URL}/p/preview/" in rendered.text
    assert not PortalLink.objects.exists()


def test_button_text_stays_readable_on_the_brand_colour():
    from relance.templating.hashtags import text_colour_on

    assert text_colour_on("#0d6efd") == "#ffffff"
    assert text_colour_on("#ffe066") == "#000000"
