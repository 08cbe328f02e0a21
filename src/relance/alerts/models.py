from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from relance.alerts.choices import KIND_PARAMETER, RuleKind


class AlertRule(models.Model):
    """A user's own alert: the customers they may see that match `kind` (with its parameter,
    `amount` or `days`) are listed under "My alerts" after each daily evaluation."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="alert_rules",
        verbose_name=_("owner"),
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("rule"), max_length=20, choices=RuleKind.choices)
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    days = models.PositiveIntegerField(_("days"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    last_evaluated_on = models.DateField(_("last evaluated on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["owner", "name", "id"]
        verbose_name = _("alert rule")
        verbose_name_plural = _("alert rules")
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "name"],
                name="alert_rule_unique_name_per_owner",
                violation_error_message=_("You already have an alert with this name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        parameter = KIND_PARAMETER.get(self.kind)
        if parameter and getattr(self, parameter) is None:
            raise ValidationError({parameter: _("This rule needs this parameter.")})

    @property
    def parameter(self):
        name = KIND_PARAMETER.get(self.kind)
        return getattr(self, name) if name else None


class AlertHit(models.Model):
    """A customer that matched a rule on the day it was evaluated."""

    rule = models.ForeignKey(AlertRule, on_delete=models.CASCADE, related_name="hits")
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="alert_hits"
    )
    evaluated_on = models.DateField(_("evaluated on"))

    class Meta:
        ordering = ["-evaluated_on", "rule", "customer__name", "id"]
        verbose_name = _("alert hit")
        verbose_name_plural = _("alert hits")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "evaluated_on", "customer"],
                name="alert_hit_once_per_day",
                violation_error_message=_("This customer already matched this rule that day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule} · {self.customer_id} · {self.evaluated_on}"
