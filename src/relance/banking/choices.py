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


class SuggestionBasis(models.TextChoices):
    """What a suggestion of the reconciliation screen rests on (never stored)."""

    REFERENCE = "reference", _("Creditor reference")
    NUMBER = "number", _("Invoice number in the text")
    PAYER_AMOUNT = "payer_amount", _("The payer's invoice of this amount")
    PAYER_SUM = "payer_sum", _("The payer's invoices adding up to this amount")
    PAYER_OLDEST = "payer_oldest", _("The payer's oldest invoices")
    NAME_AMOUNT = "name_amount", _("Payer's name and an invoice of this amount")
    NAME_OLDEST = "name_oldest", _("Payer's name and oldest invoices")
    AMOUNT = "amount", _("An invoice of this amount")


class UploadStatus(models.TextChoices):
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")
