"""Writes of segments, and the set-based recomputation of their memberships."""

import logging
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import IntegerField, ProtectedError, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from relance.core.models import Entity
from relance.customers.models import Customer
from relance.customers.selectors import entity_todays
from relance.segments.criteria import criteria_clean, criteria_queryset, criterion_fields
from relance.segments.models import Segment, SegmentMembership

logger = logging.getLogger(__name__)

EDITABLE_FIELDS = {"name", "description", "entity", "priority", "scenario", "criteria", "is_active"}


def _check_scenario_entity(segment: Segment) -> None:
    """A segment's scenario must be usable for every customer the segment may hold."""
    scenario = segment.scenario
    if scenario.entity_id and scenario.entity_id != segment.entity_id:
        raise ValidationError(
            {
                "scenario": _(
                    "The scenario “%(scenario)s” is restricted to the entity %(entity)s: "
                    "restrict the segment to that entity or choose another scenario."
                )
                % {"scenario": scenario.name, "entity": scenario.entity}
            }
        )


def _validate(segment: Segment) -> None:
    try:
        segment.criteria = criteria_clean(segment.criteria)
    except ValidationError as exc:
        raise ValidationError({"criteria": exc.messages}) from None
    _check_scenario_entity(segment)
    segment.full_clean()


@transaction.atomic
def segment_create(
    *,
    name: str,
    scenario,
    criteria: dict | None = None,
    priority: int = 100,
    entity=None,
    description: str = "",
    is_active: bool = True,
    default_key: str = "",
    acting_user=None,
) -> Segment:
    """Create a segment after checking its criteria (memberships come with the next
    recomputation)."""
    segment = Segment(
        name=name.strip(),
        scenario=scenario,
        criteria=criteria or {},
        priority=priority,
        entity=entity,
        description=description,
        is_active=is_active,
        default_key=default_key,
    )
    _validate(segment)
    segment.save()
    return segment


@transaction.atomic
def segment_update(*, segment: Segment, acting_user=None, **fields) -> Segment:
    """Change a segment's settings (`fields` among EDITABLE_FIELDS)."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(segment, name, value.strip() if name == "name" else value)
    _validate(segment)
    segment.save()
    return segment


@transaction.atomic
def segment_delete(*, segment: Segment, acting_user=None) -> None:
    try:
        segment.delete()
    except ProtectedError as exc:  # nothing protects a segment today; say so if it changes
        raise ValidationError(_("This segment is still in use.")) from exc


def _insert_members(segment: Segment, customers, todays, fields) -> int:
    """INSERT … SELECT of the customers matching `segment`: one statement, any size."""
    matching = criteria_queryset(segment.criteria, customers, todays, fields)
    if segment.entity_id:
        matching = matching.filter(entity_id=segment.entity_id)
    rows = (
        matching.order_by()
        .annotate(_segment=Value(segment.pk, output_field=IntegerField()))
        .values_list("pk", "_segment")
    )
    sql, params = rows.query.sql_with_params()
    table = SegmentMembership._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} (customer_id, segment_id) {sql}", params)
        return max(cursor.rowcount, 0)


@transaction.atomic
def segments_recompute(
    *, entity: Entity | None = None, today: date | None = None
) -> dict[int, int]:
    """Recompute the members of every segment, set-based: one DELETE of the memberships in
    scope, then one INSERT … SELECT per active segment. With `entity`, only that entity's
    customers are recomputed (and counted). `today` (the engine's run date) replaces each
    entity's own today, so that replaying past days sees past figures.
    Returns {segment id: members}.

    A segment whose stored criteria no longer validate (a custom field was deleted) holds
    nobody until fixed; it is logged, and counted 0."""
    customers = Customer.objects.all()
    entities = Entity.objects.all()
    memberships = SegmentMembership.objects.all()
    if entity is not None:
        customers = customers.filter(entity=entity)
        entities = entities.filter(pk=entity.pk)
        memberships = memberships.filter(customer__entity=entity)
    memberships.delete()
    todays = entity_todays(entities) if today is None else today
    fields = criterion_fields()
    counts: dict[int, int] = {}
    segments = list(Segment.objects.filter(is_active=True))
    for segment in segments:
        try:
            segment.criteria = criteria_clean(segment.criteria, fields)
        except ValidationError as exc:
            logger.warning("segment %s (%s) skipped: %s", segment.pk, segment, exc.messages)
            counts[segment.pk] = 0
            continue
        counts[segment.pk] = _insert_members(segment, customers, todays, fields)
    Segment.objects.filter(pk__in=[s.pk for s in segments]).update(computed_at=timezone.now())
    return counts
