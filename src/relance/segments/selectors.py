"""Reads of segments: the list with member counts, a live count while editing, and the
segment that holds a customer."""

from django.db.models import Count, Q, QuerySet

from relance.customers.models import Customer
from relance.customers.selectors import visible_entity_todays
from relance.segments.criteria import criteria_clean, criteria_queryset, criterion_fields
from relance.segments.models import Segment, SegmentMembership


def segment_list(user) -> QuerySet:
    """The segments `user` may see, by priority, each with `member_count`: its members among
    the customers `user` may see."""
    members = Q()
    if not user.sees_all_entities:
        members = Q(memberships__customer__entity__in=user.entities.all())
    return (
        Segment.objects.visible_to(user)
        .select_related("scenario", "entity")
        .annotate(member_count=Count("memberships", filter=members))
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
        .order_by("segment__priority", "segment__name", "segment_id")
        .first()
    )
    return membership.segment if membership else None


def segment_members(segment: Segment, user, limit: int = 50) -> list[Customer]:
    customers = Customer.objects.visible_to(user).filter(segment_memberships__segment=segment)
    return list(customers.select_related("entity").order_by("name", "id")[:limit])
