from datetime import date
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from relance.core.querysets import EntityScopedQuerySet

# The aging buckets of a snapshot, as ledger.choices.AGING_BUCKETS names them: (field, lowest
# days overdue, highest days overdue), None open-ended (customers.selectors.AGING_LIMITS).
BUCKETS = [
    ("not_due", None, 0),
    ("d1_30", 1, 30),
    ("d31_60", 31, 60),
    ("d61_90", 61, 90),
    ("d90_plus", 91, None),
]


def money(label):
    return models.DecimalField(label, max_digits=16, decimal_places=2, default=Decimal("0.00"))


class SnapshotDay(models.Model):
    """A day whose snapshots of an entity are written: a customer without a row that day had
    nothing open (no row at all for a day not written)."""

    entity = models.ForeignKey(
        "core.Entity",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("entity"),
        db_index=False,  # the unique (entity, day) and the index (entity, day, currency) lead
    )
    day = models.DateField(_("day"))
    written_at = models.DateTimeField(_("written at"), auto_now=True)

    objects = EntityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["entity", "day"]
        verbose_name = _("snapshot day")
        verbose_name_plural = _("snapshot days")
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "day"],
                name="snapshot_day_unique",
                violation_error_message=_("This day is already written."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entity_id} {self.day.isoformat()}"


# The `until` of a snapshot that still holds on the latest day written (an open end: the
# next daily snapshot closes it if the customer's figures change).
OPEN_END = date(9999, 12, 31)


class SnapshotQuerySet(EntityScopedQuerySet):
    def on(self, day: date):
        """The snapshots that hold at the end of `day` (one per customer and currency)."""
        return self.filter(since__lte=day, until__gt=day)


class CustomerSnapshot(models.Model):
    """What a customer owed at the end of each day from `since` to the day before `until`,
    in one currency: its open invoices aged by days past due (the buckets sum to
    `open_amount`), and its open credit notes and unapplied payments beside them, not aged
    and not netted (as on the customer's page). A row is written only when the figures
    change (docs/insights.md, "Storage"): a year is ~50 rows a customer, not 365."""

    entity = models.ForeignKey(
        "core.Entity",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("entity"),
        db_index=False,  # the index (entity, until) leads with it
        # No constraint in the database (deleting still cascades, in Django): its check on
        # each inserted row was half the cost of a backfill, and the rows are derived: a
        # backfill rebuilds them.
        db_constraint=False,
    )
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.CASCADE,
        related_name="snapshots",
        verbose_name=_("customer"),
        db_index=False,  # the unique (customer, currency, since) leads with it
        db_constraint=False,  # as for the entity
    )
    currency = models.CharField(_("currency"), max_length=3)
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), help_text=_("The first day it no longer holds."))
    open_amount = money(_("open invoices"))
    overdue = money(_("overdue"))
    not_due = money(_("not due"))
    d1_30 = money(_("1–30 days"))
    d31_60 = money(_("31–60 days"))
    d61_90 = money(_("61–90 days"))
    d90_plus = money(_("over 90 days"))
    credits = money(_("credits"))

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["since", "customer", "currency"]
        verbose_name = _("customer snapshot")
        verbose_name_plural = _("customer snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "currency", "since"],
                name="snapshot_unique_per_customer_currency_since",
                violation_error_message=_("This customer already has a snapshot from that day."),
            ),
            models.CheckConstraint(
                condition=models.Q(since__lt=models.F("until")),
                name="snapshot_since_before_until",
                violation_error_message=_("A snapshot ends after it begins."),
            ),
        ]
        indexes = [
            # The latest day of an entity: its snapshots still open (until = OPEN_END), the
            # largest overdue first for the top customers; the daily snapshot closes and
            # extends them by this index too.
            models.Index(
                fields=["entity", "until", "currency", "-overdue"], name="snapshot_by_entity_until"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.since.isoformat()}–{self.until.isoformat()}"


def total_entity():
    """The entity of a totals row, indexed only by the row's (entity, currency, …) index."""
    return models.ForeignKey(
        "core.Entity",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("entity"),
        db_index=False,
    )


def total_collector():
    """The collector of a totals row: the customer's when the row was written (empty: none).
    No constraint: a collector deleted later leaves the totals as they were."""
    return models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("collector"),
        db_index=False,
        db_constraint=False,
    )


class DailyTotal(models.Model):
    """The sum of an entity's snapshots of a day, per currency and per collector (the
    customer's collector when the day was written; empty: customers without one): what the
    dashboard reads instead of 100,000 snapshots a day. Rewritten with the snapshots
    (services.snapshot_totals_write)."""

    entity = total_entity()  # the index (entity, currency, day) leads with it
    day = models.DateField(_("day"))
    currency = models.CharField(_("currency"), max_length=3)
    collector = total_collector()
    customers = models.PositiveIntegerField(_("customers"), default=0)
    open_amount = money(_("open invoices"))
    overdue = money(_("overdue"))
    not_due = money(_("not due"))
    d1_30 = money(_("1–30 days"))
    d31_60 = money(_("31–60 days"))
    d61_90 = money(_("61–90 days"))
    d90_plus = money(_("over 90 days"))
    credits = money(_("credits"))

    objects = EntityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["entity", "day", "currency", "collector"]
        verbose_name = _("daily total")
        verbose_name_plural = _("daily totals")
        indexes = [
            models.Index(fields=["entity", "currency", "day"], name="daily_total_by_day"),
        ]

    def __str__(self) -> str:
        return f"{self.entity_id} {self.day.isoformat()} {self.currency} {self.collector_id}"


class MonthlySales(models.Model):
    """The invoices issued in a month by an entity, per currency and per collector (as
    DailyTotal): the sales of the DSO, read by the dashboard without scanning every item.
    Rewritten whole with the snapshots, so they are the sales as of the last day written."""

    entity = total_entity()  # the index (entity, currency, month) leads with it
    month = models.DateField(_("month"))  # its first day
    currency = models.CharField(_("currency"), max_length=3)
    collector = total_collector()
    sales = money(_("sales"))

    objects = EntityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["entity", "month", "currency", "collector"]
        verbose_name = _("monthly sales")
        verbose_name_plural = _("monthly sales")
        indexes = [
            models.Index(fields=["entity", "currency", "month"], name="monthly_sales_by_month"),
        ]

    def __str__(self) -> str:
        return f"{self.entity_id} {self.month.isoformat()} {self.currency} {self.collector_id}"


def part(label):
    return models.DecimalField(label, max_digits=4, decimal_places=1, null=True, blank=True)


class CustomerRisk(models.Model):
    """A customer's risk score on a day (0 no risk, 100 the highest) and the parts it is
    made of, each 0–100, empty where the customer gives no data for it (insights/risk.py
    and docs/insights.md give the formula). Written by the daily snapshot, for the
    customer's page, segments and alerts to read the latest."""

    entity = models.ForeignKey(
        "core.Entity",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("entity"),
        db_index=False,  # the index (entity, day) leads with it
        # No constraint in the database, as for the snapshots: the rows are derived (the
        # daily snapshot rewrites them) and its check cost two lookups per inserted row,
        # 200,000 a day at 100,000 customers; deleting still cascades, in Django.
        db_constraint=False,
    )
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.CASCADE,
        related_name="risks",
        verbose_name=_("customer"),
        db_index=False,  # the unique (customer, day) leads with it
        db_constraint=False,  # as for the entity
    )
    day = models.DateField(_("day"))
    score = models.PositiveSmallIntegerField(_("risk score"))
    days_late = models.DecimalField(
        _("average days late"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    dso = models.DecimalField(_("DSO"), max_digits=7, decimal_places=1, null=True, blank=True)
    lateness = part(_("payment lateness"))
    overdue_share = part(_("overdue share"))
    trend = part(_("trend"))
    disputes = part(_("disputes"))
    credit_use = part(_("credit limit use"))

    objects = EntityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["day", "customer"]
        verbose_name = _("customer risk")
        verbose_name_plural = _("customer risks")
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "day"],
                name="customer_risk_unique_per_day",
                violation_error_message=_("This customer already has a risk score that day."),
            ),
        ]
        indexes = [models.Index(fields=["entity", "day"], name="customer_risk_by_entity_day")]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.day.isoformat()} {self.score}"


class ExchangeRate(models.Model):
    """A company's own exchange rate: 1 `currency` = `rate` `quote` from `day` on (until
    its next rate). Imported from a CSV (`relance insights rates --from FILE`); where none
    is known on or before a day, the ECB reference rates are used (insights/fx.py)."""

    day = models.DateField(_("day"))
    currency = models.CharField(_("currency"), max_length=3)
    quote = models.CharField(_("in currency"), max_length=3)
    rate = models.DecimalField(_("rate"), max_digits=20, decimal_places=8)
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        ordering = ["currency", "quote", "day"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "quote", "day"],
                name="exchange_rate_unique_per_day",
                violation_error_message=_("This rate is already known that day."),
            ),
            models.CheckConstraint(
                condition=models.Q(rate__gt=0),
                name="exchange_rate_positive",
                violation_error_message=_("A rate must be greater than 0."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day.isoformat()} 1 {self.currency} = {self.rate} {self.quote}"
