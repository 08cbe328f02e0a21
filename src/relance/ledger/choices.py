from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemKind(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    CREDIT_NOTE = "credit_note", _("Credit note")
    PAYMENT = "payment", _("Payment")


class ImportKind(models.TextChoices):
    CUSTOMERS = "customers", _("Customers")
    CONTACTS = "contacts", _("Contacts")
    ITEMS = "items", _("Items")
    FEC = "fec", _("Accounting entries (FEC)")
    EINVOICE = "einvoice", _("E-invoice (Factur-X, UBL, CII)")


class ImportStatus(models.TextChoices):
    MAPPING = "mapping", _("Columns to match")
    PREVIEWED = "previewed", _("Previewed")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class DateOrder(models.TextChoices):
    DAY_FIRST = "dmy", _("Day first (31/12/2026)")
    MONTH_FIRST = "mdy", _("Month first (12/31/2026)")


class DecimalSeparator(models.TextChoices):
    COMMA = ",", _("Decimal comma (1 234,56)")
    POINT = ".", _("Decimal point (1,234.56)")


AGING_BUCKETS = [
    ("not_due", _("Not due")),
    ("d1_30", _("1–30 days")),
    ("d31_60", _("31–60 days")),
    ("d61_90", _("61–90 days")),
    ("d90_plus", _("Over 90 days")),
]


class ItemStatus(models.TextChoices):
    """What an open invoice is going through, as rules over items test it (segments, alerts)."""

    OVERDUE = "overdue", _("Overdue")
    NOT_DUE = "not_due", _("Not due yet")
    DISPUTED = "disputed", _("Disputed")
    PROMISED = "promised", _("Payment promised")
    PROMISE_BROKEN = "promise_broken", _("Promise broken")
    PAYMENT_ANNOUNCED = "payment_announced", _("Payment announced")
    BLOCKED = "blocked", _("Blocked")
