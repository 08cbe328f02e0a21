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
    rendered = render(letter, customer, pdf=True)
    assert rendered.pdf.startswith(b"%PDF")
    assert 'class="interactive-qr" src="data:image/svg+xml' in rendered.html
    assert f"{settings.SITE_URL}/p/preview/" in rendered.text
    assert not PortalLink.objects.exists()


def test_button_text_stays_readable_on_the_brand_colour():
    from relance.templating.hashtags import text_colour_on

    assert text_colour_on("#0d6efd") == "#ffffff"
    assert text_colour_on("#ffe066") == "#000000"


def test_an_edited_preview_leaves_with_a_real_link(acme_daily, email_template, settings):
    """A user edits the action page's preview (placeholder link) and sends it: the
    customer gets a real link, tied to the action."""
    from relance.agenda.models import Action
    from relance.delivery.services import action_send_edited
    from relance.scenarios.tests.factories import ScenarioFactory
    from relance.templating.context import preview_link

    step = {"name": "personal", "channel": "email", "mode": "manual", "template": email_template}
    scenario = ScenarioFactory(name="Manual email", steps=[step])
    customer = make_customer(acme_daily)
    today = acme_daily.today()
    action = Action.objects.create(
        entity=acme_daily,
        customer=customer,
        scenario=scenario,
        step=scenario.steps.get(),
        step_position=1,
        step_name="personal",
        channel="email",
        mode="manual",
        reference=make_invoice(customer, "A1", today),
        status="planned",
        created_on=today,
        due_date=today,
    )
    placeholder = preview_link()
    body = f'<p>Voir <a href="{placeholder}">votre compte</a> : {placeholder}</p>'
    action_send_edited(action=action, subject="Votre compte", body=body)

    [message] = mail.outbox
    link = PortalLink.objects.get()
    assert link.action == action
    assert placeholder not in message.body and placeholder not in message.alternatives[0][0]
    url = re.search(r"http\S+/p/[\w-]+/", message.body).group(0)
    assert url != placeholder


def test_a_batch_s_links_are_written_in_one_statement_and_each_opens_its_page(
    scenario_s, acme_daily, interactive_template, client, settings
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.SITE_URL = "https://relance.example"
    for n in range(3):
        make_invoice(make_customer(acme_daily, email=f"c{n}@client.example"), f"A{n}", d(1, 31))
    run_day(entity=acme_daily, day=d(1, 19))
    with CaptureQueriesContext(connection) as queries:
        run_day(entity=acme_daily, day=d(1, 26))
    # One INSERT; on PostgreSQL one read of the ids, then one COPY (not a query Django sees).
    writes = [
        q["sql"]
        for q in queries
        if q["sql"].startswith('INSERT INTO "portal_portallink"')
        or ("nextval" in q["sql"] and "portal_portallink" in q["sql"])
    ]
    assert len(writes) == 1
    assert PortalLink.objects.count() == 3
    for message in mail.outbox:
        html = message.alternatives[0][0]
        path = re.search(r'href="https://relance\.example(/p/[^"]+)"', html).group(1)
        assert client.get(path).status_code == 200
    actions = set(Action.objects.filter(step_name="courtesy").values_list("pk", flat=True))
    assert set(PortalLink.objects.values_list("action_id", flat=True)) == actions
