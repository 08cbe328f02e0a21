"""A one-off message from the customer page: an email through the real SMTP test server, an
SMS through the fake provider, a letter as its PDF (read back with pdftotext), each edited
before it leaves and kept in the customer's timeline; refusals record nothing."""

import subprocess

import pytest
from django.urls import reverse

from relance.accounts.tests.factories import UserFactory
from relance.activity.models import CustomerEvent
from relance.customers.tests.factories import ContactFactory, CustomerFactory
from relance.delivery.tests.conftest import connector
from relance.templating.tests.factories import MessageTemplateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dupont(acme):
    customer = CustomerFactory(entity=acme, name="Dupont SA", country="FR", language="fr")
    ContactFactory(
        customer=customer,
        email="compta@dupont.example",
        mobile="06 12 34 56 78",
        is_collection=True,
        address_line1="1 rue de la Paix",
        postal_code="75002",
        city="Paris",
        country="FR",
    )
    return customer


def _template(channel, subject, body, **fields):
    return MessageTemplateFactory(
        name=f"One-off {channel}", channel=channel, variants={"fr": (subject, body)}, **fields
    )


def url(customer):
    return reverse("agenda:customer-message", args=[customer.pk])


def test_email_prepared_from_the_template_edited_and_sent(client, bob, dupont, smtp):
    template = _template("email", "Relance #customer_name", "<p>Bonjour #customer_name</p>")
    client.force_login(bob)
    page = client.get(url(dupont), {"message-template": template.pk}).content.decode()
    assert 'value="Relance Dupont SA"' in page
    assert "Bonjour Dupont SA" in page
    response = client.post(
        url(dupont),
        {"template": template.pk, "subject": "Un mot", "body": "<p>Edited <b>by</b> Bob</p>"},
    )
    assert response.status_code == 302
    [message] = smtp.messages
    assert message["Subject"] == "Un mot"
    assert message["To"] == "compta@dupont.example"
    assert "Edited by Bob" in message.get_body(("plain",)).get_content()
    event = CustomerEvent.objects.get(customer=dupont)
    assert (event.kind, event.data["channel"], event.data["subject"]) == (
        "message_sent_by_user",
        "email",
        "Un mot",
    )
    assert event.describe() == "Sent a message by Email: “Un mot”"


def test_email_without_subject_is_refused_and_nothing_leaves(client, bob, dupont, smtp):
    template = _template("email", "Relance", "<p>Bonjour</p>")
    client.force_login(bob)
    response = client.post(url(dupont), {"template": template.pk, "subject": "", "body": "x"})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert smtp.messages == []
    assert not CustomerEvent.objects.exists()


def test_sms_through_the_entitys_connector(client, bob, dupont, acme, provider):
    connector(
        acme,
        "sms",
        "twilio",
        url=provider.url,
        account_sid="AC1",
        auth_token="t",
        sender="+33700000000",
    )
    template = _template("sms", "", "Acme : merci de régler #total_due.")
    client.force_login(bob)
    response = client.post(url(dupont), {"template": template.pk, "body": "Acme : rappelez-nous"})
    assert response.status_code == 302
    [(method, _path, _headers, data)] = provider.requests
    assert (method, data["To"], data["Body"]) == ("POST", "+33612345678", "Acme : rappelez-nous")
    event = CustomerEvent.objects.get(customer=dupont)
    assert (event.data["channel"], event.data["to"]) == ("sms", "+33612345678")


def test_sms_without_connector_is_refused(client, bob, dupont):
    template = _template("sms", "", "Acme : merci.")
    client.force_login(bob)
    response = client.post(url(dupont), {"template": template.pk, "body": "Acme"})
    assert response.status_code == 400
    assert "No SMS connector is active for this entity." in response.content.decode()
    assert not CustomerEvent.objects.exists()


def test_letter_edited_then_answered_as_its_pdf(client, bob, dupont, tmp_path):
    template = _template("letter", "Mise en demeure", "<p>Madame, Monsieur, #customer_name</p>")
    client.force_login(bob)
    body = "<p>Texte revu par Bob pour Dupont</p>"
    response = client.post(url(dupont), {"template": template.pk, "body": body})
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "letter.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Texte revu par Bob pour Dupont" in text
    assert "Madame, Monsieur" not in text
    event = CustomerEvent.objects.get(customer=dupont)
    assert event.describe() == "Printed a letter to post: “Mise en demeure”"


def test_a_template_of_another_entity_is_not_offered_nor_accepted(client, bob, dupont, globex):
    theirs = _template("email", "UK", "<p>Hello</p>", entity=globex)
    client.force_login(bob)
    card = client.get(reverse("agenda:customer-workbench", args=[dupont.pk])).content.decode()
    assert "One-off email" not in card
    response = client.post(url(dupont), {"template": theirs.pk, "subject": "x", "body": "x"})
    assert response.status_code == 302
    assert not CustomerEvent.objects.exists()


def test_a_read_only_user_cannot_send(client, dupont, smtp):
    template = _template("email", "Relance", "<p>Bonjour</p>")
    rita = UserFactory(username="rita", role="read_only", all_entities=True)
    client.force_login(rita)
    assert client.get(url(dupont), {"message-template": template.pk}).status_code == 403
    response = client.post(url(dupont), {"template": template.pk, "subject": "x", "body": "x"})
    assert response.status_code == 403
    assert smtp.messages == []
