from django.db import models
from django.utils.translation import gettext_lazy as _


class CustomFieldType(models.TextChoices):
    TEXT = "text", _("Text")
    INTEGER = "integer", _("Integer")
    DECIMAL = "decimal", _("Decimal")
    DATE = "date", _("Date")
    BOOLEAN = "boolean", _("Yes/no")
    SELECT = "select", _("Choice")


class ContactRole(models.TextChoices):
    COLLECTION = "collection", _("Collection")
    BILLING = "billing", _("Billing")
    LEGAL = "legal", _("Legal")
    OTHER = "other", _("Other")


class GuaranteeKind(models.TextChoices):
    """What secures a customer's debt besides credit insurance."""

    BANK_GUARANTEE = "bank_guarantee", _("Bank guarantee")
    STANDBY_LETTER = "standby_letter", _("Standby letter of credit")
    PARENT_GUARANTEE = "parent_guarantee", _("Parent company guarantee")
    PERSONAL_GUARANTEE = "personal_guarantee", _("Personal guarantee")
    DEPOSIT = "deposit", _("Security deposit")
    OTHER = "other", _("Other guarantee")
