"""Login throttling on top of django-axes: a username is locked after AXES_FAILURE_LIMIT
failures, an address after AXES_IP_FAILURE_LIMIT failures whatever the usernames tried.

Axes compares one number of failures with one limit; the handler below counts an address's
failures in units of the username limit, so that each criterion keeps its own limit.
"""

from datetime import datetime

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address, get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Q, Sum


def _failures(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class LockoutHandler(AxesDatabaseHandler):
    """AXES_LOCKOUT_PARAMETERS is ["username", "ip_address"]: the first queryset holds the
    username's attempts, the second the address's."""

    def get_failures(self, request, credentials=None) -> int:
        by_username, by_address = (
            _failures(q) for q in self.get_user_attempts(request, credentials)
        )
        # floor(n * U / I) reaches U exactly when n reaches I.
        scaled = by_address * settings.AXES_FAILURE_LIMIT // settings.AXES_IP_FAILURE_LIMIT
        return max(by_username, scaled)

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful login clears its username's failures, not its address's: one valid
        account must not let an attacker reset the count of the others' failures."""
        by_username = self.get_user_attempts(request, credentials)[0]
        return by_username.delete()[0]


def locked_until(request, credentials=None) -> datetime | None:
    """When the lock on this request's username or address ends (None: not locked)."""
    username = get_client_username(request, credentials)
    address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
    recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
    last = recent.filter(Q(username=username) | Q(ip_address=address)).aggregate(
        last=Max("attempt_time")
    )["last"]
    return last + get_cool_off(request) if last else None
