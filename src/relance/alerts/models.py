from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AlertRule(models.Model):
    """A user's own alert: the customers they may see that match `criteria` (a rule tree
    over customer fields, custom fields, items and figures, as segments write it:
    segments/criteria.py) are listed under "My alerts" after each daily evaluation, with
    the figures that matched, and mailed to the owner in a daily digest."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="alert_rules",
        verbose_name=_("owner"),
    )
    name = models.CharField(_("name"), max_length=100)
    criteria = models.JSONField(_("rules"), default=dict, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    send_digest = models.BooleanField(
        _("daily email"),
        default=True,
        help_text=_("Send me the customers of this alert by email each morning."),
    )
    last_evaluated_on = models.DateField(_("last evaluated on"), null=True, blank=True)
    # What the last digest covered: a rerun the same day sends nothing twice.
    digest_sent_on = models.DateField(_("digest sent on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

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

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("alerts:detail", args=[self.pk])


class AlertHit(models.Model):
    """A customer that matched a rule on the day it was evaluated, with the figures that
    matched: {field key: value as JSON} (amounts as text, dates as ISO)."""

    rule = models.ForeignKey(AlertRule, on_delete=models.CASCADE, related_name="hits")
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="alert_hits"
    )
    evaluated_on = models.DateField(_("evaluated on"))
    figures = models.JSONField(_("figures"), default=dict, blank=True)

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
