"""Email delivery news from the providers, through django-anymail (docs/channels.md).

Every email carries its outbox key in its anymail metadata (email.py: build_message). When
the provider accepts it (anymail's `post_send`), the outbox row keeps the provider's message
id, the To addresses and each recipient's status. The provider's tracking webhooks
(/anymail/<esp>/tracking/, mounted when ANYMAIL_WEBHOOK_SECRET is set) then send `tracking`
events, found by that key (else by the provider's message id):

- per recipient, `proof["recipients"]` only moves forward: sent, deferred, delivered (an open
  or a click proves delivery), bounced (bounced, rejected and failed events: final);
- `provider_status` is the message's: `bounced` when every To address bounced, else the
  furthest status of the To addresses; a copy's bounce is recorded, never the action's;
- a bounce goes through `bounces.outbox_bounce_record`, as a delivery status notification
  read in the mailbox does: the bounced address and its reason kept, the contact's address
  marked invalid, and when every To address bounced the action in error (or replaced by its
  step's fallback action); a bounce of some To addresses only adds a note on the action;
- opens, clicks, spam complaints and unsubscriptions keep their first time in `proof`; a
  complaint or an unsubscription also adds a note on the action.

The same event twice changes nothing more.
"""

import logging
from email.utils import getaddresses

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from relance.agenda.models import Action
from relance.delivery.bounces import outbox_bounce_record, to_addresses, with_note
from relance.delivery.email import OUTBOX_KEY
from relance.delivery.models import Outbox
from relance.scenarios.choices import StepChannel

logger = logging.getLogger(__name__)

NOTES = {
    "complained": "the recipient reported this email as spam ({address})",
    "unsubscribed": "the recipient unsubscribed from these emails ({address})",
}
# How far a message got to one recipient; an event never moves it back.
PROGRESS = {"": 0, "unknown": 0, "queued": 1, "sent": 1, "deferred": 2, "delivered": 3}
FINAL = "bounced"
STATUS_OF_EVENT = {
    "queued": "queued",
    "sent": "sent",
    "deferred": "deferred",
    "delivered": "delivered",
    "opened": "delivered",
    "clicked": "delivered",
    "bounced": FINAL,
    "rejected": FINAL,
    "failed": FINAL,
}
ENGAGEMENT = ("opened", "clicked", "complained", "unsubscribed")


def _normalized(status: str) -> str:
    """A status anymail answers at send time (sent, queued, rejected, invalid, failed...)
    in the words of the events."""
    return FINAL if status == "invalid" else STATUS_OF_EVENT.get(status, status or "")


def _progress(status: str) -> int:
    return len(PROGRESS) if status == FINAL else PROGRESS.get(status, 0)


def _further(current: str, new: str) -> str:
    return new if _progress(new) > _progress(current) else current


def _main(address: str, to: list[str]) -> bool:
    """Whether `address` is one of the message's To (all are when they are not known)."""
    return not to or not address or address.lower() in {a.lower() for a in to}


def message_status(recipients: dict[str, str], to: list[str]) -> str:
    """The message's status from its recipients': bounced when every To address bounced,
    else the furthest status among the To addresses that did not."""
    main = [status for address, status in recipients.items() if _main(address, to)]
    if not main:
        return ""
    if all(status == FINAL for status in main):
        return FINAL
    alive = [status for status in main if status != FINAL]
    return max(alive, key=_progress)


def outbox_esp_accepted(
    *, key: str, esp_name: str, message_id, recipients: dict[str, str], to: list[str]
) -> bool:
    """Record what the provider answered when it took the email of outbox row `key`:
    its message id (one, or one per recipient) and each recipient's status."""
    if isinstance(message_id, set | frozenset | list | tuple):
        ids = sorted(str(one) for one in message_id if one is not None)
    else:
        ids = [str(message_id)] if message_id is not None else []
    with transaction.atomic():
        outbox = Outbox.objects.select_for_update().filter(key=key).first()
        if outbox is None:
            return False
        statuses = {address: _normalized(status) for address, status in recipients.items()}
        outbox.provider_id = (ids[0] if ids else "")[:255]
        outbox.proof = {
            **(outbox.proof or {}),
            "esp": esp_name,
            "to": list(to),
            "recipients": statuses,
            **({"message_ids": ids} if len(ids) > 1 else {}),
        }
        outbox.provider_status = message_status(statuses, to)[:30]
        outbox.save(update_fields=["provider_id", "proof", "provider_status", "updated_at"])
    return True


def _find(event) -> Outbox | None:
    rows = Outbox.objects.select_for_update().filter(channel=StepChannel.EMAIL)
    key = (getattr(event, "metadata", None) or {}).get(OUTBOX_KEY)
    if key:
        return rows.filter(key=key).first()
    message_id = str(event.message_id or "").strip()
    if not message_id:
        return None
    header = message_id if message_id.startswith("<") else f"<{message_id}>"
    return rows.filter(Q(provider_id=message_id) | Q(message_id=header)).first()


def _reason(event) -> str:
    """The provider's words: its description, with the receiving server's answer."""
    parts = [str(p).strip() for p in (event.description, event.mta_response) if p]
    parts = [p for p in parts if p] or [str(event.reject_reason or event.event_type)]
    reason = parts[0] + (f" ({parts[1]})" if len(parts) > 1 else "")
    return reason[:500]


def _addressed_to(outbox: Outbox, recipient: str) -> bool:
    known = {a.strip().lower() for a in outbox.recipients.split(",") if a.strip()}
    known |= {a.lower() for a in (outbox.proof or {}).get("recipients", {})}
    return not known or recipient.lower() in known


def outbox_email_event(*, event, esp_name: str = "") -> Outbox | None:
    """Apply one anymail tracking event to its outbox row and action (module docstring);
    answers the row, or None for a message that is not ours."""
    event_type = str(event.event_type or "")
    if event_type not in STATUS_OF_EVENT and event_type not in ENGAGEMENT:
        return None
    recipient = str(event.recipient or "").strip()
    with transaction.atomic():
        outbox = _find(event)
        if outbox is None:
            return None
        if recipient and not _addressed_to(outbox, recipient):
            logger.warning("%s event for %s: not a recipient of %s", esp_name, recipient, outbox)
            return None
        before = (outbox.provider_status, outbox.error, outbox.proof)
        proof = {**(outbox.proof or {})}
        proof.setdefault("esp", esp_name)
        recipients = {**proof.get("recipients", {})}
        to = proof.get("to") or []
        targets = [recipient] if recipient else (to or [""])
        when = (event.timestamp or timezone.now()).isoformat()
        notes = []
        if event_type in ENGAGEMENT and f"{event_type}_at" not in proof:
            proof[f"{event_type}_at"] = when
            if event_type in NOTES:
                notes.append(NOTES[event_type].format(address=recipient or "?"))
        status = STATUS_OF_EVENT.get(event_type)
        for target in targets:
            match = next((a for a in recipients if a.lower() == target.lower()), target)
            if status:
                recipients[match] = _further(recipients.get(match, ""), status)
        proof["recipients"] = recipients
        outbox.proof = proof
        outbox.provider_status = message_status(recipients, to)[:30]
        if (outbox.provider_status, outbox.error, outbox.proof) != before:
            outbox.save(update_fields=["provider_status", "error", "proof", "updated_at"])
        if status == FINAL:  # the contact, the action and the fallback: as for a DSN
            reason = _reason(event)
            bounced = {target: reason for target in targets if target}
            if not bounced:
                bounced = dict.fromkeys(to_addresses(outbox), reason)
            outbox_bounce_record(outbox=outbox, bounced=bounced, source=esp_name or "esp")
            outbox.refresh_from_db()
        _tell_the_action(outbox, notes=notes)
    return outbox


def _tell_the_action(outbox: Outbox, *, notes: list[str]) -> None:
    """Only the action's latest attempt speaks for it: news about an attempt a retry already
    replaced changes that attempt's row only."""
    if not notes:
        return
    if Outbox.objects.filter(action_id=outbox.action_id, attempt__gt=outbox.attempt).exists():
        return
    action = Action.objects.select_for_update().get(pk=outbox.action_id)
    note = action.note
    for line in notes:
        note = with_note(note, line)
    if note != action.note:
        action.note, action.updated_at = note, timezone.now()
        action.save(update_fields=["note", "updated_at"])


# --- anymail's signals (connected in apps.py) ----------------------------------------------


def on_post_send(sender, message, status, esp_name, **kwargs) -> None:
    """The provider took an email: keep its message id on the outbox row. Never raises:
    anymail would turn an error here into a failed send of a message already sent."""
    key = (getattr(message, "metadata", None) or {}).get(OUTBOX_KEY)
    if not key or status is None:
        return
    try:
        outbox_esp_accepted(
            key=key,
            esp_name=esp_name,
            message_id=status.message_id,
            recipients={address: r.status for address, r in status.recipients.items()},
            to=[address for _name, address in getaddresses(message.to)],
        )
    except Exception:
        logger.exception("outbox %s: the provider's message id could not be recorded", key)


def on_tracking(sender, event, esp_name, **kwargs) -> None:
    outbox_email_event(event=event, esp_name=esp_name)
