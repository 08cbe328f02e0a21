"""Webhooks out: events written in the transaction of the change they report, then POSTed,
signed, with retries and backoff (docs/webhooks.md).

Emitting costs one query when no subscription of the entity listens to the event, so the
call sites (ledger, agenda, delivery, engine) need no guard of their own; work that emits
many events in a row reads the subscriptions once (`subscriptions_read_once`).
"""

import hashlib
import hmac
import json
import secrets
import uuid
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta

import httpx
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from relance.core import sealing
from relance.core.bulk import insert_new
from relance.webhooks.choices import SUBSCRIBABLE, DeliveryStatus, WebhookEvent
from relance.webhooks.models import Delivery, Subscription

SEALING_PURPOSE = "webhooks.signing-secret"
# Seconds before the next try, after the 1st, 2nd, … failed attempt: about two days in all.
RETRY_DELAYS = [60, 300, 1800, 7200, 21600, 43200, 86400]
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
TIMEOUT_SECONDS = 10
# A delivery being attempted is not due for another worker during this time.
LEASE = timedelta(seconds=TIMEOUT_SECONDS * 6)
ANSWER_KEPT = 2000  # characters of the receiver's answer kept in the log
DELIVERIES_PER_ROUND = 200


# Subscriptions ----------------------------------------------------------------------------


def _validated(url: str, events: list[str]) -> list[str]:
    errors = {}
    if not url.lower().startswith(("https://", "http://")):
        errors["url"] = _("The receiver's URL must start with https:// or http://.")
    known = {value for value, _label in SUBSCRIBABLE}
    unknown = sorted(set(events) - known)
    if unknown:
        errors["events"] = _("Unknown events: %(events)s.") % {"events": ", ".join(unknown)}
    elif not events:
        errors["events"] = _("Choose at least one event.")
    if errors:
        raise ValidationError(errors)
    return [value for value, _label in SUBSCRIBABLE if value in events]


def _new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def subscription_create(
    *, entity, url: str, events: list[str], description: str = "", acting_user=None
) -> tuple[Subscription, str]:
    """The new subscription and its signing secret in clear: shown once, stored sealed."""
    clear = _new_secret()
    subscription = Subscription.objects.create(
        entity=entity,
        url=url,
        events=_validated(url, events),
        description=description,
        secret=sealing.seal_text(SEALING_PURPOSE, clear),
        created_by=acting_user,
    )
    return subscription, clear


def subscription_update(
    *, subscription: Subscription, url: str, events: list[str], description: str, is_active: bool
) -> Subscription:
    subscription.events = _validated(url, events)
    subscription.url, subscription.description = url, description
    subscription.is_active = is_active
    subscription.save(update_fields=["url", "events", "description", "is_active"])
    return subscription


def subscription_secret_rotate(*, subscription: Subscription) -> str:
    """A new signing secret, in clear once; deliveries signed from now on use it."""
    clear = _new_secret()
    subscription.secret = sealing.seal_text(SEALING_PURPOSE, clear)
    subscription.save(update_fields=["secret"])
    return clear


def subscription_secret(subscription: Subscription) -> str:
    return sealing.unseal_text(SEALING_PURPOSE, subscription.secret)


# Emitting ---------------------------------------------------------------------------------


_read_once: ContextVar[dict | None] = ContextVar("webhook_subscriptions", default=None)


@contextmanager
def subscriptions_read_once():
    """For work that emits event after event (a mailbox batch, a run's end): each entity's
    active subscriptions are read once for the block instead of once per event. A
    subscription created meanwhile gets the events emitted after the block."""
    token = _read_once.set({})
    try:
        yield
    finally:
        _read_once.reset(token)


def _active(entity_id: int):
    memo = _read_once.get()
    if memo is None:
        return Subscription.objects.filter(entity_id=entity_id, is_active=True)
    if entity_id not in memo:
        memo[entity_id] = list(Subscription.objects.filter(entity_id=entity_id, is_active=True))
    return memo[entity_id]


def listening(entity_id: int, event: str) -> list[Subscription]:
    """The entity's active subscriptions that listen to `event` (a handful: filtered here,
    since SQLite cannot search a JSON list)."""
    return [subscription for subscription in _active(entity_id) if subscription.listens_to(event)]


def events_emit(*, entity_id: int, event: str, rows: Iterable[tuple[str, dict]]) -> int:
    """Queue `event` for every active subscription of the entity that listens to it: one
    delivery per (key, data) row and subscription, in the caller's transaction. A key
    already queued for a subscription is skipped, so a change reported twice (a run's last
    step redelivered) reaches the receiver once. Answers how many deliveries were queued."""
    subscriptions = listening(entity_id, event)
    if not subscriptions:
        return 0
    now = timezone.now()
    deliveries = []
    for key, data in rows:
        event_id = uuid.uuid4()
        payload = _payload(event_id, event, now, entity_id, data)
        deliveries.extend(
            Delivery(
                subscription=subscription,
                event=event,
                event_id=event_id,
                key=key,
                payload=payload,
                next_attempt_at=now,
            )
            for subscription in subscriptions
        )
    insert_new(
        deliveries, ("subscription", "event", "event_id", "key", "payload", "next_attempt_at")
    )
    if deliveries:
        transaction.on_commit(deliver_soon)
    return len(deliveries)


def _payload(event_id, event: str, at: datetime, entity_id: int, data: dict) -> dict:
    return {
        "id": str(event_id),
        "type": event,
        "created": at.isoformat(),
        "entity": entity_id,
        "data": data,
    }


def deliver_soon() -> None:
    """Hand the due deliveries to a worker (without a broker: a thread of this process)."""
    from relance.core.background import run_in_background
    from relance.webhooks.tasks import webhooks_deliver_due

    run_in_background(webhooks_deliver_due)


# Delivering -------------------------------------------------------------------------------


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The `Relance-Signature` header: HMAC-SHA256 of "<timestamp>.<body>" under the secret."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def _body(payload: dict) -> bytes:
    return json.dumps(payload, cls=DjangoJSONEncoder, separators=(",", ":")).encode()


def _claim_due(now: datetime, limit: int) -> list[Delivery]:
    """Due deliveries, leased to this worker: another one skips them until the lease ends."""
    with transaction.atomic():
        due = Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        due = due.order_by("next_attempt_at", "id")
        if connection.vendor == "postgresql":
            due = due.select_for_update(skip_locked=True, of=("self",))
        claimed = list(due.select_related("subscription")[:limit])
        Delivery.objects.filter(pk__in=[d.pk for d in claimed]).update(next_attempt_at=now + LEASE)
    return claimed


def deliveries_deliver_due(*, now: datetime | None = None, limit: int = 0) -> dict[str, int]:
    """POST every due delivery once; answers how many were delivered, retried, failed."""
    counts = {"delivered": 0, "retry": 0, "failed": 0}
    now = now or timezone.now()
    remaining = limit or None
    with httpx.Client(timeout=TIMEOUT_SECONDS, follow_redirects=False) as client:
        while remaining is None or remaining > 0:
            size = min(DELIVERIES_PER_ROUND, remaining or DELIVERIES_PER_ROUND)
            claimed = _claim_due(now, size)
            for delivery in claimed:
                counts[delivery_attempt(delivery, client=client, now=now)] += 1
            if remaining is not None:
                remaining -= len(claimed)
            if len(claimed) < size:
                break
    return counts


def delivery_attempt(delivery: Delivery, *, client: httpx.Client, now: datetime) -> str:
    """One POST of the delivery, its outcome recorded: "delivered", "retry" or "failed"."""
    body = _body(delivery.payload)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Relance-Webhooks/1",
        "Relance-Event": delivery.event,
        "Relance-Event-Id": str(delivery.event_id),
        "Relance-Delivery": str(delivery.pk),
        "Relance-Signature": signature(
            subscription_secret(delivery.subscription), int(now.timestamp()), body
        ),
    }
    delivery.attempts += 1
    delivery.last_attempt_at = now
    try:
        answer = client.post(delivery.subscription.url, content=body, headers=headers)
    except httpx.HTTPError as exc:
        delivery.response_status, delivery.response_body = None, ""
        delivery.error = _("No answer: %(reason)s") % {"reason": exc or type(exc).__name__}
    else:
        delivery.response_status = answer.status_code
        delivery.response_body = answer.text[:ANSWER_KEPT]
        delivery.error = (
            "" if answer.is_success else _("HTTP %(status)s") % {"status": answer.status_code}
        )
    outcome = _schedule(delivery, now)
    delivery.save(
        update_fields=[
            "status",
            "attempts",
            "next_attempt_at",
            "last_attempt_at",
            "response_status",
            "response_body",
            "error",
        ]
    )
    return outcome


def _schedule(delivery: Delivery, now: datetime) -> str:
    if not delivery.error:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.DELIVERED, None
        return "delivered"
    if delivery.attempts >= MAX_ATTEMPTS:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
        return "failed"
    delay = RETRY_DELAYS[delivery.attempts - 1]
    delivery.status, delivery.next_attempt_at = (
        DeliveryStatus.PENDING,
        now + timedelta(seconds=delay),
    )
    return "retry"


def delivery_replay(*, delivery: Delivery) -> Delivery:
    """Send a failed (or delivered) event again, with a new set of retries."""
    delivery.status, delivery.attempts = DeliveryStatus.PENDING, 0
    delivery.next_attempt_at, delivery.error = timezone.now(), ""
    delivery.save(update_fields=["status", "attempts", "next_attempt_at", "error"])
    transaction.on_commit(deliver_soon)
    return delivery


def subscription_test(*, subscription: Subscription) -> Delivery:
    """A `ping` event POSTed at once, so the page can show the receiver's answer."""
    now = timezone.now()
    event_id = uuid.uuid4()
    data = {"message": "Relance webhook test", "subscription": subscription.pk}
    delivery = Delivery.objects.create(
        subscription=subscription,
        event=WebhookEvent.PING,
        event_id=event_id,
        key=f"ping:{event_id}",
        payload=_payload(event_id, WebhookEvent.PING, now, subscription.entity_id, data),
        next_attempt_at=None,
    )
    with httpx.Client(timeout=TIMEOUT_SECONDS, follow_redirects=False) as client:
        delivery_attempt(delivery, client=client, now=now)
    if delivery.status == DeliveryStatus.PENDING:  # a test is not retried
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
        delivery.save(update_fields=["status", "next_attempt_at"])
    return delivery


def deliveries_prune(*, older_than_days: int = 30) -> int:
    """Forget delivered and failed events older than the log keeps."""
    limit = timezone.now() - timedelta(days=older_than_days)
    done = Delivery.objects.filter(created_at__lt=limit).exclude(status=DeliveryStatus.PENDING)
    return done.delete()[0]
