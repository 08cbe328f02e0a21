from django.db import models
from django.utils.translation import gettext_lazy as _


class LinkState(models.TextChoices):
    """What a token resolves to; only VALID shows any data."""

    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    UNKNOWN = "unknown", _("Unknown")


class DisputeReason(models.TextChoices):
    PRICE = "price", _("Price")
    QUANTITY = "quantity", _("Quantity")
    QUALITY = "quality", _("Quality")
    NOT_RECEIVED = "not_received", _("Not received")
    ALREADY_PAID = "already_paid", _("Already paid")
    OTHER = "other", _("Other")


class CallbackSlot(models.TextChoices):
    MORNING = "morning", _("Morning (9:00–12:00)")
    AFTERNOON = "afternoon", _("Afternoon (14:00–17:00)")
    EVENING = "evening", _("Late afternoon (17:00–19:00)")
