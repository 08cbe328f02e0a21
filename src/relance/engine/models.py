from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from relance.engine.choices import RunStatus


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
