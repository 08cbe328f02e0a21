"""Query and form parameters read by views outside forms: a malformed one is refused with a
400 page (core.views.bad_request) that names the parameter and says why, never a 500."""

import re

from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _

DIGITS = re.compile(r"\d{1,18}")  # ids fit in a signed 64-bit integer
MAX_ID = 2**63 - 1


class InvalidParameter(BadRequest):
    """A parameter the view cannot use; its message is shown to the user as it is."""


def int_param(data, name: str, *, minimum: int = 1, maximum: int = MAX_ID, default=None):
    """`data[name]` as a whole number from `minimum` to `maximum`; `default` when absent or
    empty."""
    raw = data.get(name)
    if raw is None or raw == "":
        return default
    value = int(raw) if DIGITS.fullmatch(raw) else None
    if value is None or not minimum <= value <= maximum:
        raise InvalidParameter(
            _("“%(name)s” must be a whole number from %(minimum)s to %(maximum)s, not “%(value)s”.")
            % {"name": name, "minimum": minimum, "maximum": maximum, "value": _shown(raw)}
        )
    return value


def id_param(data, name: str):
    """`data[name]` as the id of an object (a positive whole number), None when absent."""
    raw = data.get(name)
    if raw is None or raw == "":
        return None
    if not DIGITS.fullmatch(raw) or int(raw) < 1:
        raise InvalidParameter(
            _("“%(name)s” must be the number of an existing record, not “%(value)s”.")
            % {"name": name, "value": _shown(raw)}
        )
    return int(raw)


def choice_param(data, name: str, choices, *, default=None):
    """`data[name]` if it is one of `choices`; `default` when absent or empty."""
    raw = data.get(name)
    if raw is None or raw == "":
        return default
    if raw not in choices:
        raise InvalidParameter(
            _("“%(name)s” must be one of %(choices)s, not “%(value)s”.")
            % {"name": name, "choices": ", ".join(choices), "value": _shown(raw)}
        )
    return raw


def _shown(raw: str) -> str:
    """The value as the message quotes it: short, without control characters."""
    text = "".join(ch if ch.isprintable() else "?" for ch in raw[:40])
    return text + ("…" if len(raw) > 40 else "")
