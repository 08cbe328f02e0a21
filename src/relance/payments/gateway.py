"""The Stripe adapter: the only module that talks to the `stripe` SDK. Settings come from
the environment (STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET, STRIPE_API_BASE); an error names
the variable, never its value, and never repeats the SDK's message (it may quote the key)."""

import json
import logging
from dataclasses import dataclass
from typing import Any

import stripe
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

# Seconds to wait for Stripe: a customer is waiting on the page.
TIMEOUT = 20


class ProviderError(Exception):
    """The provider refused or could not be reached; the message is safe to log and show."""


class InvalidEvent(Exception):
    """A webhook body whose signature or content cannot be trusted."""


@dataclass(frozen=True)
class CheckoutSession:
    id: str
    url: str
    amount_total: int | None
    currency: str


def configured() -> bool:
    return bool(settings.STRIPE_SECRET_KEY)


def _client() -> stripe.StripeClient:
    if not settings.STRIPE_SECRET_KEY:
        raise ImproperlyConfigured("STRIPE_SECRET_KEY: required for online payment")
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": settings.STRIPE_API_BASE},
        http_client=stripe.RequestsClient(timeout=TIMEOUT),
        # Safe with the idempotency key: a retried request answers the same session.
        max_network_retries=2,
    )


def session_create(params: dict[str, Any], *, idempotency_key: str) -> CheckoutSession:
    """Creates a Checkout Session; the same key within Stripe's 24 hours answers the session
    it created first, so a double click opens one session, not two."""
    try:
        session = _client().v1.checkout.sessions.create(
            params=params, options={"idempotency_key": idempotency_key}
        )
    except stripe.StripeError as error:
        logger.warning(
            "Stripe refused a checkout session: %s (HTTP %s, code %s)",
            type(error).__name__,
            error.http_status,
            error.code,
        )
        raise ProviderError(f"Stripe: {type(error).__name__}") from None
    session = session.to_dict()
    if not session.get("id") or not session.get("url"):
        raise ProviderError("Stripe: a session without id or url")
    return CheckoutSession(
        id=session["id"],
        url=session["url"],
        amount_total=session.get("amount_total"),
        currency=(session.get("currency") or "").upper(),
    )


def event_verify(payload: bytes, signature: str | None) -> dict[str, Any]:
    """The event of a webhook body, once its Stripe-Signature header is checked against
    STRIPE_WEBHOOK_SECRET (with Stripe's five-minute tolerance against replays of old
    bodies). Answers the plain JSON object: nothing of it is trusted before this."""
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        logger.error("STRIPE_WEBHOOK_SECRET: not set, Stripe's webhook events are refused")
        raise InvalidEvent("STRIPE_WEBHOOK_SECRET: not set")
    if not signature:
        raise InvalidEvent("no Stripe-Signature header")
    try:
        stripe.Webhook.construct_event(payload, signature, secret)
        event = json.loads(payload)
    except stripe.SignatureVerificationError:
        raise InvalidEvent("bad signature") from None
    except Exception:
        # Whatever else the SDK or the JSON parser raise on a body that is no JSON object
        # (not UTF-8, not JSON, a list...): a 400 for the sender, never a 500.
        raise InvalidEvent("malformed body") from None
    if not isinstance(event, dict) or not isinstance(event.get("type"), str):
        raise InvalidEvent("malformed event")
    return event
