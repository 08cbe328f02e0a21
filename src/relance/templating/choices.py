from django.db import models
from django.utils.translation import gettext_lazy as _


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
