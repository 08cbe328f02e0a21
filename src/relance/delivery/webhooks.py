"""The email provider's webhooks (anymail), mounted for that provider only: tracking
(delivery/tracking.py) and inbound email (the replies, read by the inbound app through
anymail's `inbound` signal: inbound/webhooks.py).

anymail's own `anymail.urls` mounts every provider's webhooks: a forged event could then come
through the least protected one. Here only the provider named by EMAIL_BACKEND (EMAIL_URL's
anymail+<esp>://) gets its `/anymail/<esp>/tracking/`, under anymail's URL names. Its
security is anymail's: the basic-auth WEBHOOK_SECRET for every provider, plus the signature
where the provider signs its events (Mailgun's HMAC with MAILGUN_WEBHOOK_SIGNING_KEY,
SendGrid's ECDSA with SENDGRID_TRACKING_WEBHOOK_VERIFICATION_KEY). Inbound email comes to
`/anymail/<esp>/inbound/`, under the same protection.

A body that cannot be read (empty, not JSON, missing fields) answers 400 instead of the
traceback and 500 of some of anymail's parsers; errors of Relance's own handler
(tracking.py) stay 500, so that the provider sends the event again.
"""

from anymail.exceptions import AnymailWebhookValidationFailure
from anymail.webhooks.amazon_ses import AmazonSESInboundWebhookView, AmazonSESTrackingWebhookView
from anymail.webhooks.brevo import BrevoInboundWebhookView, BrevoTrackingWebhookView
from anymail.webhooks.mailgun import MailgunInboundWebhookView, MailgunTrackingWebhookView
from anymail.webhooks.mailjet import MailjetInboundWebhookView, MailjetTrackingWebhookView
from anymail.webhooks.postmark import PostmarkInboundWebhookView, PostmarkTrackingWebhookView
from anymail.webhooks.sendgrid import SendGridInboundWebhookView, SendGridTrackingWebhookView
from anymail.webhooks.sparkpost import SparkPostInboundWebhookView, SparkPostTrackingWebhookView
from django.conf import settings
from django.urls import path

TRACKING_VIEWS = {
    "amazon_ses": AmazonSESTrackingWebhookView,
    "brevo": BrevoTrackingWebhookView,
    "mailgun": MailgunTrackingWebhookView,
    "mailjet": MailjetTrackingWebhookView,
    "postmark": PostmarkTrackingWebhookView,
    "sendgrid": SendGridTrackingWebhookView,
    "sparkpost": SparkPostTrackingWebhookView,
}
INBOUND_VIEWS = {
    "amazon_ses": AmazonSESInboundWebhookView,
    "brevo": BrevoInboundWebhookView,
    "mailgun": MailgunInboundWebhookView,
    "mailjet": MailjetInboundWebhookView,
    "postmark": PostmarkInboundWebhookView,
    "sendgrid": SendGridInboundWebhookView,
    "sparkpost": SparkPostInboundWebhookView,
}


class ReadableOr400:
    """Mixed in before an anymail view: what fails while checking or reading the body is
    the sender's error (400), not the server's."""

    def run_validators(self, request):
        try:
            super().run_validators(request)
        except AnymailWebhookValidationFailure:
            raise
        except Exception as exc:
            raise AnymailWebhookValidationFailure(f"unreadable {self.esp_name} webhook") from exc

    def parse_events(self, request):
        try:
            return super().parse_events(request)
        except Exception as exc:
            raise AnymailWebhookValidationFailure(f"unreadable {self.esp_name} webhook") from exc


def configured_esp() -> str:
    """The anymail provider EMAIL_BACKEND sends through ("postmark"), or ""."""
    backend = settings.EMAIL_BACKEND
    if not backend.startswith("anymail.backends."):
        return ""
    return backend.removeprefix("anymail.backends.").partition(".")[0]


def _guarded(view):
    return type(f"Relance{view.__name__}", (ReadableOr400, view), {}).as_view()


def webhook_urls() -> tuple[list, str]:
    """For `include()`: the configured provider's tracking and inbound webhooks, in the
    `anymail` namespace; nothing without a WEBHOOK_SECRET or for a provider Relance does not
    know."""
    esp = configured_esp()
    view = TRACKING_VIEWS.get(esp)
    if view is None or not settings.ANYMAIL.get("WEBHOOK_SECRET"):
        return [], "anymail"
    return [
        path(f"{esp}/tracking/", _guarded(view), name=f"{esp}_tracking_webhook"),
        path(f"{esp}/inbound/", _guarded(INBOUND_VIEWS[esp]), name=f"{esp}_inbound_webhook"),
    ], "anymail"
