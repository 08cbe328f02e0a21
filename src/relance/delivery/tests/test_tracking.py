"""Email through an ESP with django-anymail: sent to a fake Postmark API on 127.0.0.1, then
Postmark's tracking webhooks (its documented payloads) posted to /anymail/postmark/tracking/
with the basic-auth secret: delivered, opened, bounced, complained, each once."""

import base64
import importlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.forms.models import model_to_dict
from django.urls import NoReverseMatch, clear_url_caches, reverse

from relance.agenda.models import Action
from relance.agenda.services import action_retry
from relance.customers.forms import ContactForm
from relance.customers.services import contact_save
from relance.delivery import tracking
from relance.delivery.bounces import EMAIL_BOUNCED
from relance.delivery.models import Outbox
from relance.engine.runner import run_day
from relance.engine.tests.conftest import make_customer, make_invoice
from relance.engine.tests.simulation import d

pytestmark = pytest.mark.django_db
SECRET = "postmark:Zq8wLrT4"
TO = "compta@client.example"
BOUNCE_TEXT = "The server was unable to deliver your message (ex: unknown user, mailbox not found)."
MTA_550 = "smtp;550 5.1.1 The email account that you tried to reach does not exist."


class FakePostmark:
    """Postmark's /email endpoint: keeps each request, answers MessageID pm-1, pm-2…"""

    def __init__(self):
        self.requests: list[tuple[dict, dict]] = []
        self.refuse: tuple[int, dict] | None = None  # (status, body) to answer instead
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append((dict(self.headers), body))
                answer = {
                    "To": body["To"],
                    "SubmittedAt": "2026-01-26T08:00:00Z",
                    "MessageID": f"pm-{len(fake.requests)}",
                    "ErrorCode": 0,
                    "Message": "OK",
                }
                status = 200
                if fake.refuse:
                    status, answer = fake.refuse
                raw = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def _reload_urls():
    from relance.config import urls

    importlib.reload(urls)
    clear_url_caches()


@pytest.fixture
def postmark(settings):
    """Email through anymail's Postmark backend to the fake API; the webhooks mounted."""
    fake = FakePostmark()
    settings.EMAIL_BACKEND = "anymail.backends.postmark.EmailBackend"
    settings.DEFAULT_FROM_EMAIL = "relance@acme.example"
    before = settings.ANYMAIL
    settings.ANYMAIL = {
        "POSTMARK_SERVER_TOKEN": "server-token",
        "POSTMARK_API_URL": fake.url,
        "WEBHOOK_SECRET": [SECRET],
    }
    _reload_urls()
    yield fake
    settings.ANYMAIL = before
    _reload_urls()
    fake.stop()


@pytest.fixture
def sent(scenario_s, acme_daily, postmark):
    """The `courtesy` email of scenario S, sent 01-26 to compta@client.example."""
    customer = make_customer(acme_daily)
    make_invoice(customer, "A1", d(1, 31), issue=d(1, 1))
    run_day(entity=acme_daily, day=d(1, 19))
    run_day(entity=acme_daily, day=d(1, 26))
    return Action.objects.get(step_name="courtesy")


def webhook(client, payload: dict, secret: str = SECRET):
    auth = base64.b64encode(secret.encode()).decode()
    return client.post(
        reverse("anymail:postmark_tracking_webhook"),
        json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Basic {auth}",
    )


def delivery(action, recipient=TO, **fields):
    return {
        "RecordType": "Delivery",
        "ServerID": 23,
        "MessageStream": "outbound",
        "MessageID": "pm-1",
        "Recipient": recipient,
        "Tag": "",
        "Metadata": {"relance_key": f"action-{action.pk}-1"},
        "DeliveredAt": "2026-01-26T08:00:05.2735393+01:00",
        "Details": "smtp;250 2.0.0 OK",
        **fields,
    }


def bounce(action, recipient=TO, attempt=1, **fields):
    return {
        "RecordType": "Bounce",
        "MessageStream": "outbound",
        "ID": 901542550,
        "Type": "HardBounce",
        "TypeCode": 1,
        "Name": "Hard bounce",
        "Tag": "",
        "MessageID": f"pm-{attempt}",
        "Metadata": {"relance_key": f"action-{action.pk}-{attempt}"},
        "ServerID": 23,
        "Description": BOUNCE_TEXT,
        "Details": MTA_550,
        "Email": recipient,
        "From": "relance@acme.example",
        "BouncedAt": "2026-01-26T08:01:00.3963933+01:00",
        "DumpAvailable": True,
        "Inactive": True,
        "CanActivate": True,
        "Subject": "Relance",
        **fields,
    }


def open_event(action, recipient=TO):
    return {
        "RecordType": "Open",
        "MessageStream": "outbound",
        "FirstOpen": True,
        "Client": {"Name": "Gmail", "Company": "Google", "Family": "Gmail"},
        "OS": {"Name": "unknown", "Company": "unknown", "Family": "unknown"},
        "Platform": "Unknown",
        "UserAgent": "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0",
        "ReadSeconds": 0,
        "Geo": {},
        "MessageID": "pm-1",
        "Metadata": {"relance_key": f"action-{action.pk}-1"},
        "ReceivedAt": "2026-01-26T09:21:41.2493688+01:00",
        "Recipient": recipient,
    }


def spam_complaint(action, recipient=TO):
    return {
        "RecordType": "SpamComplaint",
        "MessageStream": "outbound",
        "ID": 901542551,
        "Type": "SpamComplaint",
        "TypeCode": 512,
        "Name": "Spam complaint",
        "Tag": "",
        "MessageID": "pm-1",
        "Metadata": {"relance_key": f"action-{action.pk}-1"},
        "ServerID": 23,
        "Description": "",
        "Details": "Test spam complaint details",
        "Email": recipient,
        "From": "relance@acme.example",
        "BouncedAt": "2026-01-27T10:00:00Z",
        "DumpAvailable": True,
        "Inactive": True,
        "CanActivate": False,
        "Subject": "Relance",
    }


def test_the_provider_gets_the_key_and_its_message_id_is_kept(sent, postmark):
    [(headers, body)] = postmark.requests
    assert headers["X-Postmark-Server-Token"] == "server-token"
    assert body["Metadata"] == {"relance_key": f"action-{sent.pk}-1"}
    assert {"Name": "Message-ID", "Value": f"<relance.action-{sent.pk}-1@acme.example>"} in (
        body["Headers"]
    )
    outbox = Outbox.objects.get()
    assert (outbox.status, outbox.provider_id, outbox.provider_status) == ("sent", "pm-1", "sent")
    assert outbox.proof == {"esp": "Postmark", "to": [TO], "recipients": {TO: "sent"}}
    assert Action.objects.get(pk=sent.pk).status == "sent"


def test_delivered_then_opened_and_each_event_counts_once(sent, client):
    assert webhook(client, delivery(sent)).status_code == 200
    outbox = Outbox.objects.get()
    assert outbox.provider_status == "delivered"
    assert webhook(client, open_event(sent)).status_code == 200
    outbox.refresh_from_db()
    assert outbox.provider_status == "delivered"
    assert outbox.proof["opened_at"] == "2026-01-26T09:21:41.249368+01:00"
    stamp = outbox.updated_at
    webhook(client, open_event(sent))
    webhook(client, delivery(sent))
    outbox.refresh_from_db()
    assert outbox.updated_at == stamp
    assert Action.objects.get(pk=sent.pk).status == "sent"


def test_a_hard_bounce_puts_the_action_back_in_error_once(sent, client):
    assert webhook(client, bounce(sent)).status_code == 200
    outbox = Outbox.objects.get()
    error = f"the email to {TO} bounced: {BOUNCE_TEXT} ({MTA_550})"
    assert (outbox.provider_status, outbox.error) == ("bounced", error)
    assert outbox.proof["bounces"] == {TO: f"{BOUNCE_TEXT} ({MTA_550})"}
    action = Action.objects.get(pk=sent.pk)
    assert (action.status, action.error_message) == ("error", EMAIL_BOUNCED)
    assert action.note == error
    contact = action.customer.contacts.get()
    assert contact.email_invalid_reason == f"{BOUNCE_TEXT} ({MTA_550})"
    assert contact.email_invalid_at is not None
    stamps = (outbox.updated_at, action.updated_at)
    webhook(client, bounce(sent))
    webhook(client, delivery(sent))  # late or out of order: a bounce is final
    outbox.refresh_from_db()
    action.refresh_from_db()
    assert (outbox.updated_at, action.updated_at) == stamps
    assert (outbox.provider_status, action.status) == ("bounced", "error")


def test_a_bounce_after_the_cycle_moved_on_leaves_the_action_sent(sent, client):
    run_day(entity=sent.entity, day=d(1, 27))  # `first` (due 02-03) is planned: open
    assert Action.objects.get(step_name="first").status == "planned"
    webhook(client, bounce(sent))
    action = Action.objects.get(pk=sent.pk)
    assert (action.status, action.error_message) == ("sent", EMAIL_BOUNCED)
    assert action.note.startswith(f"the email to {TO} bounced: ")
    assert Action.objects.get(step_name="first").status == "planned"


def test_a_retry_is_not_undone_by_late_news_about_the_first_attempt(sent, client):
    webhook(client, bounce(sent))
    action = Action.objects.get(pk=sent.pk)
    contact = action.customer.contacts.get()
    data = model_to_dict(contact, fields=ContactForm.Meta.fields)
    data["email"] = "paiements@client.example"  # corrected on the customer's page
    form = ContactForm(data=data, instance=contact, customer=contact.customer)
    assert form.is_valid(), form.errors
    contact = contact_save(form=form, customer=contact.customer)
    assert (contact.email_invalid_reason, contact.email_invalid_at) == ("", None)
    action_retry(action=action)
    run_day(entity=action.entity, day=d(1, 27))
    action.refresh_from_db()
    assert action.status == "sent"
    assert Outbox.objects.get(attempt=2).provider_id == "pm-2"
    webhook(client, bounce(sent, attempt=1, BouncedAt="2026-01-27T12:00:00Z"))
    webhook(
        client,
        delivery(sent, recipient="paiements@client.example", MessageID="pm-2")
        | {"Metadata": {"relance_key": f"action-{sent.pk}-2"}},
    )
    action.refresh_from_db()
    assert action.status == "sent"
    assert Outbox.objects.get(attempt=2).provider_status == "delivered"


def test_a_copy_that_bounces_is_recorded_and_the_action_stays_sent(
    scenario_s, acme_daily, postmark, client
):
    scenario_s.steps.filter(name="courtesy").update(cc_email="copies@acme.example")
    customer = make_customer(acme_daily)
    make_invoice(customer, "A1", d(1, 31), issue=d(1, 1))
    run_day(entity=acme_daily, day=d(1, 19))
    run_day(entity=acme_daily, day=d(1, 26))
    action = Action.objects.get(step_name="courtesy")
    webhook(client, delivery(action))
    webhook(client, bounce(action, recipient="copies@acme.example"))
    outbox = Outbox.objects.get()
    assert outbox.provider_status == "delivered"
    assert outbox.proof["recipients"] == {TO: "delivered", "copies@acme.example": "bounced"}
    assert set(outbox.proof["bounces"]) == {"copies@acme.example"}
    action.refresh_from_db()
    assert (action.status, action.error_message) == ("sent", "")


def test_a_spam_complaint_is_noted_on_the_action(sent, client):
    webhook(client, delivery(sent))
    webhook(client, spam_complaint(sent))
    webhook(client, spam_complaint(sent))
    outbox = Outbox.objects.get()
    assert outbox.proof["complained_at"] == "2026-01-27T10:00:00+00:00"
    assert outbox.provider_status == "delivered"
    action = Action.objects.get(pk=sent.pk)
    assert action.status == "sent"
    assert action.note == f"the recipient reported this email as spam ({TO})"


def test_found_by_the_providers_message_id_without_metadata(sent, client):
    payload = delivery(sent)
    del payload["Metadata"]
    webhook(client, payload)
    assert Outbox.objects.get().provider_status == "delivered"


def test_strangers_are_ignored_and_a_wrong_secret_refused(sent, client):
    assert webhook(client, delivery(sent), secret="postmark:guess").status_code == 400
    assert webhook(client, delivery(sent, recipient="someone@else.example")).status_code == 200
    unknown = delivery(sent, MessageID="pm-99") | {"Metadata": {"relance_key": "action-0-1"}}
    assert webhook(client, unknown).status_code == 200
    outbox = Outbox.objects.get()
    assert outbox.provider_status == "sent"


def test_a_failure_to_record_never_fails_a_sent_email(
    scenario_s, acme_daily, postmark, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("database away")

    monkeypatch.setattr(tracking, "outbox_esp_accepted", broken)
    customer = make_customer(acme_daily)
    make_invoice(customer, "A1", d(1, 31), issue=d(1, 1))
    run_day(entity=acme_daily, day=d(1, 19))
    run_day(entity=acme_daily, day=d(1, 26))
    assert Action.objects.get(step_name="courtesy").status == "sent"
    assert Outbox.objects.get().provider_id == ""


def test_the_webhooks_need_a_secret_to_be_mounted():
    with pytest.raises(NoReverseMatch):
        reverse("anymail:postmark_tracking_webhook")


@pytest.mark.parametrize(
    ("status", "answer", "expected"),
    [
        (
            422,
            {"ErrorCode": 300, "Message": "Invalid 'From' address: 'relance@acme'."},
            "The email provider refused it: ",
        ),
        (500, {"Message": "Internal error"}, "The email provider could not take it: "),
    ],
)
def test_a_provider_that_says_no_leaves_the_action_in_error_with_its_words(
    scenario_s, acme_daily, postmark, status, answer, expected
):
    postmark.refuse = (status, answer)
    customer = make_customer(acme_daily)
    make_invoice(customer, "A1", d(1, 31), issue=d(1, 1))
    run_day(entity=acme_daily, day=d(1, 26))
    action = Action.objects.get(step_name="courtesy")
    assert action.status == "error"
    assert action.error_message.startswith(expected)
    assert f"{status} {answer['Message']}" in action.error_message
    assert Outbox.objects.get(action=action).status == "failed"
