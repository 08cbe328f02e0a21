"""`/healthz`: what a load balancer or an uptime probe asks before sending users here.

It answers without a login, checks the database with a trivial query and the Celery broker
with a short connection, and says which failed, never with a URL, host or password: the
answer is public, the details go to the log (the error's class only).
"""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

BROKER_TIMEOUT = 2.0  # seconds: a probe waits a few seconds at most


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means the same thing to the probe
        logger.warning("healthz: database unreachable (%s)", type(exc).__name__)
        return "unreachable"
    return "ok"


def broker_status(url: str) -> str:
    """Connect to the broker once (Redis: a PING), without the retries Celery would make."""
    if not url:
        return "not configured"
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=BROKER_TIMEOUT) as broker:
            broker.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT)
    except Exception as exc:  # kombu and the transports raise many kinds
        logger.warning("healthz: broker unreachable (%s)", type(exc).__name__)
        return "unreachable"
    return "ok"


@require_safe
@never_cache
@login_not_required
def healthz(request):
    checks = {
        "database": database_status(),
        "broker": broker_status(settings.CELERY_BROKER_URL),
    }
    healthy = all(status in ("ok", "not configured") for status in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)
