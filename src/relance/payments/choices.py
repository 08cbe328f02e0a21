from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentProvider(models.TextChoices):
    STRIPE = "stripe", "Stripe"


class PaymentStatus(models.TextChoices):
    CREATED = "created", _("Created")
    COMPLETED = "completed", _("Completed")
    EXPIRED = "expired", _("Expired")
    FAILED = "failed", _("Failed")
