from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from relance.core import validators
from relance.core.querysets import EntityScopedQuerySet
from relance.payments.choices import PaymentProvider, PaymentStatus


class Payment(models.Model):
    """An online payment started from the customer's page: one provider checkout session
    for a selection of items, until the provider says it was paid (or expired)."""

    entity = models.ForeignKey(
        "core.Entity", on_delete=models.PROTECT, related_name="payments", verbose_name=_("entity")
    )
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.CASCADE,
        related_name="payments",
        verbose_name=_("customer"),
    )
    items = models.ManyToManyField(
        "ledger.Item", related_name="online_payments", verbose_name=_("items")
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(
        _("currency"), max_length=3, validators=[validators.validate_currency]
    )
    provider = models.CharField(_("provider"), max_length=20, choices=PaymentProvider.choices)
    provider_session_id = models.CharField(_("provider session id"), max_length=255)
    status = models.CharField(
        _("status"), max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.CREATED
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    objects = EntityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("online payment")
        verbose_name_plural = _("online payments")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_session_id"],
                name="payment_session_unique_per_provider",
                violation_error_message=_("This provider session is already recorded."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=Decimal("0")), name="payment_amount_positive"
            ),
        ]
        indexes = [models.Index(fields=["customer", "created_at"], name="payment_by_customer")]

    def __str__(self) -> str:
        return f"{self.get_provider_display()} {self.amount} {self.currency} · {self.customer}"
