"""Writes of segments, and the set-based recomputation of their memberships."""

import logging
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import ProtectedError
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


MATCHING_TABLE = "relance_segment_matching"  # a temporary table, one segment at a time


def _sync_members(segment: Segment, customers, todays, fields) -> int:
    """Bring the segment's memberships among `customers` to those matching it now, writing
    only the differences: the criteria run once (INSERT … SELECT into a temporary table),
    then one DELETE of those who left and one INSERT of those who joined. A day's run
    then rewrites a few hundred rows where it rewrote every member (and its WAL and index
    entries). Answers the number of members."""
    matching = criteria_queryset(segment.criteria, customers, todays, fields)
    if segment.entity_id:
        matching = matching.filter(entity_id=segment.entity_id)
    select, params = matching.order_by().values_list("pk").query.sql_with_params()
    members = SegmentMembership._meta.db_table
    in_scope, scope_params = _scope_condition(customers, members)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {MATCHING_TABLE} (customer_id bigint PRIMARY KEY)")
        try:
            cursor.execute(f"INSERT INTO {MATCHING_TABLE} (customer_id) {select}", params)
            if connection.vendor == "postgresql":  # a new table has no statistics at all
                cursor.execute(f"ANALYZE {MATCHING_TABLE}")
            cursor.execute(
                f"DELETE FROM {members} WHERE segment_id = %s{in_scope} AND NOT EXISTS "
                f"(SELECT 1 FROM {MATCHING_TABLE} m WHERE m.customer_id = {members}.customer_id)",
                [segment.pk, *scope_params],
            )
            # The members already there are left by the unique constraint's own probe, one
            # exact lookup a row: an anti-join here was planned from the statistics of a
            # table analysed before its rows came, a nested loop over the members inserted
            # by this very statement (100,000 customers: 89 s instead of 1).
            cursor.execute(
                f"INSERT INTO {members} (customer_id, segment_id) "
                f"SELECT m.customer_id, %s FROM {MATCHING_TABLE} m WHERE true "
                "ON CONFLICT (segment_id, customer_id) DO NOTHING",
                [segment.pk],
            )
            cursor.execute(f"SELECT COUNT(*) FROM {MATCHING_TABLE}")
            return cursor.fetchone()[0]
        finally:
            cursor.execute(f"DROP TABLE {MATCHING_TABLE}")


def _scope_condition(customers, members: str) -> tuple[str, list]:
    """` AND customer_id IN (…)` limiting membership writes to `customers`, or nothing
    when every customer is in scope."""
    if not customers.query.where:
        return "", []
    select, params = customers.order_by().values("pk").query.sql_with_params()
    return f" AND {members}.customer_id IN ({select})", list(params)


@transaction.atomic
def segments_recompute(
    *, entity: Entity | None = None, today: date | None = None
) -> dict[int, int]:
    """Recompute the members of every segment, set-based, writing only what changed (see
    _sync_members). With `entity`, only that entity's customers are recomputed (and
    counted). `today` (the engine's run date) replaces each entity's own today, so that
    replaying past days sees past figures. Returns {segment id: members}.

    A segment whose stored criteria no longer validate (a custom field was deleted) holds
    nobody until fixed; it is logged, and counted 0. So does an inactive one."""
    customers = Customer.objects.all()
    entities = Entity.objects.all()
    memberships = SegmentMembership.objects.all()
    if entity is not None:
        customers = customers.filter(entity=entity)
        entities = entities.filter(pk=entity.pk)
        memberships = memberships.filter(customer__entity=entity)
    todays = entity_todays(entities) if today is None else today
    fields = criterion_fields()
    counts: dict[int, int] = {}
    synced: list[int] = []
    segments = list(Segment.objects.filter(is_active=True))
    for segment in segments:
        try:
            segment.criteria = criteria_clean(segment.criteria, fields)
        except ValidationError as exc:
            logger.warning("segment %s (%s) skipped: %s", segment.pk, segment, exc.messages)
            counts[segment.pk] = 0
            continue
        counts[segment.pk] = _sync_members(segment, customers, todays, fields)
        synced.append(segment.pk)
    memberships.exclude(segment_id__in=synced).delete()  # inactive or invalid: nobody
    Segment.objects.filter(pk__in=[s.pk for s in segments]).update(computed_at=timezone.now())
    return counts
