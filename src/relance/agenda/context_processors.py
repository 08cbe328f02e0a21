"""The unread counter of customers' responses, for the site menu and the agenda's tab."""

from django.utils.functional import SimpleLazyObject

from relance.agenda.selectors import unhandled_response_count


def unhandled_responses(request) -> dict:
    """`unhandled_responses`: the responses the user has yet to handle, counted (one COUNT
    query) only when a template shows it; nothing for a visitor who is not logged in."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unhandled_responses": SimpleLazyObject(lambda: unhandled_response_count(user))}
