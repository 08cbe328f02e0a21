from django.db import models
from django.utils.translation import gettext_lazy as _


class StatementFormat(models.TextChoices):
    CAMT053 = "camt053", _("ISO 20022 camt.053")
    CAMT054 = "camt054", _("ISO 20022 camt.054")
    MT940 = "mt940", _("SWIFT MT940")
    CSV = "csv", _("CSV")


class LineStatus(models.TextChoices):
    UNMATCHED = "unmatched", _("Unmatched")
    SUGGESTED = "suggested", _("To check")
    MATCHED = "matched", _("Matched")
    IGNORED = "ignored", _("Debit, not matched")


class MatchReason(models.TextChoices):
    REFERENCE = "reference", _("Creditor reference")
    NUMBER = "number", _("Invoice number in the text")
    AMOUNT = "amount", _("Amount of one open item")
    COMBINATION = "combination", _("Sum of open items")
    MANUAL = "manual", _("Allocated by hand")
