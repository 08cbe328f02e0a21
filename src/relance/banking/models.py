"""Bank statements as imported, their lines, and what each credit line paid."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from relance.banking.choices import LineStatus, MatchReason, StatementFormat, UploadStatus
from relance.core.querysets import EntityScopedQuerySet


class Statement(models.Model):
    """One imported file (camt.053/054, MT940 or CSV); refused a second time by its hash."""

    entity = models.ForeignKey(
        "core.Entity",
        on_delete=models.CASCADE,
        related_name="bank_statements",
        verbose_name=_("entity"),
    )
    format = models.CharField(_("format"), max_length=8, choices=StatementFormat.choices)
    file_name = models.CharField(_("file"), max_length=255)
    fingerprint = models.CharField(_("SHA-256 of the file"), max_length=64)
    reference = models.CharField(_("statement reference"), max_length=100, blank=True)
    account_iban = models.CharField(_("account"), max_length=34, blank=True)
    lines_count = models.PositiveIntegerField(_("lines"), default=0)
    matched_count = models.PositiveIntegerField(_("matched"), default=0)
    suggested_count = models.PositiveIntegerField(_("to check"), default=0)
    unmatched_count = models.PositiveIntegerField(_("unmatched"), default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bank_statements",
        verbose_name=_("imported by"),
    )
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)

    objects = EntityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "fingerprint"],
                name="bank_statement_imported_once",
                violation_error_message=_("This statement was already imported."),
            )
        ]

    def __str__(self) -> str:
        return self.file_name


class StatementLine(models.Model):
    """One booked entry of a statement. Amounts are positive; `credit` gives the direction
    (only credits, money received, are matched to open items)."""

    entity = models.ForeignKey(
        "core.Entity", on_delete=models.CASCADE, related_name="+", verbose_name=_("entity")
    )
    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="lines", verbose_name=_("statement")
    )
    position = models.PositiveIntegerField(_("line"))
    booking_date = models.DateField(_("booking date"))
    value_date = models.DateField(_("value date"), null=True, blank=True)
    credit = models.BooleanField(_("credit"), default=True)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    counterparty_name = models.CharField(_("payer"), max_length=140, blank=True)
    counterparty_iban = models.CharField(_("payer's IBAN"), max_length=34, blank=True)
    reference = models.CharField(_("structured reference"), max_length=35, blank=True)
    remittance = models.TextField(_("remittance text"), blank=True)
    bank_reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=LineStatus.choices, default=LineStatus.UNMATCHED
    )
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bank_lines",
        verbose_name=_("customer"),
    )
    reason = models.CharField(_("match"), max_length=12, choices=MatchReason.choices, blank=True)
    # What the automatic matching proposed without being sure: item ids, for the screen.
    suggested_item_ids = models.JSONField(_("suggested items"), default=list, blank=True)

    objects = EntityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["statement", "position"]
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "position"], name="bank_line_position_unique"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="bank_line_amount_positive"),
        ]
        indexes = [
            # The reconciliation screen: the lines still to reconcile of an entity.
            models.Index(
                fields=["entity", "booking_date"],
                name="bank_line_to_reconcile",
                condition=Q(status__in=["unmatched", "suggested"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statement_id}#{self.position} {self.amount} {self.currency}"


class Allocation(models.Model):
    """Part of a credit line applied to an item: an invoice it paid (in full or in part), or
    the unapplied credit (a payment item) the rest of the line became."""

    entity = models.ForeignKey(
        "core.Entity", on_delete=models.CASCADE, related_name="+", verbose_name=_("entity")
    )
    line = models.ForeignKey(
        StatementLine, on_delete=models.CASCADE, related_name="allocations", verbose_name=_("line")
    )
    item = models.ForeignKey(
        "ledger.Item",
        on_delete=models.CASCADE,
        related_name="bank_allocations",
        verbose_name=_("item"),
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    unapplied = models.BooleanField(_("unapplied credit"), default=False)
    reason = models.CharField(_("match"), max_length=12, choices=MatchReason.choices)
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("allocated by"),
    )
    created_at = models.DateTimeField(_("allocated"), auto_now_add=True)

    objects = EntityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["line", "id"]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="bank_allocation_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line_id} → {self.item_id} {self.amount}"


class PayerAccount(models.Model):
    """An IBAN a customer pays from: given by hand, or learned when a user allocates a line
    paid from it. A later credit from it names the customer."""

    entity = models.ForeignKey(
        "core.Entity", on_delete=models.CASCADE, related_name="+", verbose_name=_("entity")
    )
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.CASCADE,
        related_name="payer_accounts",
        verbose_name=_("customer"),
    )
    iban = models.CharField(_("IBAN"), max_length=34)
    learned = models.BooleanField(_("learned from a statement"), default=False)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    objects = EntityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["customer", "iban"]
        verbose_name = _("payer account")
        verbose_name_plural = _("payer accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "iban"],
                name="payer_account_unique_per_customer",
                violation_error_message=_("This IBAN is already known for this customer."),
            )
        ]
        indexes = [models.Index(fields=["entity", "iban"], name="payer_account_by_iban")]

    def __str__(self) -> str:
        return self.iban


class StatementUpload(models.Model):
    """A statement file uploaded on the web page and imported in the background (a large
    one): what its page shows while it runs, then its statement or its problems."""

    entity = models.ForeignKey(
        "core.Entity", on_delete=models.CASCADE, related_name="+", verbose_name=_("entity")
    )
    file_name = models.CharField(_("file"), max_length=255)
    upload = models.FileField(_("uploaded file"), upload_to="bank/", max_length=255)
    format = models.CharField(
        _("format"), max_length=8, choices=StatementFormat.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=8, choices=UploadStatus.choices, default=UploadStatus.RUNNING
    )
    problems = models.JSONField(_("problems"), default=list, blank=True)
    statement = models.ForeignKey(
        Statement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("statement"),
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = EntityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("statement upload")
        verbose_name_plural = _("statement uploads")

    def __str__(self) -> str:
        return self.file_name
