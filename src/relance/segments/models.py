from django.db import models
from django.utils.translation import gettext_lazy as _

from relance.core.querysets import SharedOrEntityQuerySet


class SegmentQuerySet(SharedOrEntityQuerySet):
    """Segments are shared by all entities unless restricted to one (`entity` set)."""


class Segment(models.Model):
    """A dynamic group of customers, recomputed daily, tied to the scenario that dunns them.

    `criteria` is a tree of conditions (see segments/criteria.py):
    {"op": "and"|"or", "rules": [{"field": "...", "lookup": "...", "value": ...} | {...tree}]}.
    """

    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=200, blank=True)
    entity = models.ForeignKey(
        "core.Entity",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="segments",
        verbose_name=_("entity"),
        help_text=_("Leave empty to apply the segment to every entity's customers."),
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"),
        default=100,
        help_text=_("Lower first: a customer is held by the first match."),
    )
    scenario = models.ForeignKey(
        "scenarios.Scenario",
        on_delete=models.PROTECT,
        related_name="segments",
        verbose_name=_("scenario"),
    )
    criteria = models.JSONField(_("criteria"), default=dict, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    default_key = models.SlugField(_("default"), max_length=50, blank=True, editable=False)
    computed_at = models.DateTimeField(_("last computed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SegmentQuerySet.as_manager()

    class Meta:
        ordering = ["priority", "name", "id"]
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        constraints = [
            models.UniqueConstraint(
                fields=["name"],
                name="segment_name_unique",
                violation_error_message=_("A segment with this name already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SegmentMembership(models.Model):
    """A customer matching a segment's criteria at the last computation."""

    # The rows are derived (every engine run recomputes them: a first run writes one per
    # matching customer, 100,000 at the benchmark's size) and deleting still cascades, in
    # Django: no constraint check in the database, whose per-row cost was as much as the
    # insert's own, and no index of their own (the unique and membership_by_customer lead).
    segment = models.ForeignKey(
        Segment,
        on_delete=models.CASCADE,
        related_name="memberships",
        db_index=False,
        db_constraint=False,
    )
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.CASCADE,
        related_name="segment_memberships",
        db_index=False,
        db_constraint=False,
    )

    class Meta:
        ordering = ["segment", "customer"]
        constraints = [
            models.UniqueConstraint(
                fields=["segment", "customer"], name="segment_membership_unique"
            ),
        ]
        indexes = [models.Index(fields=["customer", "segment"], name="membership_by_customer")]

    def __str__(self) -> str:
        return f"{self.customer_id} in {self.segment_id}"
