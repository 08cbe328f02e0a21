"""Permanent bounces of emails, from a delivery status notification read in the mailbox
(inbound app) or a provider's bounce event (tracking.py): one code path for both.

A bounce of a message (`outbox_bounce_record`):
- the outbox row keeps each bounced address and its reason in `proof["bounces"]` (the first
  reason of an address is kept); when every To address bounced the message is `bounced`
  (provider_status) with its error "the email to <address> bounced: <reason>";
- every contact of the customer with a bounced address is marked invalid (the reason, with
  the date): emails are no longer sent to it (email.addresses) until the address changes
  or a user revalidates it (customers.services);
- when every To address bounced and this is the action's latest attempt, the action, still
  `sent`, gets EMAIL_BOUNCED as its error and the bounce in its note, and then:
  * the step names a fallback channel: the email action is closed `cancelled` (reason
    `bounced`) and the fallback action is created at once (same step, same cycle, due
    today): `action_fall_back`;
  * no fallback: the action goes back to `error` (open), the collector fixes the address;
  * the cycle already moved on (the customer has another open action): the action keeps its
    status, the error shown in its note and its history;
- a bounce of one To address among several (the others alive) leaves the action sent with
  a note; a copy's bounce only marks its contact.

The same bounce twice changes nothing more; a fallback is created once, when the action
leaves `sent` (or, at sending, `error`): `action_one_open_per_customer` forbids a second.
"""

import logging
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from relance.activity.choices import EventKind
from relance.activity.services import action_event_record
from relance.agenda.choices import OPEN_STATUSES, ActionReason, ActionStatus, PlannedBy
from relance.agenda.models import Action
from relance.customers.models import Contact
from relance.delivery.models import Outbox
from relance.scenarios.choices import StepChannel, StepMode

logger = logging.getLogger(__name__)

# The seed's wording ("Erreur d'envoi email (adresse invalide ou bloquée)" in French).
EMAIL_BOUNCED = gettext_noop("Email sending error (invalid or blocked address)")
BOUNCED = "the email to {address} bounced: {reason}"
SOME_BOUNCED = "{address} bounced: {reason}"
FALLBACK_NOTE = "fallback of the bounced email to {address}"
FINAL = "bounced"
REASON_LENGTH = 500


def _lower(addresses) -> set[str]:
    return {a.strip().lower() for a in addresses if a and a.strip()}


def to_addresses(outbox: Outbox) -> list[str]:
    """The message's To addresses: as recorded at sending (or by the provider); for older
    rows, every recipient (copies included: a bounce then needs them all)."""
    to = (outbox.proof or {}).get("to")
    if to:
        return list(to)
    return [a.strip() for a in outbox.recipients.split(",") if a.strip()]


def with_note(note: str, line: str) -> str:
    """`note` with `line` added once (a provider's event or a bounce may come twice)."""
    return note if line in note.splitlines() else f"{note}\n{line}".strip()


def invalid_reason(reason: str) -> str:
    """What a contact shows about its address: the mail server's words (the day is
    `email_invalid_at`, shown beside it in the reader's date format)."""
    return reason[:REASON_LENGTH]


def contacts_invalidate(*, customer_id: int, bounced: dict[str, str]) -> int:
    """Mark invalid the customer's contacts whose address bounced (those still valid: the
    first bounce's reason is kept); answers how many were marked."""
    now, marked = timezone.now(), 0
    for address, reason in bounced.items():
        if not address:
            continue
        marked += (
            Contact.objects.filter(
                customer_id=customer_id, email__iexact=address.strip(), email_invalid_at=None
            )
            .exclude(email="")
            .update(
                email_invalid_reason=invalid_reason(reason),
                email_invalid_at=now,
                updated_at=now,
            )
        )
    return marked


@transaction.atomic
def outbox_bounce_record(
    *, outbox: Outbox, bounced: dict[str, str], source: str, day: date | None = None
) -> None:
    """Record a permanent bounce of the email of `outbox`: `bounced` maps each bounced
    address to the reason given (a DSN's diagnostic, the provider's words); `source` is
    "dsn" or the provider's name; `day` the entity's calendar day it is recorded (today;
    the demo replays past days). See the module docstring for what follows."""
    bounced = {a.strip(): (r or "").strip()[:REASON_LENGTH] for a, r in bounced.items() if a}
    rows = Outbox.objects.select_for_update(of=("self",)).select_related("action__entity")
    outbox = rows.get(pk=outbox.pk)
    if outbox.channel != StepChannel.EMAIL or not bounced:
        return
    bounced = _as_sent(outbox, bounced)
    action = outbox.action
    today = day or action.entity.today()
    new, main_bounces, every_to_bounced = _outbox_bounced(outbox, bounced, source)
    contacts_invalidate(customer_id=action.customer_id, bounced=bounced)
    if new:
        action_event_record(
            action=action,
            kind=EventKind.EMAIL_BOUNCED,
            day=today,
            address=", ".join(new),
            reason="; ".join(dict.fromkeys(new.values())),
            source=source,
        )
    if Outbox.objects.filter(action_id=action.pk, attempt__gt=outbox.attempt).exists():
        return  # a retry replaced this attempt: it speaks for the action
    if every_to_bounced:
        _action_bounced(action, outbox.error, main_bounces, today)
    else:
        for address, reason in new.items():
            if address in main_bounces:
                _note(action, SOME_BOUNCED.format(address=address, reason=reason))


def _outbox_bounced(outbox: Outbox, bounced: dict[str, str], source: str):
    """Write the bounce on the (locked) outbox row; answers the addresses new to it, the
    To addresses' bounces, and whether every To address bounced."""
    proof = {**(outbox.proof or {})}
    bounces = {**proof.get("bounces", {})}
    recipients = {**proof.get("recipients", {})}
    known = _lower(bounces)
    new = {a: r or FINAL for a, r in bounced.items() if a.lower() not in known}
    bounces.update(new)
    for address in bounced:
        match = next((a for a in recipients if a.lower() == address.lower()), address)
        recipients[match] = FINAL
    proof.update(bounces=bounces, recipients=recipients)
    proof.setdefault("bounce_source", source)
    main = _lower(to_addresses(outbox)) or _lower(bounces)
    every_to_bounced = main <= _lower(bounces)
    main_bounces = {a: r for a, r in bounces.items() if a.lower() in main}
    fields = []
    if proof != outbox.proof:
        outbox.proof = proof
        fields.append("proof")
    if every_to_bounced:
        reasons = "; ".join(dict.fromkeys(main_bounces.values()))
        error = BOUNCED.format(address=", ".join(main_bounces), reason=reasons)
        if (outbox.provider_status, outbox.error) != (FINAL, error):
            outbox.provider_status, outbox.error = FINAL, error
            fields += ["provider_status", "error"]
    if fields:
        outbox.save(update_fields=[*fields, "updated_at"])
    return new, main_bounces, every_to_bounced


def _as_sent(outbox: Outbox, bounced: dict[str, str]) -> dict[str, str]:
    """The bounced addresses in the words of the message: a notification that names only
    addresses it was never sent to (a forward of its one To address failed further on) is
    about its To address, the final address kept in the reason."""
    sent = _lower([*to_addresses(outbox), *outbox.recipients.split(",")])
    to = to_addresses(outbox)
    if len(to) != 1 or any(address.lower() in sent for address in bounced):
        return bounced
    reason = "; ".join(f"{address}: {reason}" for address, reason in bounced.items())
    return {to[0]: reason[:REASON_LENGTH]}


def _note(action: Action, line: str) -> None:
    action = Action.objects.select_for_update().get(pk=action.pk)
    note = with_note(action.note, line)
    if note != action.note:
        Action.objects.filter(pk=action.pk).update(note=note, updated_at=timezone.now())


def _action_bounced(action: Action, error: str, bounces: dict[str, str], today: date) -> None:
    action = (
        Action.objects.select_for_update(of=("self",))
        .select_related("entity", "step")
        .get(pk=action.pk)
    )
    if action.status != ActionStatus.SENT:
        return  # already told (error, cancelled), or finished by a user
    note = with_note(action.note, error)
    moved_on = Action.objects.filter(customer_id=action.customer_id, status__in=OPEN_STATUSES)
    if moved_on.exclude(pk=action.pk).exists():
        # One open action per customer: the cycle went on, the bounce stays in the history.
        action.error_message, action.note = EMAIL_BOUNCED, note
        _save(action, "error_message", "note")
        return
    address = ", ".join(bounces)
    action.error_message, action.note = EMAIL_BOUNCED, note
    if fallback_channel(action):
        action_fall_back(action=action, address=address, day=today)
        return
    action.status, action.finished_on = ActionStatus.ERROR, None
    _save(action, "status", "finished_on", "error_message", "note")


def _save(action: Action, *fields: str) -> None:
    action.updated_at = timezone.now()
    action.save(update_fields=[*fields, "updated_at"])


def fallback_channel(action: Action) -> str:
    """The channel the action's step falls back to when its email bounces, or ""."""
    step = action.step
    if action.channel != StepChannel.EMAIL or step is None:
        return ""
    return step.fallback_channel or ""


def action_fall_back(*, action: Action, address: str, day: date) -> Action:
    """Close the email `action` (locked, the customer's only open action or none left)
    `cancelled` for `bounced`, keeping its error and note as set by the caller, and create
    its step's fallback action at once: same cycle, step and responsible, the fallback
    channel, the step's mode, due and created on `day`, planned by `fallback`."""
    step = action.step
    channel = step.fallback_channel
    action.status, action.reason, action.finished_on = (
        ActionStatus.CANCELLED,
        ActionReason.BOUNCED,
        day,
    )
    _save(action, "status", "reason", "finished_on", "error_message", "note")
    mode = step.mode
    fallback = Action.objects.create(
        entity_id=action.entity_id,
        customer_id=action.customer_id,
        scenario_id=action.scenario_id,
        step=step,
        step_position=action.step_position,
        step_name=action.step_name,
        channel=channel,
        mode=mode,
        reference_id=action.reference_id,
        # As the engine writes a new action (engine/planner.py, _create_next).
        status=ActionStatus.TO_CONFIRM if mode == StepMode.AUTO_CONFIRM else ActionStatus.PLANNED,
        planned_by=PlannedBy.FALLBACK,
        created_on=day,
        due_date=day,
        responsible_id=action.responsible_id,
        note=FALLBACK_NOTE.format(address=address or "?"),
    )
    action_event_record(action=fallback, kind=EventKind.FALLBACK_CREATED, day=day, address=address)
    logger.info("action %s: email bounced, fallback %s by %s", action.pk, fallback.pk, channel)
    return fallback


def actions_fall_back(failures: list[tuple[Action, str]], day: date) -> set[int]:
    """At sending: the email actions in error because every address of theirs is marked
    invalid (`failures`: action, error) whose step falls back are closed and replaced by
    their fallback action (`action_fall_back`); answers the ids of those replaced."""
    replaced = set()
    for action, error in failures:
        with transaction.atomic():
            locked = (
                Action.objects.select_for_update(of=("self",))
                .select_related("entity", "step")
                .filter(pk=action.pk, status=ActionStatus.ERROR)
                .first()
            )
            if locked is None or not fallback_channel(locked):
                continue
            addresses = Contact.objects.filter(
                Q(customer_id=locked.customer_id, is_collection=True),
                ~Q(email=""),
                email_invalid_at__isnull=False,
            ).values_list("email", flat=True)
            locked.error_message = error
            action_fall_back(action=locked, address=", ".join(addresses), day=day)
            replaced.add(locked.pk)
    return replaced
