from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from relance.core.querysets import EntityScopedQuerySet
from relance.engine.choices import FailureStage, RunKind, RunStatus


class EngineRun(models.Model):
    """One run of the engine for one entity and one date: its history, and its lock. The row
    `running` of an entity is the lock: a second run cannot insert its own (see runner.py)."""

    entity = models.ForeignKey(
        "core.Entity",
        on_delete=models.CASCADE,
        related_name="engine_runs",
        verbose_name=_("entity"),
    )
    day = models.DateField(_("run date"))
    kind = models.CharField(
        _("kind"), max_length=12, choices=RunKind.choices, default=RunKind.DAILY
    )
    dry_run = models.BooleanField(_("dry run"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=RunStatus.choices, default=RunStatus.RUNNING
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("run by"),
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    objects = EntityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("engine run")
        verbose_name_plural = _("engine runs")
        constraints = [
            models.UniqueConstraint(
                fields=["entity"],
                condition=Q(status="running"),
                name="engine_run_one_running_per_entity",
                violation_error_message=_("A run is already in progress for this entity."),
            ),
        ]
        indexes = [models.Index(fields=["entity", "day"], name="engine_run_by_day")]

    def __str__(self) -> str:
        return f"{self.entity} {self.day} ({self.status})"


class EngineErrorQuerySet(models.QuerySet):
    def unresolved(self):
        return self.filter(resolved_on__isnull=True)

    def visible_to(self, user):
        """The errors of the customers `user` may see (the customers' own scoping)."""
        from relance.customers.models import Customer

        return self.filter(customer__in=Customer.objects.visible_to(user).values("pk"))


class EngineError(models.Model):
    """The engine failed for one customer on one run day: the run went on for the others
    (spec, amendment 1, rule 6). Unresolved until a later run plans the customer again
    without failing; shown on the customer's collection panel and the agenda's error tab."""

    entity = models.ForeignKey(
        "core.Entity", on_delete=models.CASCADE, related_name="+", verbose_name=_("entity")
    )
    run = models.ForeignKey(
        EngineRun,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="customer_errors",
        verbose_name=_("run"),
    )
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.CASCADE,
        related_name="engine_errors",
        verbose_name=_("customer"),
    )
    day = models.DateField(_("run date"))
    stage = models.CharField(_("stage"), max_length=10, choices=FailureStage.choices)
    message = models.TextField(_("message"))
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = EngineErrorQuerySet.as_manager()

    class Meta:
        ordering = ["-day", "-id"]
        verbose_name = _("engine error")
        verbose_name_plural = _("engine errors")
        indexes = [
            models.Index(fields=["entity", "resolved_on"], name="engine_error_unresolved"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.day} {self.stage}: {self.message[:60]}"
