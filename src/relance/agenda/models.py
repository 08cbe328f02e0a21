from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from relance.agenda.choices import (
    OPEN_STATUSES,
    ActionReason,
    ActionStatus,
    PlannedBy,
    ResponseChannel,
    ResponseKind,
)
from relance.core.carriers import carrier_name, tracking_url
from relance.core.querysets import EntityScopedQuerySet
from relance.scenarios.choices import StepChannel, StepMode


class ActionQuerySet(EntityScopedQuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class Action(models.Model):
    """One step of a scenario for one customer: planned by the engine, done by a person
    (manual) or sent by the engine (automatic). Its cycle is (customer, scenario, reference
    invoice); the step's channel, mode and name are copied so history survives edits."""

    entity = models.ForeignKey("core.Entity", on_delete=models.CASCADE, related_name="actions")
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="actions"
    )
    scenario = models.ForeignKey(
        "scenarios.Scenario", on_delete=models.PROTECT, related_name="actions"
    )
    step = models.ForeignKey(
        "scenarios.Step", on_delete=models.SET_NULL, null=True, related_name="actions"
    )
    step_position = models.PositiveSmallIntegerField(_("step"))
    step_name = models.CharField(_("step name"), max_length=100)
    channel = models.CharField(_("channel"), max_length=20, choices=StepChannel.choices)
    mode = models.CharField(_("mode"), max_length=12, choices=StepMode.choices)
    reference = models.ForeignKey(
        "ledger.Item",
        on_delete=models.CASCADE,
        related_name="actions",
        verbose_name=_("reference invoice"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ActionReason.choices, blank=True)
    planned_by = models.CharField(
        _("planned by"), max_length=15, choices=PlannedBy.choices, default=PlannedBy.ANCHOR
    )
    created_on = models.DateField(_("created on"))
    due_date = models.DateField(_("due date"))
    finished_on = models.DateField(_("finished on"), null=True, blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("responsible"),
    )
    error_message = models.TextField(_("error"), blank=True)
    note = models.TextField(_("note"), blank=True)
    # A posted registered letter's number at its carrier (relance.core.carriers).
    tracking_number = models.CharField(_("tracking number"), max_length=30, blank=True)
    carrier = models.CharField(_("carrier"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            # The engine's first promise: at most one open action per customer.
            models.UniqueConstraint(
                fields=["customer"],
                condition=Q(status__in=sorted(OPEN_STATUSES)),
                name="action_one_open_per_customer",
                violation_error_message=_("This customer already has an open action."),
            ),
            # Open means not finished: the agenda's tabs split on finished_on alone, which
            # one index orders (action_by_finished).
            models.CheckConstraint(
                condition=Q(status__in=sorted(OPEN_STATUSES), finished_on__isnull=True)
                | (~Q(status__in=sorted(OPEN_STATUSES)) & Q(finished_on__isnull=False)),
                name="action_finished_iff_closed",
                violation_error_message=_("A finished action has a finish date, an open one none."),
            ),
        ]
        indexes = [
            models.Index(fields=["entity", "status", "due_date"], name="action_by_status"),
            models.Index(fields=["customer", "scenario", "reference"], name="action_by_cycle"),
            models.Index(
                fields=["responsible", "status", "due_date"], name="action_by_responsible"
            ),
            # The agenda's lists, read in index order and cut at one page: the open tabs by
            # due date (partial: IS NULL is no equality to PostgreSQL's planner, so a
            # leading finished_on column would not give the due-date order), the history
            # by finish date.
            models.Index(
                fields=["due_date", "id"],
                condition=Q(finished_on__isnull=True),
                name="action_open_by_due",
            ),
            # Partial too: with the open rows in it, SQLite would take it for the open tabs,
            # its statistics counting ~2,500 rows per finish date, NULL included.
            models.Index(
                fields=["finished_on", "due_date", "id"],
                condition=Q(finished_on__isnull=False),
                name="action_by_finished",
            ),
            # The tabs' counters read this one alone (an index-only scan), for the entities
            # a user sees and a collector's own actions alike (INCLUDE: PostgreSQL only).
            models.Index(
                fields=["mode", "status", "due_date", "id"],
                condition=Q(finished_on__isnull=True),
                include=["entity", "responsible"],
                name="action_open_counters_by_entity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.step_name} · {self.customer}"

    @property
    def tracking_url(self) -> str:
        """The carrier's tracking page of the letter, or ""."""
        return tracking_url(self.carrier, self.tracking_number)

    @property
    def carrier_name(self) -> str:
        return carrier_name(self.carrier)


class CustomerResponse(models.Model):
    """What a customer said (a reply to a message) or what a user noted about them (a
    comment), shown in the agenda as it arrives. Email replies are attached in a later issue."""

    entity = models.ForeignKey(
        "core.Entity", on_delete=models.CASCADE, related_name="customer_responses"
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="responses"
    )
    action = models.ForeignKey(
        Action,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responses",
        verbose_name=_("action"),
    )
    received_at = models.DateTimeField(_("received at"))
    channel = models.CharField(_("channel"), max_length=20, choices=ResponseChannel.choices)
    author = models.CharField(_("author"), max_length=200, blank=True)
    body = models.TextField(_("message"))
    kind = models.CharField(
        _("kind"), max_length=20, choices=ResponseKind.choices, default=ResponseKind.REPLY
    )
    # What the customer's page adds: the items it is about, a file (kept out of static
    # files, served to users only), and the structured answer (dates, amount, reference,
    # reason, time slot, proposed contact details), by kind.
    items = models.ManyToManyField(
        "ledger.Item", blank=True, related_name="responses", verbose_name=_("items")
    )
    attachment = models.FileField(
        _("attachment"), upload_to="responses/%Y/%m/", blank=True, max_length=255
    )
    details = models.JSONField(_("details"), default=dict, blank=True)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EntityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("customer response")
        verbose_name_plural = _("customer responses")
        indexes = [
            models.Index(fields=["entity", "received_at"], name="response_by_entity"),
            models.Index(fields=["customer", "received_at"], name="response_by_customer"),
            # The unread counter of every page (agenda.context_processors): the unhandled
            # responses only, few at any time, counted from this small index.
            models.Index(
                fields=["entity", "customer"],
                condition=Q(handled_at__isnull=True),
                name="response_unhandled",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.customer}"
