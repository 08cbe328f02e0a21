"""Received email through the provider's inbound webhook: a Mailgun "forward" route posts
the raw MIME (body-mime) signed with the webhook signing key, behind the basic-auth secret,
to /anymail/mailgun/inbound/; the message is stored for the entity it was sent to."""

import base64
import hashlib
import hmac
import importlib
import time

import pytest
from django.urls import clear_url_caches, reverse

from relance.delivery.replyto import reply_address
from relance.inbound.choices import InboundSource, InboundStatus, MatchedBy
from relance.inbound.models import InboundEmail
from relance.inbound.tests import mails

pytestmark = pytest.mark.django_db
SECRET = "mailgun:Hk3vQ9"
SIGNING_KEY = "key-signing-0123456789"


def _reload_urls():
    from relance.config import urls

    importlib.reload(urls)
    clear_url_caches()


@pytest.fixture
def mailgun(settings):
    settings.EMAIL_BACKEND = "anymail.backends.mailgun.EmailBackend"
    before = settings.ANYMAIL
    settings.ANYMAIL = {
        "MAILGUN_API_KEY": "api-key",
        "MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY,
        "WEBHOOK_SECRET": [SECRET],
    }
    _reload_urls()
    yield
    settings.ANYMAIL = before
    _reload_urls()


def post(client, raw: bytes, recipient: str, *, key: str = SIGNING_KEY, secret: str = SECRET):
    """Mailgun's forward() of a received message, as it posts it."""
    timestamp, token = str(int(time.time())), "a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f"
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256)
    data = {
        "recipient": recipient,
        "sender": "compta@client.example",
        "from": "Jeanne Compta <compta@client.example>",
        "subject": "Re: Relance",
        "body-mime": raw.decode("utf-8"),
        "timestamp": timestamp,
        "token": token,
        "signature": signature.hexdigest(),
    }
    auth = base64.b64encode(secret.encode()).decode()
    return client.post(
        reverse("anymail:mailgun_inbound_webhook"), data, HTTP_AUTHORIZATION=f"Basic {auth}"
    )


def test_a_reply_posted_by_the_provider_is_stored_for_its_entity(client, acme_daily, sent, mailgun):
    to = reply_address(acme_daily, sent.key)
    raw = mails.reply(to=to, in_reply_to=sent.message_id, body="Réglé ce matin, merci.\n")
    response = post(client, raw, to)

    assert response.status_code == 200
    email = InboundEmail.objects.get()
    assert email.entity == acme_daily and email.source == InboundSource.WEBHOOK
    assert email.status == InboundStatus.ASSIGNED and email.matched_by == MatchedBy.IN_REPLY_TO
    assert email.action == sent.action
    assert email.response.body.strip() == "Réglé ce matin, merci."

    assert post(client, raw, to).status_code == 200  # posted again: stored once
    assert InboundEmail.objects.count() == 1


def test_the_entitys_plain_address_finds_the_entity(client, acme_daily, dupont, mailgun):
    raw = mails.reply(to="Recouvrement@acme.example", body="Facture F-2026-0142 payée.\n")
    assert post(client, raw, "recouvrement@acme.example").status_code == 200
    email = InboundEmail.objects.get()
    assert email.entity == acme_daily and email.customer == dupont


def test_a_message_for_no_entity_is_dropped_with_a_200(client, acme_daily, mailgun, caplog):
    raw = mails.reply(to="someone@else.example")
    assert post(client, raw, "someone@else.example").status_code == 200
    assert not InboundEmail.objects.exists()
    assert "no entity receives someone@else.example" in caplog.text


def test_a_forged_post_is_refused(client, acme_daily, mailgun):
    raw = mails.reply(to="recouvrement@acme.example")
    assert post(client, raw, "recouvrement@acme.example", key="guessed").status_code == 400
    unauthorised = post(client, raw, "recouvrement@acme.example", secret="mailgun:wrong")
    assert unauthorised.status_code in (400, 401, 403)
    assert not InboundEmail.objects.exists()


def test_no_inbound_webhook_without_a_provider(client):
    assert client.post("/anymail/mailgun/inbound/", {}).status_code == 404
