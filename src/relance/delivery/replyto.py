"""The Reply-To of the emails Relance sends: the entity's address, tagged per message by
plus-addressing (`relances+a42-1-k3v9q2mdxa@acme.example`) when the entity asks for it, so
that a reply finds its way back to the message it answers even when the customer's mail
program drops In-Reply-To.

The tag names the outbox key (action id and attempt) and carries a short HMAC derived from
SECRET_KEY (salted for this use only): a tag typed or altered by hand is refused, it never
attaches an email to someone else's action. Tags are lower case and alphanumeric but for
hyphens, since some mail servers lower-case the local part."""

import base64
import re

from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "relance.delivery.reply-tag"
SIGNATURE_LENGTH = 10  # base32 characters: 50 bits
TAG = re.compile(r"^a(\d{1,12})-(\d{1,4})-([a-z2-7]{" + str(SIGNATURE_LENGTH) + "})$")
KEY = re.compile(r"^action-(\d+)-(\d+)$")


def _signature(action_id: int, attempt: int) -> str:
    digest = salted_hmac(SALT, f"{action_id}-{attempt}", algorithm="sha256").digest()
    return base64.b32encode(digest).decode().lower()[:SIGNATURE_LENGTH]


def reply_tag(key: str) -> str:
    """The tag of the outbox key "action-<id>-<attempt>"; "" for any other key."""
    match = KEY.match(key)
    if not match:
        return ""
    action_id, attempt = int(match[1]), int(match[2])
    return f"a{action_id}-{attempt}-{_signature(action_id, attempt)}"


def key_from_tag(tag: str) -> str:
    """The outbox key a tag names, or "" when it is not one of ours (forged, altered)."""
    match = TAG.match((tag or "").strip().lower())
    if not match:
        return ""
    action_id, attempt = int(match[1]), int(match[2])
    if not constant_time_compare(match[3], _signature(action_id, attempt)):
        return ""
    return f"action-{action_id}-{attempt}"


def reply_address(entity, key: str) -> str:
    """The Reply-To of the message with outbox key `key`: the entity's address tagged with
    the key when the entity uses plus-addressing; the address as it is otherwise; "" when the
    entity has no address."""
    address = (entity.email or "").strip()
    if not address or not entity.reply_plus_addressing:
        return address
    tag = reply_tag(key)
    local, at, domain = address.rpartition("@")
    if not tag or not at:
        return address
    return f"{local}+{tag}@{domain}"


def tag_of(address: str) -> str:
    """The part after the last "+" of an address's local part, or ""."""
    local = (address or "").strip().strip("<>").rpartition("@")[0]
    base, plus, tag = local.rpartition("+")
    return tag if plus and base else ""


def key_of_address(address: str) -> str:
    """The outbox key an address's tag names, or ""."""
    return key_from_tag(tag_of(address))


def base_address(address: str) -> str:
    """The address without its tag, lower-cased: `relances+x@acme.example` ->
    `relances@acme.example`."""
    local, at, domain = (address or "").strip().strip("<>").lower().rpartition("@")
    if not at:
        return local + domain
    base, plus, _tag = local.rpartition("+")
    return f"{base if plus and base else local}@{domain}"
