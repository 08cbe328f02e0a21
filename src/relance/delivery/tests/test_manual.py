"""A manual email or SMS edited on its page and sent with "Send and complete": the real SMTP
server and the fake SMS provider receive the user's text through the engine's outbox
protocol, errors stay on the page, nothing leaves twice; the outbox keeps what left."""

import datetime

import pytest
from django.urls import reverse

from relance.accounts.tests.factories import UserFactory
from relance.agenda.models import Action
from relance.customers.tests.factories import ContactFactory, CustomerFactory
from relance.delivery.models import Outbox
from relance.delivery.replyto import reply_address
from relance.delivery.tests.conftest import connector, one_step_scenario
from relance.engine.runner import run_day
from relance.engine.tests.conftest import make_customer, make_invoice
from relance.engine.tests.simulation import d

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
EDITED_HTML = '<p>Edited <strong>reminder</strong></p><script>alert("x")</script>'


def _action(scenario, customer, *, mode="manual", status="planned") -> Action:
    """The customer's open action on the scenario's only step, due today."""
    entity = customer.entity
    today = entity.today()
    step = scenario.steps.get()
    return Action.objects.create(
        entity=entity,
        customer=customer,
        scenario=scenario,
        step=step,
        step_position=1,
        step_name=step.name,
        channel=step.channel,
        mode=mode,
        reference=make_invoice(customer, "A1", today - 20 * DAY),
        status=status,
        created_on=today - 5 * DAY,
        due_date=today,
    )


def _sms_customer(entity, mobile="06 12 34 56 78"):
    customer = CustomerFactory(entity=entity, country="FR", name="Dupont SA")
    ContactFactory(customer=customer, mobile=mobile, is_collection=True)
    return customer


def _twilio(entity, provider):
    options = {"url": provider.url, "account_sid": "AC1", "auth_token": "t", "sender": "ACME"}
    return connector(entity, "sms", "twilio", **options)


def _send(client, action, **data):
    return client.post(reverse("agenda:action-send", args=[action.pk]), data)


def test_the_page_offers_the_rendered_email_to_edit(client, bob, manual_email, acme_daily):
    action = _action(manual_email, make_customer(acme_daily, name="Dupont SA"))
    client.force_login(bob)
    page = client.get(reverse("agenda:action-detail", args=[action.pk]))
    form = page.context["send_form"]
    assert form.initial["subject"] == "Relance Dupont SA"
    assert form.initial["body"].startswith("<p>Bonjour, vous devez")
    html = page.content.decode()
    assert "You can customise the content unless the action is automatic." in html
    assert "Send and complete" in html and "jodit" in html


def test_an_edited_email_reaches_the_mail_server_and_the_action_is_sent(
    client, bob, manual_email, acme_daily, smtp
):
    customer = make_customer(acme_daily, name="Dupont SA")
    action = _action(manual_email, customer)
    client.force_login(bob)
    response = _send(client, action, subject="A word about\r\n your account", body=EDITED_HTML)
    assert response.status_code == 302

    [message] = smtp.messages
    assert message["Subject"] == "A word about your account"
    assert message["To"] == "compta@client.example"
    assert message["Cc"] == "copies@acme.example"
    assert message["Reply-To"] == reply_address(acme_daily, f"action-{action.pk}-1")
    assert message["Reply-To"].startswith(f"recouvrement+a{action.pk}-1-")
    assert message["Message-ID"] == f"<relance.action-{action.pk}-1@acme.example>"
    assert message.get_body("plain").get_content().strip() == "Edited reminder"
    html = message.get_body("html").get_content()
    assert "<strong>reminder</strong>" in html and "script" not in html
    action.refresh_from_db()
    assert (action.status, action.finished_on) == ("sent", acme_daily.today())
    outbox = Outbox.objects.get()
    assert (outbox.status, outbox.key) == ("sent", f"action-{action.pk}-1")
    assert outbox.subject == "A word about your account"
    assert outbox.body == "Edited reminder" and "<strong>reminder</strong>" in outbox.html


def test_a_second_post_sends_nothing_more(client, bob, manual_email, acme_daily, smtp):
    action = _action(manual_email, make_customer(acme_daily))
    client.force_login(bob)
    assert _send(client, action, subject="Once", body="<p>Once</p>").status_code == 302
    again = _send(client, action, subject="Once", body="<p>Once</p>")
    assert again.status_code == 400
    assert "cannot be sent again" in again.content.decode()
    assert len(smtp.messages) == 1 and Outbox.objects.count() == 1


def test_an_email_without_collection_contact_stays_in_error_on_the_page(
    client, bob, manual_email, acme_daily, smtp
):
    customer = CustomerFactory(entity=acme_daily)
    ContactFactory(customer=customer, is_collection=False)
    action = _action(manual_email, customer)
    client.force_login(bob)
    response = _send(client, action, subject="Hello", body="<p>Hello</p>")
    assert response.status_code == 400
    assert "No collection contact" in response.content.decode()
    assert response.context["send_form"].non_field_errors()
    action.refresh_from_db()
    assert (action.status, action.error_message) == ("error", "No collection contact")
    assert smtp.messages == [] and not Outbox.objects.exists()


def test_a_refused_email_is_an_error_on_the_page(
    client, bob, manual_email, acme_daily, smtp_refusing
):
    action = _action(manual_email, make_customer(acme_daily))
    client.force_login(bob)
    response = _send(client, action, subject="Hello", body="<p>Hello</p>")
    assert response.status_code == 400
    assert "The mail server refused it: 550 mailbox unavailable" in response.content.decode()
    action.refresh_from_db()
    assert action.status == "error" and action.finished_on is None
    assert smtp_refusing.messages == []
    assert Outbox.objects.get().status == "failed"


def test_an_empty_message_is_refused_before_anything_leaves(
    client, bob, manual_email, acme_daily, smtp
):
    action = _action(manual_email, make_customer(acme_daily))
    client.force_login(bob)
    response = _send(client, action, subject="Hello", body="<p> </p><script>x</script>")
    assert response.status_code == 400
    assert response.context["send_form"].errors["body"] == ["The message is empty."]
    action.refresh_from_db()
    assert action.status == "planned" and smtp.messages == []


def test_an_edited_sms_goes_through_the_provider(client, bob, manual_sms, acme_daily, provider):
    _twilio(acme_daily, provider)
    action = _action(manual_sms, _sms_customer(acme_daily))
    client.force_login(bob)
    page = client.get(reverse("agenda:action-detail", args=[action.pk]))
    assert page.context["send_form"].initial["body"].startswith("Acme : vous devez")
    assert "subject" not in page.context["send_form"].fields
    assert reverse("templating:sms-length") in page.content.decode()

    response = _send(client, action, body="Dupont, please call us back.\r\nAcme")
    assert response.status_code == 302
    [(_method, _path, headers, data)] = provider.requests
    assert data["Body"] == "Dupont, please call us back.\nAcme"
    assert data["To"] == "+33612345678"
    assert headers["Idempotency-Key"] == f"action-{action.pk}-1"
    action.refresh_from_db()
    assert (action.status, action.finished_on) == ("sent", acme_daily.today())
    outbox = Outbox.objects.get()
    assert (outbox.status, outbox.body) == ("sent", "Dupont, please call us back.\nAcme")


def test_a_refused_sms_can_be_sent_again_as_the_next_attempt(
    client, bob, manual_sms, acme_daily, provider
):
    _twilio(acme_daily, provider)
    action = _action(manual_sms, _sms_customer(acme_daily))
    client.force_login(bob)
    provider.behaviour.refuse = "The 'To' number is blocked."
    refused = _send(client, action, body="First try")
    assert refused.status_code == 400
    assert "The &#x27;To&#x27; number is blocked." in refused.content.decode()
    action.refresh_from_db()
    assert action.status == "error"
    provider.behaviour.refuse = ""
    assert _send(client, action, body="Second try").status_code == 302
    assert [m["data"]["Body"] for m in provider.messages] == ["Second try"]
    assert provider.requests[-1][2]["Idempotency-Key"] == f"action-{action.pk}-2"
    action.refresh_from_db()
    assert action.status == "sent"


def test_an_sms_without_connector_is_an_error_and_nothing_leaves(
    client, bob, manual_sms, acme_daily, provider
):
    action = _action(manual_sms, _sms_customer(acme_daily))
    client.force_login(bob)
    response = _send(client, action, body="Hello")
    assert response.status_code == 400
    assert "No SMS connector configured" in response.content.decode()
    action.refresh_from_db()
    assert (action.status, action.error_message) == ("error", "No SMS connector configured")
    assert provider.requests == [] and not Outbox.objects.exists()


def test_a_read_only_user_cannot_send(client, manual_email, acme_daily, smtp):
    reader = UserFactory(username="rita", role="read_only", all_entities=True)
    action = _action(manual_email, make_customer(acme_daily))
    client.force_login(reader)
    page = client.get(reverse("agenda:action-detail", args=[action.pk]))
    assert page.status_code == 200 and page.context["send_form"] is None
    assert _send(client, action, subject="Hi", body="<p>Hi</p>").status_code == 403
    action.refresh_from_db()
    assert action.status == "planned" and smtp.messages == []


def test_an_automatic_action_keeps_the_read_only_message(
    client, bob, manual_email, acme_daily, smtp
):
    action = _action(manual_email, make_customer(acme_daily, name="Dupont SA"), mode="auto")
    client.force_login(bob)
    page = client.get(reverse("agenda:action-detail", args=[action.pk]))
    html = page.content.decode()
    assert page.context["send_form"] is None and "Send and complete" not in html
    assert "rendered-message" in html and "Relance Dupont SA" in html
    refused = _send(client, action, subject="Hi", body="<p>Hi</p>")
    assert refused.status_code == 400
    assert "Only a manual email or SMS is sent from its page." in refused.content.decode()
    assert smtp.messages == []


def test_the_engine_keeps_what_left_in_the_outbox(scenario_s, acme_daily, smtp, provider):
    customer = make_customer(acme_daily, name="Dupont SA")
    make_invoice(customer, "A1", d(1, 31), issue=d(1, 1))
    run_day(entity=acme_daily, day=d(1, 19))
    run_day(entity=acme_daily, day=d(1, 26))
    outbox = Outbox.objects.get()
    assert outbox.subject == "Relance Dupont SA"
    assert outbox.body.startswith("Bonjour, vous devez")
    assert outbox.html.startswith("<p>Bonjour, vous devez")


def test_the_connectors_keep_the_sms_text_in_the_outbox(acme_daily, provider):
    one_step_scenario(acme_daily, "sms")
    _twilio(acme_daily, provider)
    customer = _sms_customer(acme_daily)
    make_invoice(customer, "A1", d(1, 31))
    run_day(entity=acme_daily, day=d(2, 3))
    outbox = Outbox.objects.get()
    assert outbox.status == "sent"
    assert outbox.body == provider.messages[0]["data"]["Body"]
    assert outbox.body.startswith("Acme : vous devez")
