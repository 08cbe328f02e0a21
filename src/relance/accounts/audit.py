"""Security events (logins, lockouts, unlocks, two-factor changes) in the audit trail, as
django-auditlog entries on the user they concern, so that the administrators' audit pages
show them beside the changes to the account."""

from django.apps import apps

# The pseudo-field an event is recorded under: [before, after] like a changed field.
EVENT_FIELD = "security"


def security_event_record(*, user, event: str, actor=None, request=None, **data) -> None:
    """Record `event` (a short English phrase, e.g. "locked out") on `user`'s trail;
    `data` goes into the entry's additional data (address, limits, dates as text)."""
    if user is None or not apps.is_installed("auditlog"):
        return
    from auditlog import get_logentry_model

    LogEntry = get_logentry_model()
    address = data.get("ip_address") or _address(request)
    LogEntry.objects.log_create(
        user,
        action=LogEntry.Action.ACCESS,
        changes={EVENT_FIELD: ["", event]},
        actor=actor,
        remote_addr=address,
        additional_data={"event": event, **data},
        force_log=True,
    )


def _address(request) -> str | None:
    return getattr(request, "axes_ip_address", None) or (
        request.META.get("REMOTE_ADDR") if request is not None else None
    )
