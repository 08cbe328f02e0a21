from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    LETTER = "letter", _("Letter")
    CALL = "call", _("Call script")
    TASK = "task", _("Internal task")


# Channels whose body is rich HTML; the others are plain text.
RICH_CHANNELS = frozenset({Channel.EMAIL, Channel.LETTER})


class LetterType(models.TextChoices):
    STANDARD = "standard", _("Standard letter")
    REGISTERED = "registered", _("Registered letter with acknowledgement of receipt")
    E_REGISTERED = "e_registered", _("Electronic registered letter")


class HashtagCategory(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    ACCOUNT = "account", _("Account")
    COMPANY = "company", _("Company")
    SENDER = "sender", _("Sender")


# The English names `relance setup` gives the default templates (by default_key): while a
# template keeps its name, lists show it in the reader's language (MessageTemplate.display_name).
DEFAULT_TEMPLATE_NAMES = {
    "courtesy-reminder": pgettext_lazy("default template", "Courtesy reminder"),
    "first-reminder": pgettext_lazy("default template", "First reminder"),
    "second-reminder": pgettext_lazy("default template", "Second reminder"),
    "sms-reminder": pgettext_lazy("default template", "SMS reminder"),
    "call-script": pgettext_lazy("default template", "Call script"),
    "formal-notice": pgettext_lazy("default template", "Formal notice"),
    "escalation-task": pgettext_lazy("default template", "Escalation task"),
}


DEFAULT_TEMPLATE_DESCRIPTIONS = {
    "courtesy-reminder": pgettext_lazy(
        "default template", "Email sent a few days before the due date."
    ),
    "first-reminder": pgettext_lazy("default template", "First email once invoices are overdue."),
    "second-reminder": pgettext_lazy(
        "default template", "Firmer email mentioning penalties, with a payment QR code."
    ),
    "sms-reminder": pgettext_lazy(
        "default template", "Short text message to the collection contact."
    ),
    "call-script": pgettext_lazy("default template", "What the collector says on the phone."),
    "formal-notice": pgettext_lazy(
        "default template", "Mise en demeure, registered letter with acknowledgement of receipt."
    ),
    "escalation-task": pgettext_lazy(
        "default template", "Internal task for the credit manager after the formal notice."
    ),
}


def default_template_name(key: str) -> str:
    """The English name of a default template, the one it is created with."""
    with translation.override("en"):
        return str(DEFAULT_TEMPLATE_NAMES[key])


def default_template_description(key: str) -> str:
    """The English description a default template is created with."""
    with translation.override("en"):
        return str(DEFAULT_TEMPLATE_DESCRIPTIONS[key])
