"""Reads of segments: the list with the customers each routes and its overlaps, a live count
while editing, and the segment that holds a customer."""

from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    OuterRef,
    Q,
    Subquery,
)

from relance.customers.models import Customer
from relance.customers.selectors import visible_entity_todays
from relance.segments.criteria import criteria_clean, criteria_queryset, criterion_fields
from relance.segments.models import Segment, SegmentMembership


@dataclass
class Overlap:
    """Members of a segment that it does not route: another segment comes first (`segment`),
    or none is active (`segment` None), or the customer has a scenario set by hand."""

    count: int
    segment: Segment | None = None
    by_hand: bool = False


ROUTING_ORDER = ("segment__priority", "segment__name", "segment_id")


def segment_list(user) -> list[Segment]:
    """The segments `user` may see, by priority, each with `member_count`, the customers it
    routes (its effective members: those among the customers `user` may see whose first
    active segment by priority it is, without a scenario set by hand), and `overlaps`, its
    other members, grouped by what routes them instead. Two queries."""
    segments = list(Segment.objects.visible_to(user).select_related("scenario", "entity"))
    by_id = {segment.pk: segment for segment in segments}
    for segment in segments:
        segment.member_count, segment.overlaps = 0, []
    for segment_id, routed_by, by_hand, count in _routing_counts(user):
        segment = by_id.get(segment_id)
        if segment is None:
            continue
        if by_hand:
            segment.overlaps.append(Overlap(count, by_hand=True))
        elif routed_by == segment_id:
            segment.member_count += count
        else:
            segment.overlaps.append(Overlap(count, segment=by_id.get(routed_by)))
    for segment in segments:
        segment.overlaps.sort(key=_overlap_order)
    return segments


def _overlap_order(overlap: Overlap) -> tuple:
    if overlap.by_hand:
        return (2, 0, "", 0)
    if overlap.segment is None:
        return (1, 0, "", 0)
    found = overlap.segment
    return (0, found.priority, found.name, found.pk)


def _routing_counts(user):
    """(segment id, id of the segment that routes the member, scenario set by hand, count)
    over the memberships of the customers `user` sees, in one aggregate query."""
    memberships = SegmentMembership.objects.all()
    if not user.sees_all_entities:
        memberships = memberships.filter(customer__entity__in=user.entities.all())
    first = (
        SegmentMembership.objects.filter(customer=OuterRef("customer"), segment__is_active=True)
        .order_by(*ROUTING_ORDER)
        .values("segment_id")[:1]
    )
    return (
        memberships.annotate(
            routed_by=Subquery(first),
            by_hand=ExpressionWrapper(
                Q(customer__scenario__isnull=False), output_field=BooleanField()
            ),
        )
        .order_by()
        .values_list("segment_id", "routed_by", "by_hand")
        .annotate(count=Count("pk"))
    )


def segment_detail(user, pk: int) -> Segment:
    """The segment, or the same 404 when missing or not visible to `user`."""
    return Segment.objects.select_related("scenario", "entity").get_for_user(user, pk=pk)


def segment_matching_count(user, criteria, *, entity=None) -> int:
    """How many customers visible to `user` match `criteria` now (the live count of the
    form); ValidationError when the criteria are not valid."""
    fields = criterion_fields()
    cleaned = criteria_clean(criteria, fields)
    customers = Customer.objects.visible_to(user)
    if entity is not None:
        customers = customers.filter(entity=entity)
    todays = visible_entity_todays(user)
    return criteria_queryset(cleaned, customers, todays, fields).count()


def customer_segment(customer: Customer) -> Segment | None:
    """The segment that holds `customer`: the first by priority among its memberships."""
    membership = (
        SegmentMembership.objects.filter(customer=customer, segment__is_active=True)
        .select_related("segment__scenario")
        .order_by(*ROUTING_ORDER)
        .first()
    )
    return membership.segment if membership else None


def segment_members(segment: Segment, user, limit: int = 50) -> list[Customer]:
    customers = Customer.objects.visible_to(user).filter(segment_memberships__segment=segment)
    return list(customers.select_related("entity").order_by("name", "id")[:limit])
