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
