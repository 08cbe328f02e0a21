from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Replace, Upper
from django.utils.translation import gettext_lazy as _

from relance.core import validators
from relance.core.querysets import EntityScopedQuerySet
from relance.ledger.choices import DateOrder, DecimalSeparator, ImportKind, ImportStatus, ItemKind

# Item numbers are compared without case and without these separators when a bank line's
# text names one ("F-2026/0042" pays F20260042): banking/matching.py joins on this form.
NUMBER_SEPARATORS = " -/._"


def normalised(field: str):
    """`field` upper-cased without NUMBER_SEPARATORS, as an expression: the index below is
    on it and the bank matching's SQL (`matching.normalised_sql`) writes the same."""
    expression = F(field)
    for char in NUMBER_SEPARATORS:
        expression = Replace(expression, Value(char), Value(""))
    return Upper(expression)


class ItemQuerySet(EntityScopedQuerySet):
    def open(self):
        return self.filter(open_amount__gt=0)

    def invoices(self):
        return self.filter(kind=ItemKind.INVOICE)


class Item(models.Model):
    """One entry on a customer account. Amounts are positive; the kind gives the direction:
    an invoice is owed by the customer, a credit note or an unapplied payment is owed to it."""

    entity = models.ForeignKey(
        "core.Entity",
        on_delete=models.PROTECT,
        related_name="items",
        verbose_name=_("entity"),
        # The unique (entity, kind, number) leads with it: a second index would only cost
        # every imported row one more index entry.
        db_index=False,
    )
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("customer"),
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=ItemKind.choices, default=ItemKind.INVOICE
    )
    number = models.CharField(_("number"), max_length=50)
    issue_date = models.DateField(_("issue date"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    open_amount = models.DecimalField(_("open amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(
        _("currency"), max_length=3, validators=[validators.validate_currency]
    )
    pdf = models.FileField(_("PDF"), upload_to="items/", blank=True, max_length=255)
    disputed = models.BooleanField(_("disputed"), default=False)
    dispute_reason = models.CharField(_("dispute reason"), max_length=200, blank=True)
    dispute_date = models.DateField(_("dispute date"), null=True, blank=True)
    promise_date = models.DateField(_("promised payment date"), null=True, blank=True)
    # The customer said, on their page, that they paid on this date: the engine treats it
    # as a promise (promise_date is set to it) until the next import settles the item.
    payment_announced_on = models.DateField(_("payment announced for"), null=True, blank=True)
    # Paid online through the customer's page, awaiting reconciliation: no reminder for
    # it until an import or a bank reconciliation closes it.
    payment_pending_since = models.DateTimeField(
        _("paid online, awaiting reconciliation since"), null=True, blank=True
    )
    blocked = models.BooleanField(
        _("blocked"), default=False, help_text=_("Excluded from reminders by hand.")
    )
    # The day the open amount reached 0 (the import that saw it, or the file's own
    # settled_on column); empty while open, and for items already settled when first
    # imported without that column. What "collected after each step" counts.
    settled_on = models.DateField(_("settled on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "issue_date", "number"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "kind", "number"],
                name="item_number_unique_per_entity_and_kind",
                violation_error_message=_("This number is already used."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=Decimal("0")), name="item_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(open_amount__gte=Decimal("0")) & Q(open_amount__lte=models.F("amount")),
                name="item_open_amount_within_amount",
            ),
            models.CheckConstraint(
                condition=~Q(kind=ItemKind.INVOICE) | Q(due_date__isnull=False),
                name="item_invoice_has_due_date",
            ),
        ]
        indexes = [
            # The open items of a customer are what every page and the engine read.
            models.Index(
                fields=["customer", "kind", "due_date"],
                name="item_open_by_customer",
                condition=Q(open_amount__gt=0),
            ),
            models.Index(
                fields=["entity", "due_date"],
                name="item_open_by_due_date",
                condition=Q(open_amount__gt=0),
            ),
            # A bank line's candidate numbers joined to the items (banking/matching.py):
            # without it the join computes the normalised number of every item, a full scan
            # per statement on PostgreSQL and per candidate on SQLite.
            models.Index(
                F("entity"), F("kind"), normalised("number"), name="item_number_normalised"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def is_open(self) -> bool:
        return self.open_amount > 0

    def promise_broken(self, today) -> bool:
        """A promise to pay whose date has passed, at the entity's `today`, on an item
        still open."""
        return bool(self.promise_date and today and self.promise_date < today and self.is_open)


class ImportBatch(models.Model):
    """One import of a file, kept with its counts, its errors and who ran it."""

    entity = models.ForeignKey(
        "core.Entity", on_delete=models.CASCADE, related_name="imports", verbose_name=_("entity")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ImportKind.choices)
    file_name = models.CharField(_("file"), max_length=255)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.RUNNING
    )
    dry_run = models.BooleanField(_("dry run"), default=False)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="imports",
        verbose_name=_("run by"),
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    upload = models.FileField(upload_to="imports/", blank=True)
    # A smart upload's confirmed mapping (importers/mapping.py ColumnMapping.as_data);
    # empty for a file with Relance's own columns.
    mapping = models.JSONField(_("column mapping"), null=True, blank=True)

    objects = EntityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name}"


class ColumnMapping(models.Model):
    """How an entity's files with a given header map to Relance's fields, as a user last
    confirmed it: the next file with the same header is proposed the same mapping."""

    entity = models.ForeignKey(
        "core.Entity",
        on_delete=models.CASCADE,
        related_name="column_mappings",
        verbose_name=_("entity"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ImportKind.choices)
    # importers/mapping.py header_signature(): the headers without case, accents, punctuation.
    signature = models.CharField(_("header signature"), max_length=64)
    headers = models.JSONField(_("headers"), default=list)
    fields = models.JSONField(_("fields"), default=list)
    date_order = models.CharField(
        _("date order"), max_length=3, choices=DateOrder.choices, default=DateOrder.DAY_FIRST
    )
    decimal_separator = models.CharField(
        _("decimal separator"),
        max_length=1,
        choices=DecimalSeparator.choices,
        default=DecimalSeparator.POINT,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    updated_at = models.DateTimeField(_("confirmed"), auto_now=True)

    objects = EntityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["entity", "kind", "-updated_at"]
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "kind", "signature"],
                name="ledger_columnmapping_unique_header",
                violation_error_message=_("This entity already has a mapping for these columns."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.entity} {self.kind}: {', '.join(self.headers)}"


class ItemAmountChange(models.Model):
    """A dated change of an item's open amount: its first import (from 0), then each
    import that saw a different open amount (a partial payment, a settlement, a reopening).
    With `settled_on`, what the open amount of any item was on any past day rests on."""

    entity = models.ForeignKey(
        "core.Entity",
        on_delete=models.CASCADE,
        related_name="item_amount_changes",
        verbose_name=_("entity"),
    )
    item = models.ForeignKey(
        Item,
        on_delete=models.CASCADE,
        related_name="amount_changes",
        verbose_name=_("item"),
        db_index=False,  # the index (item, day) leads with it
    )
    # The entity's calendar day of the import that saw the change.
    day = models.DateField(_("day"))
    open_amount_after = models.DecimalField(_("open amount after"), max_digits=14, decimal_places=2)
    delta = models.DecimalField(_("change"), max_digits=14, decimal_places=2)

    objects = EntityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["item", "day", "id"]
        verbose_name = _("open amount change")
        verbose_name_plural = _("open amount changes")
        indexes = [
            # The open amount of an item on a day: its last change on or before that day.
            models.Index(fields=["item", "day"], name="item_amount_change_by_day"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.day.isoformat()} {self.delta:+}"
