"""Reads of the audit trail."""

from relance.activity.models import CustomerEvent


def customer_events(customer, limit: int = 100) -> list[CustomerEvent]:
    """The latest events of `customer`, newest first, with who did them: one query."""
    events = CustomerEvent.objects.filter(customer=customer).select_related("user")
    return list(events.order_by("-at", "-id")[:limit])
