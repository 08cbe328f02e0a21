"""`{% unassigned_email_count as n %}`: the received emails waiting to be attached to a
customer that the current user may attach, for the agenda's tab (one COUNT query, on the
partial index inbound_unassigned; none for a user who cannot edit)."""

from django import template

from relance.inbound.selectors import unassigned_email_count as count

register = template.Library()


@register.simple_tag(takes_context=True)
def unassigned_email_count(context) -> int:
    user = context.get("user")
    if user is None or not user.is_authenticated or not user.can_edit:
        return 0
    return count(user)
