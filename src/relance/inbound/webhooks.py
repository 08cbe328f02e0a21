"""Received email through the email provider's inbound webhook (django-anymail): the
provider posts each message to `/anymail/<esp>/inbound/` (mounted by delivery/webhooks.py
for the configured provider only, behind WEBHOOK_SECRET and the provider's signature), and
anymail's `inbound` signal brings it here (connected in apps.py).

The entity is the one the message was sent to: a recipient carrying the Reply-To tag of one
of its messages, else a recipient that is the entity's address (with or without a tag). A
message for no entity is logged and dropped with a 200: the provider would otherwise post
it again for days, and nobody could ever take it."""

import logging
import operator
from functools import reduce

from django.db.models import Q

from relance.core.models import Entity
from relance.delivery.models import Outbox
from relance.delivery.replyto import base_address, key_of_address
from relance.inbound.choices import InboundSource
from relance.inbound.services import inbound_email_store

logger = logging.getLogger(__name__)


def _addresses(message) -> list[str]:
    found = [message.envelope_recipient or ""]
    for header in ("To", "Cc", "Delivered-To", "X-Original-To"):
        found += [a.addr_spec for a in message.get_address_header(header)]
    return [a.strip().lower() for a in dict.fromkeys(found) if a and "@" in a]


def entity_for(addresses: list[str]):
    """The entity these recipients belong to, or None."""
    keys = [k for k in (key_of_address(a) for a in addresses) if k]
    if keys:
        outbox = Outbox.objects.filter(key__in=keys).select_related("action__entity").first()
        if outbox is not None:
            return outbox.action.entity
    candidates = {*addresses, *(base_address(a) for a in addresses)}
    if not candidates:
        return None
    same = reduce(operator.or_, (Q(email__iexact=address) for address in candidates))
    entities = list(Entity.objects.filter(same).order_by("id")[:2])
    if len(entities) > 1:
        logger.warning("inbound webhook: several entities receive %s: the first taken", addresses)
    return entities[0] if entities else None


def _raw(message) -> bytes:
    try:
        return message.as_bytes()
    except Exception:  # a header the policy cannot write back: the text as it was parsed
        return message.as_string(policy=message.policy.clone(utf8=True)).encode(
            "utf-8", "surrogateescape"
        )


def on_inbound(sender, event, esp_name, **kwargs) -> None:
    """anymail's `inbound` signal: store the message for its entity."""
    message = event.message
    addresses = _addresses(message)
    entity = entity_for(addresses)
    if entity is None:
        logger.warning(
            "inbound webhook (%s): no entity receives %s: message %s dropped",
            esp_name,
            ", ".join(addresses) or "(no recipient)",
            message.get("Message-ID", ""),
        )
        return
    inbound_email_store(entity=entity, raw=_raw(message), source=InboundSource.WEBHOOK)
