from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxStatus(models.TextChoices):
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class ConnectorChannel(models.TextChoices):
    """What a connector carries; a registered letter goes through the letter connector."""

    SMS = "sms", _("SMS")
    LETTER = "letter", _("Letter (print and mail)")
    E_REGISTERED_LETTER = "e_registered_letter", _("Electronic registered letter")
    MAILBOX = "mailbox", _("Incoming email (replies and bounces)")


class ConnectorKind(models.TextChoices):
    CONSOLE = "console", _("Console (files in var/outbox/, development)")
    TWILIO = "twilio", _("Twilio-compatible SMS REST API")
    HTTP_JSON = "http_json", _("Generic HTTP JSON SMS API")
    PRINT_MAIL = "print_mail", _("Print-and-mail HTTP API")
    EREG = "ereg", _("Electronic registered mail HTTP API")
    IMAP = "imap", _("IMAP mailbox (polled)")
    INBOUND_WEBHOOK = "inbound_webhook", _("Email provider's inbound webhook")


# The provider's view of a message once handed over: SMS (delivered, failed), letters
# (accepted, printed, posted, delivered, returned), electronic registered letters (sent,
# delivered, signed, refused). Failure statuses put the action back in `error`.
PROVIDER_FAILURES = frozenset({"failed", "undelivered", "returned", "refused"})

# Letter connector kinds that can post a registered letter (`registered=true`); a connector
# whose settings say `"registered": false` (a contract without registered mail) cannot.
REGISTERED_LETTER_KINDS = frozenset({ConnectorKind.PRINT_MAIL, ConnectorKind.CONSOLE})


class ProofKind(models.TextChoices):
    """A document a provider gave as proof of a letter's journey (docs/channels.md)."""

    DEPOSIT = "deposit", _("Deposit receipt")
    ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement of receipt")
    EREG = "ereg", _("Electronic registered letter proof")


# Where the providers put a proof's PDF (base64) in their answers: the print-and-mail API's
# `deposit_receipt` and `acknowledgement_receipt`, the e-registered mail API's `document`.
PROOF_DOCUMENT_KEYS = {
    "deposit_receipt": ProofKind.DEPOSIT,
    "acknowledgement_receipt": ProofKind.ACKNOWLEDGEMENT,
    "document": ProofKind.EREG,
}
