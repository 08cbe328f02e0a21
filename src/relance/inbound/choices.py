from django.db import models
from django.utils.translation import gettext_lazy as _


class InboundKind(models.TextChoices):
    """What a received email is, once parsed."""

    REPLY = "reply", _("Reply")
    AUTO_REPLY = "auto_reply", _("Automatic reply")
    BOUNCE = "bounce", _("Bounce")
    REFUSED = "refused", _("Refused")


class InboundStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Attached to a customer")
    UNASSIGNED = "unassigned", _("Unassigned")
    IGNORED = "ignored", _("Ignored")


class MatchedBy(models.TextChoices):
    """How a received email was traced to its customer, in the order they are tried."""

    IN_REPLY_TO = "in_reply_to", _("the message it answers")
    TOKEN = "token", _("the tag of the reply-to address")
    SENDER = "sender", _("the sender's address")
    INVOICE = "invoice", _("an invoice number")
    RECIPIENT = "recipient", _("the bounced address")  # a bounce naming no message of ours
    USER = "user", _("a user")


class InboundSource(models.TextChoices):
    IMAP = "imap", _("Mailbox (IMAP)")
    WEBHOOK = "webhook", _("Email provider (webhook)")
    FILE = "file", _("File")
