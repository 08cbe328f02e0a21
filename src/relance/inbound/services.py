"""Storing what comes back by email, once, and acting on it.

`inbound_email_store` takes one message's bytes (from the mailbox, a provider's webhook or
a file) and never raises for what the message contains: it is read (inbound/parsing.py),
stored once per entity (by Message-ID, else by the hash of its bytes; the unique
constraints settle two fetches racing), matched (inbound/matching.py) and then, by kind:
a reply becomes the customer's response (which pauses the dunning, agenda/services.py)
and gets the assistant's proposal; an automatic reply is kept on the customer's responses
without pausing anything; a bounce marks the message it names bounced
(delivery/bounces.py); a message that cannot be read is kept with the reason.

A failure after the email is stored (recording the response, the bounce, the assistant)
is logged and written in the email's problems: the email is never lost for it."""

import email.parser
import email.policy
import email.utils
import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from relance.activity.services import contact_event_record
from relance.customers.models import Contact, Customer
from relance.delivery.models import Outbox
from relance.inbound import parsing
from relance.inbound.choices import InboundKind, InboundStatus, MatchedBy
from relance.inbound.matching import (
    SENT_TEXT,
    Known,
    Match,
    from_outbox,
    last_email_action,
    match,
)
from relance.inbound.models import InboundAttachment, InboundEmail
from relance.scenarios.choices import StepChannel

logger = logging.getLogger(__name__)

HEADERS_KEPT = 64 * 1024  # of a message too large to keep: its headers only
SOURCE_DSN = "dsn"


def _clip(value: str, length: int) -> str:
    return (value or "")[:length]


def _author(sender_name: str, sender: str) -> str:
    return _clip(
        f"{sender_name} <{sender}>" if sender_name and sender else sender_name or sender, 200
    )


def _received_at(date: datetime | None) -> datetime:
    """The Date header, unless missing or in the future (a sender's clock, or a lie)."""
    now = timezone.now()
    if date is None or date > now + timedelta(minutes=5):
        return now
    return date


def _already_stored(entity, message_id: str, content_hash: str) -> bool:
    same = Q(content_hash=content_hash)
    if message_id:
        same |= Q(message_id=message_id)
    return InboundEmail.objects.filter(entity=entity).filter(same).exists()


def _storage_name(name: str) -> str:
    """A file name safe on any storage: no path, no odd characters, short; the name as the
    sender wrote it stays in InboundAttachment.filename."""
    base = re.sub(r"[^\w.-]+", "_", name.replace("\\", "/").rsplit("/", 1)[-1]).strip("._")
    return base[-100:] or "attachment"


def _save_file(name: str, content: bytes) -> str:
    folder = timezone.now().strftime("inbound/%Y/%m/")
    return default_storage.save(folder + _storage_name(name), ContentFile(content))


class _Twin(Exception):
    """The email was stored meanwhile by another fetch (a unique constraint said so)."""


def _insert(email: InboundEmail, raw: bytes) -> InboundEmail:
    """Insert `email` with its raw file; raises _Twin when it is stored already (the unique
    constraints say so, a fetch beside this one included): the caller's savepoint then
    undoes what was done for it. Storing first and asking after keeps a query off every
    new email; a duplicate (a folder read again) costs its work, undone."""
    email.raw.name = _save_file(f"{email.content_hash}.eml", raw)
    try:
        email.save(force_insert=True)
    except IntegrityError as exc:
        default_storage.delete(email.raw.name)
        raise _Twin(email.entity, email.message_id, email.content_hash) from exc
    return email


class _ActFailed(Exception):
    """Acting on an email failed (recording its response, its bounce)."""


def _once(store) -> InboundEmail | None:
    """Run `store(failure)` in one savepoint (a transaction of its own outside a fetch's
    batch): whatever fails in it, database errors included, is undone without breaking
    the caller's transaction; None when the email was stored already. When acting on the
    email failed, it is stored again without acting, the failure noted (`failure`): one
    savepoint per email in the usual case, not one more around the acting."""
    failure = None
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return store(failure)
        except _Twin as twin:  # the savepoint is undone: the database answers again
            if _already_stored(*twin.args):
                return None
            raise twin.__cause__ from None
        except _ActFailed as failed:
            if failure is not None:
                raise
            failure = failed.__cause__
            logger.error("inbound: acting on a received email failed", exc_info=failure)
    raise AssertionError("unreachable")


# --- storing ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Read:
    """A message's bytes as read: parsed, or the reason they cannot be."""

    content_hash: str
    parsed: parsing.ParsedEmail | None = None
    refusal: str = ""


def inbound_email_read(raw: bytes) -> Read:
    """Parse one message; never raises for what the bytes hold (a parser bug included: the
    message is then kept as refused, the mailbox goes on)."""
    content_hash = hashlib.sha256(raw).hexdigest()
    try:
        return Read(content_hash, parsing.parse(raw))
    except parsing.Refused as exc:
        return Read(content_hash, refusal=str(exc))
    except Exception as exc:
        logger.exception("inbound: message %s could not be read", content_hash)
        return Read(content_hash, refusal=f"unreadable: {exc}"[:500])


def inbound_known(entity, reads) -> Known:
    """What matching these read messages will ask, read at once (matching.Known): a
    mailbox's batch costs a few queries, not a few per message."""
    return Known(entity, [read.parsed for read in reads])


def inbound_email_store(
    *, entity, raw: bytes, source: str, connector=None, read: Read | None = None, known=None
) -> InboundEmail | None:
    """Store one received message for `entity` and act on it; None when it was stored
    already. Whatever the bytes, this stores them or says why not: it does not raise for a
    malformed or hostile message. `read` and `known`: what the caller has read already
    of the message and of its batch (inbound_email_read, inbound_known)."""
    read = read if read is not None else inbound_email_read(raw)
    if read.parsed is None:
        return _store_refused(entity, raw, source, read.content_hash, read.refusal)
    known = known if known is not None else Known(entity, [read.parsed])
    return _once(
        lambda failure: _store_parsed(
            entity, read.parsed, raw, source, read.content_hash, known, failure
        )
    )


def _store_parsed(
    entity, parsed, raw: bytes, source: str, content_hash: str, known: Known, failure=None
) -> InboundEmail | None:
    """Inside inbound_email_store's savepoint: match, act, insert (dedupe by the unique
    constraints); `failure`: acting failed before, store the email without acting."""
    if parsed.bounce is not None:
        kind, found = InboundKind.BOUNCE, _bounce_match(entity, parsed, known)
    else:
        kind = InboundKind.AUTO_REPLY if parsed.auto_reply else InboundKind.REPLY
        found = match(entity, parsed, known)
    email = _email_row(entity, parsed, source, content_hash, kind, found)
    if failure is None:
        _act(email, parsed, known)  # first: the response goes in the email's row, no update
    else:
        _not_acted(email, failure)
    _insert(email, raw)
    _attachments_save(email, parsed.attachments)
    return email


def _email_row(entity, parsed, source, content_hash, kind, found: Match) -> InboundEmail:
    details = {}
    if found.invoice_numbers:
        details["invoice_numbers"] = list(found.invoice_numbers)
    if parsed.auto_reply:
        details["auto_reply"] = parsed.auto_reply
    if parsed.bounce is not None:
        details.update(_bounce_details(parsed.bounce))
    return InboundEmail(
        entity=entity,
        source=source,
        message_id=_clip(parsed.message_id, 255),
        content_hash=content_hash,
        received_at=_received_at(parsed.date),
        sender=_clip(parsed.sender, 254),
        sender_name=_clip(parsed.sender_name, 200),
        recipients=", ".join(parsed.to),
        subject=_clip(parsed.subject, 255),
        text=parsed.reply,
        full_text=parsed.text,
        size=parsed.size or 0,
        kind=kind,
        status=_status(kind, found),
        matched_by=found.matched_by,
        problems=list(parsed.problems),
        details=details,
        customer_id=found.customer_id,
        action=found.action,  # with its customer: acting on the email costs no query more
        outbox=found.outbox,
    )


def _status(kind: str, found: Match) -> str:
    """Matched: assigned. A reply that matches nothing waits in the Unassigned list; an
    automatic reply or a bounce that names nothing of ours is kept, ignored."""
    if found.customer_id is not None:
        return InboundStatus.ASSIGNED
    if kind in (InboundKind.AUTO_REPLY, InboundKind.BOUNCE):
        return InboundStatus.IGNORED
    return InboundStatus.UNASSIGNED


def _attachments_save(email: InboundEmail, attachments) -> None:
    rows = []
    for attachment in attachments:
        name = attachment.filename or "attachment"
        row = InboundAttachment(
            email=email,
            filename=_clip(name, 255),
            content_type=_clip(attachment.content_type, 100),
            size=len(attachment.content),
        )
        try:
            row.file.name = _save_file(name, attachment.content)
        except (OSError, SuspiciousFileOperation) as exc:  # the disk, not the message
            logger.exception("inbound: attachment %r of email %s not kept", name, email.pk)
            email.problems = [*email.problems, f"attachment {name!r} not kept: {exc}"[:500]]
            email.save(update_fields=["problems"])
            continue
        rows.append(row)
    InboundAttachment.objects.bulk_create(rows)


def inbound_email_too_large(*, entity, head: bytes, size: int, source: str) -> InboundEmail | None:
    """A message too large to download (`size` bytes): its headers `head` are kept, the
    message refused with the reason; None when it was stored already."""
    reason = f"message too large: {size:,} bytes (limit {parsing.MAX_MESSAGE_BYTES:,})"
    content_hash = hashlib.sha256(head).hexdigest()
    return _store_refused(entity, head, source, content_hash, reason, size=size)


def _store_refused(
    entity, raw: bytes, source, content_hash: str, reason: str, size: int | None = None
) -> InboundEmail | None:
    """A message that cannot be read: its headers as far as they go, the reason, and the
    bytes as received (only the headers when the message is too large to keep)."""
    return _once(
        lambda _failure: _store_refused_row(entity, raw, source, content_hash, reason, size)
    )


def _store_refused_row(entity, raw, source, content_hash, reason, size) -> InboundEmail | None:
    headers = _headers(raw)
    message_id = _clip(headers.get("message-id", ""), 255)
    kept = raw if len(raw) <= parsing.MAX_MESSAGE_BYTES else _head(raw)
    name, address = email.utils.parseaddr(headers.get("from", ""))
    row = InboundEmail(
        entity=entity,
        source=source,
        message_id=message_id,
        content_hash=content_hash,
        received_at=timezone.now(),
        sender=_clip(address.lower() if "@" in address else "", 254),
        sender_name=_clip(name, 200),
        recipients=_clip(headers.get("to", ""), 2000),
        subject=_clip(headers.get("subject", ""), 255),
        size=len(raw) if size is None else size,
        kind=InboundKind.REFUSED,
        status=InboundStatus.UNASSIGNED,
        refusal=reason,
        problems=[] if kept is raw and size is None else ["only the headers were kept"],
    )
    return _insert(row, kept)


def _head(raw: bytes) -> bytes:
    """The header block of a message (up to the first empty line), at most HEADERS_KEPT."""
    head = raw[:HEADERS_KEPT]
    ends = [i for i in (head.find(b"\r\n\r\n"), head.find(b"\n\n")) if i >= 0]
    return head[: min(ends)] if ends else head


def _headers(raw: bytes) -> dict[str, str]:
    """A few headers of a message that could not be read, as plain strings ("" if none)."""
    try:
        parsed = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(
            raw[:HEADERS_KEPT]
        )
        return {  # NUL characters: PostgreSQL refuses them in text
            name: " ".join(str(parsed.get(name, "")).replace("\x00", "").split())
            for name in ("message-id", "from", "to", "subject")
        }
    except Exception:
        return {}


# --- acting on it ----------------------------------------------------------------------


def _act(email: InboundEmail, parsed, known: Known | None = None) -> None:
    """What the email changes, before its row is inserted. A failure raises _ActFailed:
    the email's savepoint is undone and the email stored again without acting (_once)."""
    try:
        if email.kind == InboundKind.BOUNCE:
            _bounce_record(email, parsed.bounce)
        elif email.customer_id is not None:
            _response_record(email, known)
    except Exception as exc:
        raise _ActFailed from exc


def _not_acted(email: InboundEmail, failure: Exception) -> None:
    """The email stored without acting on it: the failure in its problems, and a reply
    waits in the Unassigned list."""
    email.problems = [*email.problems, f"not processed: {failure}"[:500]]
    if email.kind == InboundKind.REPLY:
        email.status, email.customer, email.action, email.matched_by = (
            InboundStatus.UNASSIGNED,
            None,
            None,
            "",
        )


def _response_record(email: InboundEmail, known: Known | None = None) -> None:
    """The email as the customer's response (an automatic reply too: handled at once, it
    pauses nothing), linked to the email; the assistant reads a human reply."""
    from relance.agenda.services import response_email_record

    action = email.action if email.action_id else None  # loaded by the matching, mostly
    if action is not None and action.customer_id == email.customer_id:
        customer = action.customer
    elif known is not None:
        customer = known.customer(email.customer_id)
    else:
        customer = Customer.objects.get(pk=email.customer_id)
    customer.entity = email.entity
    response = response_email_record(
        entity=customer.entity,
        customer=customer,
        action=action,
        author=_author(email.sender_name, email.sender),
        body=email.text or email.full_text or email.subject or email.refusal,
        received_at=email.received_at,
        auto_reply=email.details.get("auto_reply", "")
        if email.kind == InboundKind.AUTO_REPLY
        else "",
    )
    email.response = response  # saved by the caller
    if email.kind == InboundKind.REPLY:
        _propose(response)


def _propose(response) -> None:
    """The assistant reads a human reply once it is committed, in a task (a worker's, or
    inline without a broker): the mailbox is not slowed by it, and its failure is the
    assistant's (logged by the task), never the email's."""
    from relance.inbound.tasks import inbound_propose

    response_id = response.pk
    transaction.on_commit(lambda: inbound_propose.delay(response_id), robust=True)


# --- bounces ---------------------------------------------------------------------------


def _bounce_details(bounce) -> dict:
    return {
        "bounce": {
            "permanent": bounce.permanent,
            "original_message_id": bounce.original_message_id,
            "recipients": [
                {"address": r.address, "status": r.status, "diagnostic": r.diagnostic}
                for r in bounce.recipients
            ],
        }
    }


def _bounce_match(entity, parsed, known: Known) -> Match:
    """The message that bounced: named by its Message-ID, else by the tag of the address
    the notification came to, else the last email sent to the bounced address."""
    bounce = parsed.bounce
    outbox = known.sent.get(bounce.original_message_id)
    outbox, matched_by = (
        (outbox, MatchedBy.IN_REPLY_TO)
        if outbox is not None and outbox.channel == StepChannel.EMAIL
        else (known.by_tag(parsed), MatchedBy.TOKEN)
    )
    if outbox is None and bounce.recipients:
        address = bounce.recipients[0].address
        sent = Outbox.objects.filter(action__entity=entity, channel=StepChannel.EMAIL)
        sent = sent.select_related("action__customer").defer(*SENT_TEXT)
        outbox = sent.filter(recipients__icontains=address).order_by("-id").first()
        matched_by = MatchedBy.RECIPIENT
    return from_outbox(outbox, matched_by) if outbox is not None else Match()


def _bounce_record(email: InboundEmail, bounce) -> None:
    """A permanent failure marks the message bounced (delivery/bounces.py: the contact's
    address invalid, the action in error, the fallback); a delay changes nothing."""
    if email.outbox_id is None or not bounce.permanent:
        return
    from relance.delivery.bounces import outbox_bounce_record

    bounced = {
        r.address: " ".join(part for part in (r.status, r.diagnostic) if part)
        for r in bounce.recipients
        if r.permanent  # a report may also hold a recipient only delayed: still valid
    }
    if not bounced:
        return
    outbox_bounce_record(outbox=email.outbox, bounced=bounced, source=SOURCE_DSN)


# --- what a collector does -------------------------------------------------------------


def _locked(email: InboundEmail) -> InboundEmail:
    return InboundEmail.objects.select_for_update().get(pk=email.pk)


@transaction.atomic
def inbound_email_assign(
    *, email: InboundEmail, customer, add_contact: bool = False, acting_user=None
) -> InboundEmail:
    """Attach an email that matched nobody to `customer`: it becomes the customer's
    response (and the sender, if asked, a collection contact of the customer)."""
    email = _locked(email)
    if email.status == InboundStatus.ASSIGNED:
        raise ValidationError(_("This email is already attached to a customer."))
    if customer.entity_id != email.entity_id:
        raise ValidationError({"customer": _("This customer belongs to another entity.")})
    if add_contact:
        _contact_add(email, customer, acting_user)
    email.customer, email.status, email.matched_by = (
        customer,
        InboundStatus.ASSIGNED,
        MatchedBy.USER,
    )
    if email.action_id is None:
        email.action = last_email_action(customer.pk)
    if email.kind != InboundKind.BOUNCE:
        _response_record(email)
    email.save(update_fields=["customer", "status", "matched_by", "action", "response"])
    return email


def _contact_add(email: InboundEmail, customer, acting_user) -> None:
    sender = email.sender
    try:
        validate_email(sender)
    except ValidationError:
        raise ValidationError(
            {
                "add_contact": _("The sender's address %(value)s is not a valid email address.")
                % {"value": sender or "—"}
            }
        ) from None
    if Contact.objects.filter(customer=customer, email__iexact=sender).exists():
        return
    first, _sep, last = " ".join(email.sender_name.split()).partition(" ")
    first, last = (first, last) if last else ("", first)
    contact = Contact.objects.create(
        customer=customer,
        email=sender,
        first_name=first[:100],
        last_name=last[:100],
        is_collection=True,
    )
    contact_event_record(contact=contact, created=True, fields=[], acting_user=acting_user)


@transaction.atomic
def inbound_email_ignore(*, email: InboundEmail, acting_user=None) -> InboundEmail:
    """An email that matched nobody and concerns nobody (a newsletter, spam): out of the
    Unassigned list, kept."""
    email = _locked(email)
    if email.status == InboundStatus.ASSIGNED:
        raise ValidationError(_("This email is attached to a customer."))
    email.status = InboundStatus.IGNORED
    email.save(update_fields=["status"])
    return email
