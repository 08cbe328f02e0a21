"""Inbound webhooks: only the configured provider's tracking webhook is mounted, its secret
and signature are checked, and no anonymous or malformed POST gets a 500."""

import base64
import hashlib
import hmac
import importlib
import importlib.util
import json
import time

import pytest
from anymail.signals import tracking
from django.urls import NoReverseMatch, clear_url_caches, reverse

from relance.delivery.webhooks import TRACKING_VIEWS

pytestmark = pytest.mark.django_db

SECRET = "relance:w3bh00k-s3cret"
MAILGUN_KEY = "mailgun-signing-key-0123456789"
BODIES = [
    ("", "application/json"),
    ("not json", "application/json"),
    ("[]", "application/json"),
    ('{"event-data": null}', "application/json"),
    ("\x00\xff", "application/octet-stream"),
    ("a=b&token=1", "application/x-www-form-urlencoded"),
    ('{"Type": "Notification", "MessageId": "1"}', "text/plain"),
]


def _reload_urls():
    from relance.config import urls

    importlib.reload(urls)
    clear_url_caches()


@pytest.fixture
def mount(settings):
    """`mount(esp, **anymail)`: EMAIL_BACKEND set to that provider, its webhook secret (and
    the ANYMAIL settings given), and the URLs loaded again."""
    before = settings.ANYMAIL

    def _mount(esp: str, **anymail):
        settings.EMAIL_BACKEND = f"anymail.backends.{esp}.EmailBackend"
        settings.ANYMAIL = {"WEBHOOK_SECRET": [SECRET], **anymail}
        _reload_urls()

    yield _mount
    settings.ANYMAIL = before
    _reload_urls()


def _settings_for(esp: str) -> dict:
    return {"MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_KEY} if esp == "mailgun" else {}


def _basic(secret: str = SECRET) -> dict:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(secret.encode()).decode()}


@pytest.fixture
def events():
    """The anymail tracking events that reached Relance's handlers."""
    received = []

    def receiver(sender, event, esp_name, **kwargs):
        received.append((esp_name, event))

    tracking.connect(receiver, weak=False)
    yield received
    tracking.disconnect(receiver)


@pytest.mark.parametrize("esp", sorted(TRACKING_VIEWS))
def test_only_the_configured_providers_webhook_is_mounted(mount, esp):
    mount(esp, **_settings_for(esp))

    assert reverse(f"anymail:{esp}_tracking_webhook") == f"/anymail/{esp}/tracking/"
    for other in set(TRACKING_VIEWS) - {esp}:
        with pytest.raises(NoReverseMatch):
            reverse(f"anymail:{other}_tracking_webhook")
        with pytest.raises(NoReverseMatch):  # nor its inbound email webhook
            reverse(f"anymail:{other}_inbound_webhook")
    # Replies come in through the configured provider's inbound webhook (inbound app).
    assert reverse(f"anymail:{esp}_inbound_webhook") == f"/anymail/{esp}/inbound/"


def test_a_forged_event_for_another_provider_finds_nothing(client, mount, events):
    mount("postmark")
    payload = {"RecordType": "Delivery", "MessageID": "x", "Recipient": "a@b.example"}

    for other in ("mailgun", "sendgrid", "mandrill", "postal", "resend", "brevo"):
        response = client.post(
            f"/anymail/{other}/tracking/",
            json.dumps(payload),
            content_type="application/json",
            **_basic(),
        )
        assert response.status_code == 404, other
    assert events == []


# anymail's Amazon SES views need boto3, which EMAIL_URL asks for before they can be mounted.
BOTO3 = importlib.util.find_spec("boto3") is not None
ESPS = [
    pytest.param(esp, marks=pytest.mark.skipif(not BOTO3, reason="boto3 is not installed"))
    if esp == "amazon_ses"
    else esp
    for esp in sorted(TRACKING_VIEWS)
]
SNS_HEADERS = {"HTTP_X_AMZ_SNS_MESSAGE_TYPE": "Notification", "HTTP_X_AMZ_SNS_MESSAGE_ID": "1"}


@pytest.mark.parametrize("esp", ESPS)
def test_an_anonymous_or_forged_post_is_refused_never_500(client, mount, events, esp):
    mount(esp, **_settings_for(esp))
    url = reverse(f"anymail:{esp}_tracking_webhook")

    for body, content_type in BODIES:
        for auth in ({}, _basic("relance:guess")):
            response = client.post(url, body, content_type=content_type, **auth, **SNS_HEADERS)
            assert response.status_code in (400, 401, 403), (body, auth, response.status_code)
    assert events == []


@pytest.mark.parametrize("esp", ESPS)
def test_a_malformed_body_with_the_secret_is_a_400_not_a_500(client, mount, esp):
    mount(esp, **_settings_for(esp))
    url = reverse(f"anymail:{esp}_tracking_webhook")

    statuses = {
        body: client.post(url, body, content_type=kind, **_basic(), **SNS_HEADERS).status_code
        for body, kind in BODIES
    }
    # An empty batch ("[]") is a valid post with no event in it for some providers.
    assert all(status in (200, 400, 401, 403) for status in statuses.values()), statuses
    assert statuses["not json"] == 400


def _mailgun_event(key: str = MAILGUN_KEY) -> dict:
    timestamp, token = str(int(time.time())), "a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0"
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256)
    return {
        "signature": {"timestamp": timestamp, "token": token, "signature": signature.hexdigest()},
        "event-data": {
            "event": "delivered",
            "timestamp": float(timestamp),
            "recipient": "compta@client.example",
            "message": {"headers": {"message-id": "20260126.1@mg.acme.example"}},
            "user-variables": {"relance_key": "action-1-1"},
        },
    }


def test_a_signed_mailgun_event_is_taken_and_a_forged_one_refused(client, mount, events):
    mount("mailgun", MAILGUN_API_KEY="key-api", MAILGUN_WEBHOOK_SIGNING_KEY=MAILGUN_KEY)
    url = reverse("anymail:mailgun_tracking_webhook")

    def post(payload, **headers):
        return client.post(url, json.dumps(payload), content_type="application/json", **headers)

    assert post(_mailgun_event(), **_basic()).status_code == 200
    assert post(_mailgun_event(key="key-api"), **_basic()).status_code == 400
    assert post(_mailgun_event()).status_code == 400  # the signature, without the secret
    tampered = _mailgun_event()
    tampered["signature"]["timestamp"] = str(int(tampered["signature"]["timestamp"]) + 1)
    assert post(tampered, **_basic()).status_code == 400

    assert [(esp, event.event_type) for esp, event in events] == [("Mailgun", "delivered")]
    assert events[0][1].metadata == {"relance_key": "action-1-1"}


def test_a_signed_sendgrid_event_is_taken_and_a_forged_one_refused(client, mount, events):
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    mount("sendgrid", SENDGRID_TRACKING_WEBHOOK_VERIFICATION_KEY=base64.b64encode(public).decode())
    url = reverse("anymail:sendgrid_tracking_webhook")
    body = json.dumps(
        [{"event": "delivered", "email": "compta@client.example", "timestamp": 1769000000}]
    )
    timestamp = str(int(time.time()))

    def post(signed_body: str):
        signature = key.sign((timestamp + signed_body).encode(), ec.ECDSA(hashes.SHA256()))
        return client.post(
            url,
            body,
            content_type="application/json",
            HTTP_X_TWILIO_EMAIL_EVENT_WEBHOOK_SIGNATURE=base64.b64encode(signature).decode(),
            HTTP_X_TWILIO_EMAIL_EVENT_WEBHOOK_TIMESTAMP=timestamp,
            **_basic(),
        )

    assert post(body).status_code == 200
    assert post(body.replace("delivered", "bounce")).status_code == 400
    assert [event.event_type for _esp, event in events] == ["delivered"]
