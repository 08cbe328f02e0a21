"""Writes of the customer's page: links (issue, revoke, open) and the customer's answers.

A link is a random token whose SHA-256 alone is stored; the page finds it by that hash
(an index lookup on a digest, so no timing tells how much of a guess was right)."""

import functools
import hashlib
import secrets
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import get_script_prefix, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from relance.activity.choices import EventKind
from relance.activity.models import CustomerEvent
from relance.agenda.choices import ResponseChannel, ResponseKind
from relance.agenda.models import CustomerResponse
from relance.core.bulk import copy_rows
from relance.ledger.models import Item
from relance.portal.choices import DisputeReason, LinkState
from relance.portal.models import PortalLink
from relance.webhooks import events as webhook_events


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def portal_url(token: str) -> str:
    path = _page_path(get_script_prefix(), settings.ROOT_URLCONF)
    return settings.SITE_URL.rstrip("/") + path.replace(_TOKEN, token)


_TOKEN = "0TOKEN0"  # a token's letters (URL-safe base64) are never escaped by reverse


@functools.lru_cache(maxsize=8)
def _page_path(_prefix: str, _urlconf: str) -> str:
    """The page's path with a placeholder token, reversed once per prefix and urlconf
    (a batch of messages issues thousands of links)."""
    return reverse("portal:page", args=[_TOKEN])


# The links issued inside portal_links_in_bulk(), written when it ends as plain rows of
# these values (no model instance: a batch of messages issues thousands).
LINK_GIVEN = ("entity_id", "customer_id", "action_id", "token_hash", "created_at", "expires_at")
_PENDING: ContextVar[list | None] = ContextVar("portal_links_pending", default=None)


def portal_link_issue(*, customer, action=None) -> str:
    """A new link to `customer`'s page, valid for the entity's `portal_link_days`; returns
    its absolute URL (the only time the token exists in clear)."""
    token = secrets.token_urlsafe(32)  # 256 random bits
    now = timezone.now()
    row = (
        customer.entity_id,
        customer.pk,
        getattr(action, "pk", None),
        token_hash(token),
        now,
        now + timedelta(days=customer.entity.portal_link_days),
    )
    pending = _PENDING.get()
    if pending is None:
        PortalLink.objects.create(**dict(zip(LINK_GIVEN, row, strict=True)))
    else:
        pending.append(row)
    return portal_url(token)


@contextmanager
def portal_links_in_bulk():
    """The links issued inside are written together, in one statement, when it ends
    without an error (a batch of messages rendered before they leave)."""
    reset = _PENDING.set([])
    try:
        yield
        links = _PENDING.get()
    finally:
        _PENDING.reset(reset)
    copy_rows(PortalLink, LINK_GIVEN, links)


def portal_link_for_context(ctx) -> str:
    """The issuer templating calls for a message that leaves (see PortalConfig.ready)."""
    return portal_link_issue(customer=ctx.customer, action=ctx.action)


@transaction.atomic
def portal_links_revoke(*, customer, acting_user=None) -> int:
    """Every live link of `customer` stops opening the page; returns how many."""
    now = timezone.now()
    count = PortalLink.objects.filter(customer=customer, revoked_at__isnull=True).update(
        revoked_at=now
    )
    _event(customer, EventKind.PORTAL_LINKS_REVOKED, user=acting_user, count=count)
    return count


@dataclass
class Resolved:
    state: str
    link: PortalLink | None = None

    @property
    def valid(self) -> bool:
        return self.state == LinkState.VALID


def portal_link_resolve(token: str) -> Resolved:
    """What `token` opens: VALID with its link, or EXPIRED / REVOKED (with the link, to
    offer a fresh one, never its data), or UNKNOWN."""
    if not token or len(token) > 100:
        return Resolved(LinkState.UNKNOWN)
    link = (
        PortalLink.objects.select_related("customer__entity", "customer__collector", "entity")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if link is None:
        return Resolved(LinkState.UNKNOWN)
    if link.revoked_at is not None:
        return Resolved(LinkState.REVOKED, link)
    if link.expires_at <= timezone.now():
        return Resolved(LinkState.EXPIRED, link)
    return Resolved(LinkState.VALID, link)


def _event(customer, kind: str, *, user=None, action_id=None, **data) -> CustomerEvent:
    return CustomerEvent.objects.create(
        entity_id=customer.entity_id,
        customer_id=customer.pk,
        day=customer.entity.today(),
        kind=kind,
        user=user,
        action_id=action_id,
        data=data,
    )


# Page views closer together than this are one visit on the timeline (a reload, the page
# shown again after an answer); the link's counters count every view.
VISIT_GAP = timedelta(minutes=30)


@transaction.atomic
def portal_link_open(*, link: PortalLink) -> PortalLink:
    """The page was opened through `link`: its counters, and for a new visit an event on
    the customer's timeline (tied to the action whose message carried it)."""
    now = timezone.now()
    previous = link.last_opened_at
    PortalLink.objects.filter(pk=link.pk, first_opened_at__isnull=True).update(first_opened_at=now)
    PortalLink.objects.filter(pk=link.pk).update(last_opened_at=now, open_count=F("open_count") + 1)
    link.refresh_from_db(fields=["first_opened_at", "last_opened_at", "open_count"])
    if previous is None or now - previous >= VISIT_GAP:
        _event(link.customer, EventKind.PORTAL_OPENED, action_id=link.action_id, link=link.pk)
    return link


@transaction.atomic
def portal_fresh_link_send(*, link: PortalLink, language: str) -> bool:
    """A new link by email to the customer's known collection addresses (through Django's
    mail API), for an expired or revoked one; False when no address is known."""
    from relance.portal.emails import fresh_link_email

    customer = link.customer
    emails = list(
        customer.contacts.filter(is_collection=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not emails:
        return False
    url = portal_link_issue(customer=customer)
    transaction.on_commit(lambda: fresh_link_email(customer, emails, url, language).send())
    _event(customer, EventKind.PORTAL_LINK_RESENT)
    return True


# --- answers -------------------------------------------------------------------------------


def open_items_for(customer, ids) -> list[Item]:
    """The customer's own open items among `ids`, locked; any other id is refused."""
    wanted = {int(pk) for pk in ids}
    items = list(
        Item.objects.select_for_update()
        .filter(customer=customer, open_amount__gt=0, pk__in=wanted)
        .order_by("due_date", "number")
    )
    if not wanted or len(items) != len(wanted):
        raise ValidationError({"items": _("Choose among your open items.")})
    return items


def _save(items: list[Item], fields: list[str]) -> None:
    for item in items:  # a handful at most; save() keeps updated_at right
        item.save(update_fields=[*fields, "updated_at"])


def _response(link, kind, items, *, body: str, details: dict, attachment=None):
    customer = link.customer
    response = CustomerResponse.objects.create(
        entity_id=customer.entity_id,
        customer=customer,
        action_id=link.action_id,
        received_at=timezone.now(),
        channel=ResponseChannel.PORTAL,
        author=details.pop("author", "") or customer.name[:200],
        body=body or str(ResponseKind(kind).label),
        kind=kind,
        details=details,
    )
    if attachment is not None:
        response.attachment.save(attachment.name, attachment, save=True)
    if items:
        response.items.set(items)
    _event(
        customer,
        EventKind.PORTAL_ANSWER,
        action_id=link.action_id,
        response=response.pk,
        answer=kind,
        items=[item.number for item in items],
    )
    webhook_events.response_received(response)
    return response


@transaction.atomic
def portal_payment_announce(
    *, link, item_ids, paid_on: date, amount: Decimal | None, reference: str = "", proof=None
) -> CustomerResponse:
    """ "I have paid": each item's payment announced on `paid_on`, which is also its
    promised date (the engine then waits for the scenario's grace days)."""
    items = open_items_for(link.customer, item_ids)
    today = link.customer.entity.today()
    if paid_on > today:
        raise ValidationError({"paid_on": _("The payment date cannot be in the future.")})
    for item in items:
        item.payment_announced_on = paid_on
        item.promise_date = paid_on
    _save(items, ["payment_announced_on", "promise_date"])
    details = {"paid_on": paid_on.isoformat(), "reference": reference}
    if amount is not None:
        details["amount"] = str(amount)
    return _response(
        link,
        ResponseKind.PAYMENT_ANNOUNCED,
        items,
        body=reference,
        details=details,
        attachment=proof,
    )


@transaction.atomic
def portal_promise_record(
    *, link, item_ids, promise_date: date, amount: Decimal | None = None
) -> CustomerResponse:
    """ "I will pay on": a date from today to the entity's promise horizon."""
    items = open_items_for(link.customer, item_ids)
    entity = link.customer.entity
    today = entity.today()
    if not today <= promise_date <= today + timedelta(days=entity.promise_max_days):
        raise ValidationError(
            {
                "promise_date": _("Choose a date within %(days)s days.")
                % {"days": entity.promise_max_days}
            }
        )
    for item in items:
        item.promise_date = promise_date
    _save(items, ["promise_date"])
    webhook_events.promise_recorded(
        customer=link.customer, items=items, promise_date=promise_date, source="portal"
    )
    details = {"promise_date": promise_date.isoformat()}
    if amount is not None:
        details["amount"] = str(amount)
    return _response(link, ResponseKind.PROMISE, items, body="", details=details)


@transaction.atomic
def portal_dispute_open(*, link, item_ids, reason: str, text: str, attachment=None):
    """ "I dispute": the items disputed as a collector's call outcome does (disputed, a
    reason of at most 200 characters, the entity's today)."""
    if reason not in DisputeReason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    items = open_items_for(link.customer, item_ids)
    with translation.override(link.customer.entity.language):  # read by the entity's users
        label = str(DisputeReason(reason).label)
    summary = f"{label}: {text.strip()}" if text.strip() else label
    today = link.customer.entity.today()
    for item in items:
        item.disputed = True
        item.dispute_reason = summary[:200]
        item.dispute_date = today
    _save(items, ["disputed", "dispute_reason", "dispute_date"])
    webhook_events.dispute_opened(
        customer=link.customer, items=items, reason=summary[:200], source="portal"
    )
    return _response(
        link,
        ResponseKind.DISPUTE,
        items,
        body=text.strip(),
        details={"reason": reason},
        attachment=attachment,
    )


@transaction.atomic
def portal_comment_add(*, link, item_ids, body: str) -> CustomerResponse:
    items = open_items_for(link.customer, item_ids) if item_ids else []
    if not body.strip():
        raise ValidationError({"body": _("Write your message.")})
    return _response(link, ResponseKind.COMMENT, items, body=body.strip(), details={})


@transaction.atomic
def portal_callback_request(*, link, day: date, slot: str, phone: str) -> CustomerResponse:
    """A call-back asked for a day (today or later) and a time slot, to the given number."""
    if day < link.customer.entity.today():
        raise ValidationError({"day": _("Choose a day from today on.")})
    details = {"day": day.isoformat(), "slot": slot, "phone": phone}
    return _response(link, ResponseKind.CALLBACK, [], body=phone, details=details)


@transaction.atomic
def portal_contact_propose(*, link, contact: dict) -> CustomerResponse:
    """New contact details, only proposed: kept in the response for a collector to accept."""
    if not any(contact.values()):
        raise ValidationError(_("Fill in at least one field."))
    body = "\n".join(f"{key}: {value}" for key, value in contact.items() if value)
    return _response(link, ResponseKind.CONTACT_CHANGE, [], body=body, details={"contact": contact})
