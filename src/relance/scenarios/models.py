from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from relance.core.querysets import SharedOrEntityQuerySet
from relance.scenarios.choices import Anchor, Attachments, FallbackChannel, StepChannel, StepMode


class ScenarioQuerySet(SharedOrEntityQuerySet):
    """Scenarios are shared by all entities unless restricted to one (`entity` set)."""


class Scenario(models.Model):
    """An ordered list of reminder steps and the rules that space them (engine spec)."""

    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=200, blank=True)
    entity = models.ForeignKey(
        "core.Entity",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="scenarios",
        verbose_name=_("entity"),
        help_text=_("Leave empty to share the scenario with every entity."),
    )
    min_contact_days = models.PositiveSmallIntegerField(
        _("minimum days between two contacts"), default=7
    )
    min_amount = models.DecimalField(
        _("minimum amount at stake"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0.01"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    repeat_last_every_days = models.PositiveSmallIntegerField(
        _("repeat the last step every (days)"), default=0, help_text=_("0: no repetition.")
    )
    lookahead_days = models.PositiveSmallIntegerField(
        _("show upcoming actions (days ahead)"), default=7
    )
    promise_grace_days = models.PositiveSmallIntegerField(
        _("grace days after a promised date"), default=3
    )
    default_key = models.SlugField(_("default"), max_length=50, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScenarioQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")
        constraints = [
            models.UniqueConstraint(
                fields=["name"],
                name="scenario_name_unique",
                violation_error_message=_("A scenario with this name already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("scenarios:detail", args=[self.pk])


class Step(models.Model):
    """One reminder of a scenario: what, how, when (anchor + offset) and by whom."""

    scenario = models.ForeignKey(
        Scenario, on_delete=models.CASCADE, related_name="steps", verbose_name=_("scenario")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=100)
    channel = models.CharField(_("channel"), max_length=20, choices=StepChannel.choices)
    mode = models.CharField(_("mode"), max_length=12, choices=StepMode.choices)
    anchor = models.CharField(
        _("from"), max_length=10, choices=Anchor.choices, default=Anchor.DUE_DATE
    )
    offset_days = models.SmallIntegerField(
        _("days"), default=0, help_text=_("Negative: before the date (a preventive step).")
    )
    template = models.ForeignKey(
        "templating.MessageTemplate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="steps",
        verbose_name=_("template"),
    )
    responsible_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="responsible_steps",
        verbose_name=_("responsible users"),
        help_text=_("Empty: the customer's collector."),
    )
    responsible_groups = models.ManyToManyField(
        "auth.Group",
        blank=True,
        related_name="responsible_steps",
        verbose_name=_("responsible groups"),
    )
    cc_contact_roles = models.CharField(
        _("copy to contacts with roles"),
        max_length=50,
        blank=True,
        help_text=_("Comma-separated: collection, billing, legal, other."),
    )
    cc_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="copied_steps",
        verbose_name=_("copy to team members"),
    )
    cc_email = models.EmailField(
        _("copy to a fixed address"),
        blank=True,
        help_text=_("This address receives every customer's messages of this step."),
    )
    attachments = models.CharField(
        _("attachments"), max_length=20, choices=Attachments.choices, default=Attachments.NONE
    )
    instructions = models.TextField(_("script or instructions"), blank=True)
    fallback_channel = models.CharField(
        _("if the email bounces"),
        max_length=20,
        choices=FallbackChannel.choices,
        blank=True,
        help_text=_("The channel of the action created at once when this step's email bounces."),
    )

    class Meta:
        ordering = ["scenario", "position", "id"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        constraints = [
            models.CheckConstraint(
                condition=~Q(channel__in=["call", "task"]) | Q(mode="manual"),
                name="step_calls_and_tasks_are_manual",
                violation_error_message=_("Calls and tasks are always manual."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scenario} · {self.position}. {self.name}"
