from django.db import models
from django.utils.translation import gettext_lazy as _


class StepChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    LETTER = "letter", _("Letter")
    REGISTERED_LETTER = "registered_letter", _("Registered letter")
    E_REGISTERED_LETTER = "e_registered_letter", _("Electronic registered letter")
    CALL = "call", _("Call")
    TASK = "task", _("Task")


# Every channel but `task` reaches the customer: a contact, for the minimum contact delay.
CONTACT_CHANNELS = frozenset(set(StepChannel) - {StepChannel.TASK})
MANUAL_ONLY_CHANNELS = frozenset({StepChannel.CALL, StepChannel.TASK})
MESSAGE_CHANNELS = frozenset(
    {
        StepChannel.EMAIL,
        StepChannel.SMS,
        StepChannel.LETTER,
        StepChannel.REGISTERED_LETTER,
        StepChannel.E_REGISTERED_LETTER,
    }
)


def default_mode(channel: str) -> str:
    """The mode a new step starts with: after confirmation, the seeds' choice, for every
    channel that can leave by itself; manual for calls and tasks."""
    return StepMode.MANUAL if channel in MANUAL_ONLY_CHANNELS else StepMode.AUTO_CONFIRM


LETTER_CHANNELS = frozenset(
    {StepChannel.LETTER, StepChannel.REGISTERED_LETTER, StepChannel.E_REGISTERED_LETTER}
)


class FallbackChannel(models.TextChoices):
    """What an email step falls back to when its email bounces (M2.4)."""

    SMS = "sms", _("SMS")
    LETTER = "letter", _("Letter")


class StepMode(models.TextChoices):
    MANUAL = "manual", _("Manual")
    AUTO_CONFIRM = "auto_confirm", _("Automatic after confirmation")
    AUTO = "auto", _("Automatic")


class Anchor(models.TextChoices):
    DUE_DATE = "due_date", _("Due date")
    ISSUE_DATE = "issue_date", _("Issue date")


class Attachments(models.TextChoices):
    NONE = "none", _("None")
    OVERDUE_INVOICES = "overdue_invoices", _("PDFs of the overdue invoices")
    OPEN_INVOICES = "open_invoices", _("PDFs of all open invoices")
    STATEMENT = "statement", _("Account statement (PDF)")
