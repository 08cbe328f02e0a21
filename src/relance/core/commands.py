"""What the management commands share: reading their options the same way."""

from datetime import date

from django.core.management.base import CommandError


def option_day(raw: str | None, option: str) -> date | None:
    """The calendar day typed for `option` (ISO 8601), None when it was left out; a clear
    error naming the option otherwise."""
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise CommandError(f"{option}: expected YYYY-MM-DD, got {raw!r}") from exc
