"""What users do with actions: confirm, do, skip, retry. The engine plans and sends; these
services are the agenda's (used by the UI in M1.4). Each writes its event for the customer
timeline, with the acting user, in its own transaction. Then what users do with customers'
responses: handle, answer, accept or reject contact details, undo, comment."""

import uuid
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from relance.activity.choices import EventKind
from relance.activity.models import CustomerEvent
from relance.activity.services import (
    action_event_record,
    action_events_record,
    contact_event_record,
    user_name,
)
from relance.agenda.choices import (
    OPEN_STATUSES,
    OUTCOME_ACCEPTED,
    OUTCOME_ANSWERED,
    OUTCOME_KEY,
    OUTCOME_REJECTED,
    OUTCOME_UNDONE,
    ActionReason,
    ActionStatus,
    CallOutcome,
    PlannedBy,
    ResponseChannel,
    ResponseKind,
)
from relance.agenda.models import Action, CustomerResponse
from relance.agenda.selectors import pausing_responses, reply_pause_until
from relance.core.carriers import carrier_for_country, is_tracking_number, normalize_tracking_number
from relance.customers.models import Contact
from relance.customers.phones import e164
from relance.customers.selectors import collection_emails
from relance.ledger.models import Item
from relance.scenarios.choices import StepChannel, StepMode
from relance.templating.choices import Channel
from relance.webhooks import events as webhook_events


def _locked(action: Action) -> Action:
    return Action.objects.select_for_update().select_related("entity").get(pk=action.pk)


def _require(action: Action, statuses, verb: str) -> None:
    if action.status not in statuses:
        raise ValidationError(
            _("This action is %(status)s: it cannot be %(verb)s.")
            % {"status": action.get_status_display().lower(), "verb": verb}
        )


def _require_open(action: Action, verb: str) -> None:
    """Open, and no message of it between hand-over and record: delivery commits its
    outbox row under this same row lock (delivery.protocol.outbox_begin), so a user's
    change never races a send."""
    from relance.delivery.choices import OutboxStatus

    _require(action, OPEN_STATUSES, verb)
    if action.outbox.filter(status=OutboxStatus.SENDING).exists():
        raise ValidationError(
            _(
                "A message of this action is being sent: it cannot be %(verb)s now. "
                "Reload the page in a moment to see it recorded."
            )
            % {"verb": verb}
        )


def _save(action: Action, *fields: str) -> Action:
    action.updated_at = timezone.now()
    action.save(update_fields=[*fields, "updated_at"])
    return action


@transaction.atomic
def action_confirm(*, action: Action, acting_user=None) -> Action:
    """An `auto_confirm` action approved: the send tick sends it once due, within the
    entity's sending hours (engine/sendtick.py)."""
    action = _locked(action)
    _require(action, {ActionStatus.TO_CONFIRM}, _("confirmed"))
    action.status = ActionStatus.CONFIRMED
    action_event_record(action=action, kind=EventKind.ACTION_CONFIRMED, acting_user=acting_user)
    return _save(action, "status")


@transaction.atomic
def action_done(*, action: Action, acting_user=None, day: date | None = None, note="") -> Action:
    """A user did the action (a call, a letter): finished on `day` (the entity's today)."""
    action = _finish_done(_locked(action), day=day, note=note)
    action_event_record(
        action=action,
        kind=EventKind.ACTION_DONE,
        acting_user=acting_user,
        day=day,
        **_noted(note),
    )
    webhook_events.actions_done([action])
    return action


def _noted(note: str) -> dict:
    return {"note": note.strip()} if note and note.strip() else {}


def _finish_done(action: Action, *, day: date | None, note: str) -> Action:
    _require_open(action, _("done"))
    action.status = ActionStatus.DONE
    action.finished_on = day or action.entity.today()
    action.error_message = ""
    if note:
        action.note = f"{action.note}\n{note}".strip()
    return _save(action, "status", "finished_on", "error_message", "note")


@transaction.atomic
def action_skip(*, action: Action, acting_user=None, day: date | None = None, note="") -> Action:
    """A user skipped the step: it counts as finished, the cycle moves on."""
    action = _locked(action)
    _require_open(action, _("skipped"))
    action.status = ActionStatus.SKIPPED
    action.reason = ActionReason.BY_USER
    action.finished_on = day or action.entity.today()
    if note:
        action.note = f"{action.note}\n{note}".strip()
    action_event_record(
        action=action,
        kind=EventKind.ACTION_SKIPPED,
        acting_user=acting_user,
        day=day,
        **_noted(note),
    )
    return _save(action, "status", "reason", "finished_on", "note")


@transaction.atomic
def action_retry(*, action: Action, acting_user=None) -> Action:
    """An action in error put back in line: the next send tick (engine/sendtick.py) or run
    executes it again (a new outbox attempt, so that a refused message is never confused
    with a sent one)."""
    action = _locked(action)
    _require(action, {ActionStatus.ERROR}, _("retried"))
    confirmed = action.mode == StepMode.AUTO_CONFIRM
    action_event_record(
        action=action,
        kind=EventKind.ACTION_RETRIED,
        acting_user=acting_user,
        error=action.error_message[:200],
    )
    action.status = ActionStatus.CONFIRMED if confirmed else ActionStatus.PLANNED
    action.error_message = ""
    return _save(action, "status", "error_message")


@transaction.atomic
def action_confirm_many(*, actions, acting_user=None, day: date | None = None) -> list[Action]:
    """Every action of `actions` (a queryset, already scoped to the user) that waits for a
    confirmation, confirmed at once; the others are left as they are. Answers the confirmed.
    `day`: the entity's calendar day it happened (today; the demo replays past days)."""
    locked = list(
        Action.objects.select_for_update()
        .filter(pk__in=actions.values("pk"), status=ActionStatus.TO_CONFIRM)
        .order_by("pk")
    )
    if not locked:
        raise ValidationError(_("None of the selected actions waits for a confirmation."))
    now = timezone.now()
    for action in locked:
        action.status = ActionStatus.CONFIRMED
        action.updated_at = now
    Action.objects.bulk_update(locked, ["status", "updated_at"])
    action_events_record(
        actions=locked, kind=EventKind.ACTION_CONFIRMED, acting_user=acting_user, day=day
    )
    return locked


POSTED_CHANNELS = (StepChannel.LETTER, StepChannel.REGISTERED_LETTER)


def _tracking_numbers(actions: list[Action], typed: dict[int, str]) -> dict[int, str]:
    """The tracking number of each action, normalised; every error keyed by its field
    (`tracking_<id>`), naming the customer: a registered letter needs one."""
    numbers, errors = {}, {}
    for action in actions:
        number = normalize_tracking_number(typed.get(action.pk, ""))
        field = f"tracking_{action.pk}"
        words = {"customer": action.customer.name, "value": number}
        if number and not is_tracking_number(number):
            errors[field] = (
                _(
                    "Tracking number of the letter to %(customer)s: %(value)s is not one "
                    "(8 to 30 letters and digits)."
                )
                % words
            )
        elif not number and action.channel == StepChannel.REGISTERED_LETTER:
            errors[field] = (
                _("Tracking number of the letter to %(customer)s: a registered letter needs one.")
                % words
            )
        numbers[action.pk] = number
    if errors:
        raise ValidationError(errors)
    return numbers


@transaction.atomic
def actions_letters_done(
    *, actions, tracking_numbers: dict[int, str] | None = None, acting_user=None, day=None
) -> list[Action]:
    """Printed letters posted: every action of `actions` (a queryset scoped to the user)
    marked done at once on the entity's today (or `day`), each registered letter with its
    tracking number (`tracking_numbers`, by action id: typed or scanned) and the carrier of
    its entity's country. All or nothing: a closed action, one that is no letter, one being
    sent or a missing or malformed number writes nothing. Answers the actions done."""
    from relance.delivery.choices import OutboxStatus

    locked = list(
        Action.objects.select_for_update()
        .filter(pk__in=actions.values("pk"))
        .select_related("entity", "customer")
        .order_by("pk")
    )
    if not locked:
        raise ValidationError(_("Select at least one letter."))
    refused = [
        a for a in locked if a.status not in OPEN_STATUSES or a.channel not in POSTED_CHANNELS
    ]
    if refused:
        names = ", ".join(sorted({a.customer.name for a in refused}))
        raise ValidationError(
            _("Only open letters can be marked as posted; not these: %(names)s.") % {"names": names}
        )
    if Action.objects.filter(
        pk__in=[a.pk for a in locked], outbox__status=OutboxStatus.SENDING
    ).exists():
        raise ValidationError(
            _("A letter among them is being sent by a connector: reload the page in a moment.")
        )
    numbers = _tracking_numbers(locked, tracking_numbers or {})
    now, data = timezone.now(), {}
    for action in locked:
        action.status = ActionStatus.DONE
        action.finished_on = day or action.entity.today()
        action.error_message = ""
        action.updated_at = now
        if numbers[action.pk]:
            action.tracking_number = numbers[action.pk]
            action.carrier = carrier_for_country(action.entity.country).code
            data[action.pk] = {"tracking_number": action.tracking_number, "carrier": action.carrier}
    Action.objects.bulk_update(
        locked,
        ["status", "finished_on", "error_message", "tracking_number", "carrier", "updated_at"],
    )
    action_events_record(
        actions=locked, kind=EventKind.ACTION_DONE, acting_user=acting_user, day=day, data=data
    )
    webhook_events.actions_done(locked)
    return locked


@transaction.atomic
def action_reschedule(*, action: Action, acting_user=None, due_date: date, note="") -> Action:
    """An open action moved to `due_date` (today or later in the entity's calendar)."""
    action = _locked(action)
    _require_open(action, _("rescheduled"))
    if due_date is None:
        raise ValidationError({"due_date": _("Choose a date.")})
    if due_date < action.entity.today():
        raise ValidationError({"due_date": _("The new date cannot be in the past.")})
    action_event_record(
        action=action,
        kind=EventKind.ACTION_RESCHEDULED,
        acting_user=acting_user,
        **{"from": action.due_date.isoformat(), "to": due_date.isoformat()},
        **_noted(note),
    )
    action.due_date = due_date
    action.planned_by = PlannedBy.USER
    if note:
        action.note = f"{action.note}\n{note}".strip()
    return _save(action, "due_date", "planned_by", "note")


def user_sees_entity(user, entity) -> bool:
    if not user.is_active:
        return False
    return user.sees_all_entities or user.entities.filter(pk=entity.pk).exists()


@transaction.atomic
def action_reassign(*, action: Action, acting_user=None, responsible) -> Action:
    """An open action given to `responsible`, who must see the action's entity."""
    action = _locked(action)
    _require_open(action, _("reassigned"))
    if responsible is None or not user_sees_entity(responsible, action.entity):
        raise ValidationError(
            {"responsible": _("This user does not see the entity of this action.")}
        )
    action_event_record(
        action=action,
        kind=EventKind.ACTION_REASSIGNED,
        acting_user=acting_user,
        **{"from": user_name(action.responsible), "to": user_name(responsible)},
        to_id=responsible.pk,
    )
    action.responsible = responsible
    return _save(action, "responsible")


def _outcome_note(outcome: str, *, promise_date=None, dispute_reason="", note="") -> str:
    label = CallOutcome(outcome).label
    if outcome == CallOutcome.PROMISE:
        label = f"{label} ({date_format(promise_date)})"
    elif outcome == CallOutcome.DISPUTE:
        label = f"{label}: {dispute_reason}"
    return f"{label}. {note}".strip() if note else str(label)


@transaction.atomic
def action_call_outcome(
    *,
    action: Action,
    acting_user=None,
    outcome: str,
    promise_date: date | None = None,
    dispute_reason: str = "",
    note: str = "",
    day: date | None = None,
) -> Action:
    """A call's result recorded: a promise sets the reference invoice's promised date (the
    planner then leaves it alone until promise + grace), a dispute marks it disputed on the
    entity's today (or `day`); either way the call is done that day, its outcome in the note."""
    action = _locked(action)
    _require_open(action, _("done"))
    if outcome not in CallOutcome.values:
        raise ValidationError({"outcome": _("Choose the outcome of the call.")})
    today = day or action.entity.today()
    reference = Item.objects.select_for_update().get(pk=action.reference_id)
    if outcome == CallOutcome.PROMISE:
        if promise_date is None:
            raise ValidationError({"promise_date": _("A promise needs a date.")})
        if promise_date < today:
            raise ValidationError({"promise_date": _("The promised date cannot be in the past.")})
        reference.promise_date = promise_date
        reference.save(update_fields=["promise_date", "updated_at"])
    elif outcome == CallOutcome.DISPUTE:
        dispute_reason = dispute_reason.strip()
        if not dispute_reason:
            raise ValidationError({"dispute_reason": _("A dispute needs a reason.")})
        reference.disputed = True
        reference.dispute_reason = dispute_reason[:200]
        reference.dispute_date = today
        reference.save(update_fields=["disputed", "dispute_reason", "dispute_date", "updated_at"])
    text = _outcome_note(
        outcome, promise_date=promise_date, dispute_reason=dispute_reason, note=note.strip()
    )
    action = _finish_done(action, day=today, note=text)
    details = {"outcome": outcome, "reference": reference.number, **_noted(note)}
    if outcome == CallOutcome.PROMISE:
        details["promise_date"] = promise_date.isoformat()
    elif outcome == CallOutcome.DISPUTE:
        details["dispute_reason"] = reference.dispute_reason
    action_event_record(
        action=action, kind=EventKind.CALL_OUTCOME, acting_user=acting_user, day=today, **details
    )
    webhook_events.actions_done([action])
    if outcome == CallOutcome.PROMISE:
        webhook_events.promise_recorded(
            customer=action.customer, items=[reference], promise_date=promise_date, source="call"
        )
    elif outcome == CallOutcome.DISPUTE:
        webhook_events.dispute_opened(
            customer=action.customer,
            items=[reference],
            reason=reference.dispute_reason,
            source="call",
        )
    return action


# Customers' responses ----------------------------------------------------------------------
# What the collector does with what a customer said or did on their page (M2.3). Each service
# takes the response already scoped to the user (selectors.response_for_user) and marks it
# handled by `acting_user` in the same transaction as its change.

UNDOABLE_KINDS = frozenset(
    {ResponseKind.DISPUTE, ResponseKind.PROMISE, ResponseKind.PAYMENT_ANNOUNCED}
)


def _locked_response(response: CustomerResponse) -> CustomerResponse:
    return (
        CustomerResponse.objects.select_for_update()
        .select_related("entity", "customer__entity")
        .get(pk=response.pk)
    )


def _handled(response: CustomerResponse, acting_user, outcome: str = "") -> CustomerResponse:
    """Mark `response` handled now by `acting_user` (the first handling is kept). Every way
    a response gets handled comes here: a reply that held the automatic messages releases
    them (and says so on the timeline, once no other reply holds them)."""
    fields = []
    if response.handled_at is None:
        pausing = _pausing(response)
        response.handled_at = timezone.now()
        response.handled_by = acting_user
        fields += ["handled_at", "handled_by"]
        if pausing:
            _resumed_event_record(response, acting_user)
    if outcome:
        response.details = {**(response.details or {}), OUTCOME_KEY: outcome}
        fields.append("details")
    if fields:
        response.save(update_fields=fields)
    return response


def _pausing(response: CustomerResponse) -> bool:
    """Whether `response` holds its customer's automatic messages today."""
    entity = response.entity
    return (
        response.handled_at is None
        and response.channel == ResponseChannel.EMAIL
        and response.kind == ResponseKind.REPLY
        and entity.pause_on_reply
        and entity.today() < reply_pause_until(entity, response.received_at)
    )


def _resumed_event_record(response: CustomerResponse, acting_user) -> None:
    entity = response.entity
    others = pausing_responses(entity, entity.today()).filter(customer_id=response.customer_id)
    if others.exclude(pk=response.pk).exists():
        return
    CustomerEvent.objects.create(
        entity_id=entity.pk,
        customer_id=response.customer_id,
        day=entity.today(),
        kind=EventKind.REPLY_RESUMED,
        user=acting_user,
        action_id=response.action_id,
        data={"response": response.pk, **({"by": user_name(acting_user)} if acting_user else {})},
    )


@transaction.atomic(savepoint=False)  # within a fetch's savepoint per email: no second one
def response_email_record(
    *,
    entity,
    customer,
    action=None,
    author: str,
    body: str,
    received_at,
    auto_reply: str = "",
) -> CustomerResponse:
    """A customer's email answer to `action`'s message (or to none), as the inbound app
    captured it. A human reply (`auto_reply` empty) waits for a collector and, when the
    entity pauses on a reply, holds the customer's automatic messages until a collector
    handles it, at the latest `reply_pause_max_days` after it came (docs/engine.md); the
    timeline says so. An automatic reply (`auto_reply`: why it is one, e.g.
    "Auto-Submitted: auto-replied") is kept handled at once, by nobody, and holds nothing."""
    if customer.entity_id != entity.pk:
        raise ValidationError({"customer": _("This customer belongs to another entity.")})
    if action is not None and action.customer_id != customer.pk:
        raise ValidationError({"action": _("This action is another customer's.")})
    auto_reply = (auto_reply or "").strip()
    response = CustomerResponse.objects.create(
        entity=entity,
        customer=customer,
        action=action,
        received_at=received_at,
        channel=ResponseChannel.EMAIL,
        author=(author or "")[:200],
        body=body or "",
        kind=ResponseKind.AUTO_REPLY if auto_reply else ResponseKind.REPLY,
        details={"auto_reply": auto_reply[:200]} if auto_reply else {},
        handled_at=timezone.now() if auto_reply else None,
    )
    response.entity = entity
    if _pausing(response):
        until = reply_pause_until(entity, received_at)
        CustomerEvent.objects.create(
            entity_id=entity.pk,
            customer_id=customer.pk,
            day=entity.today(),
            kind=EventKind.REPLY_PAUSED,
            action_id=action.pk if action is not None else None,
            data={"response": response.pk, "author": response.author, "until": until.isoformat()},
        )
    if not auto_reply:
        webhook_events.response_received(response)
    return response


@transaction.atomic
def response_handle(*, response: CustomerResponse, acting_user=None) -> CustomerResponse:
    """The response read and dealt with: it leaves the unread counter."""
    return _handled(_locked_response(response), acting_user)


@transaction.atomic
def response_comment_create(*, customer, body: str, acting_user=None) -> CustomerResponse:
    """A user's internal note about `customer`, listed with the responses. Channel TASK (an
    internal task, never a message to the customer); handled at once by its author, since
    nobody needs to be told of what they wrote themselves."""
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a comment.")})
    now = timezone.now()
    return CustomerResponse.objects.create(
        entity_id=customer.entity_id,
        customer=customer,
        received_at=now,
        channel=ResponseChannel.TASK,
        author=user_name(acting_user),
        body=body,
        kind=ResponseKind.COMMENT,
        handled_at=now,
        handled_by=acting_user,
    )


@transaction.atomic
def response_undo(*, response: CustomerResponse, acting_user=None) -> CustomerResponse:
    """A dispute, promise or announced payment of the customer's page taken back: its items
    (the customer's own) are no longer disputed, or no longer promised; the dunning resumes
    at the next run."""
    response = _locked_response(response)
    if response.kind not in UNDOABLE_KINDS:
        raise ValidationError(_("Only a dispute, a promise or an announced payment is undone."))
    items = Item.objects.select_for_update().filter(
        pk__in=response.items.values("pk"), customer_id=response.customer_id
    )
    now = timezone.now()
    if response.kind == ResponseKind.DISPUTE:
        items.update(disputed=False, dispute_reason="", dispute_date=None, updated_at=now)
    else:
        items.update(promise_date=None, payment_announced_on=None, updated_at=now)
    return _handled(response, acting_user, OUTCOME_UNDONE)


def _split_name(name: str) -> tuple[str, str]:
    first, _sep, last = " ".join((name or "").split()).partition(" ")
    return (first, last) if last else ("", first)


def _proposed_contact(response: CustomerResponse) -> dict:
    """The proposed name, email and phone, checked as the contact form checks them."""
    proposed = (response.details or {}).get("contact") or {}
    if not isinstance(proposed, dict):
        proposed = {}
    email = str(proposed.get("email") or "").strip()
    phone = str(proposed.get("phone") or "").strip()
    errors = []
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(_("%(value)s is not a valid email address.") % {"value": email})
    number = e164(phone, response.customer.country) if phone else ""
    if number is None:
        errors.append(_("%(value)s is not a valid phone number.") % {"value": phone})
    if errors:
        raise ValidationError(errors)
    first, last = _split_name(str(proposed.get("name") or ""))
    values = {"first_name": first[:100], "last_name": last[:100], "email": email, "phone": number}
    values = {name: value for name, value in values.items() if value}
    if not values:
        raise ValidationError(_("The customer proposed no contact details."))
    return values


@transaction.atomic
def response_contact_accept(*, response: CustomerResponse, acting_user=None) -> CustomerResponse:
    """New contact details accepted: written on the customer's main contact (its first
    collection contact, else its first contact), or a new collection contact when it has
    none; the change goes to the customer's timeline as a contact change. A proposed postal
    address is free text: shown with the response, copied by hand where it belongs."""
    response = _locked_response(response)
    if response.kind != ResponseKind.CONTACT_CHANGE:
        raise ValidationError(_("This response proposes no contact details."))
    values = _proposed_contact(response)
    contacts = Contact.objects.select_for_update().filter(customer_id=response.customer_id)
    contact = contacts.order_by("-is_collection", "id").first()
    if contact is None:
        contact = Contact.objects.create(customer=response.customer, is_collection=True, **values)
        changed, created = [], True
    else:
        changed = [name for name, value in values.items() if getattr(contact, name) != value]
        for name in changed:
            setattr(contact, name, values[name])
        marks = []
        if "email" in changed and contact.email_invalid_at is not None:
            # A new address: nothing bounced from it yet (delivery/bounces.py).
            contact.email_invalid_reason, contact.email_invalid_at = "", None
            marks = ["email_invalid_reason", "email_invalid_at"]
        if changed:
            contact.save(update_fields=[*changed, *marks, "updated_at"])
        created = False
    contact.customer = response.customer
    contact_event_record(contact=contact, created=created, fields=changed, acting_user=acting_user)
    return _handled(response, acting_user, OUTCOME_ACCEPTED)


@transaction.atomic
def response_contact_reject(*, response: CustomerResponse, acting_user=None) -> CustomerResponse:
    """New contact details refused: nothing changes but the response, handled."""
    response = _locked_response(response)
    if response.kind != ResponseKind.CONTACT_CHANGE:
        raise ValidationError(_("This response proposes no contact details."))
    return _handled(response, acting_user, OUTCOME_REJECTED)


def response_answer(*, response: CustomerResponse, template, acting_user=None) -> CustomerResponse:
    """Answer the customer by email with `template` (rendered for them, signed by the user)
    through the mail connection every message takes, to their collection contacts with
    the entity's reply-to. What left is kept in the customer's timeline (an event "message
    sent by a user" with its subject and text: the outbox holds messages of actions only)
    and the response is handled. Not atomic: a message that left is recorded even if the
    page is reloaded; a failure raises ValidationError with the mail server's reason."""
    # delivery sits above agenda: imported on use, as the engine does.
    from django.core.mail import EmailMultiAlternatives, get_connection

    from relance.delivery.email import message_id, smtp_error
    from relance.templating.render import RenderError, render

    response = CustomerResponse.objects.select_related("entity", "customer__entity").get(
        pk=response.pk
    )
    customer = response.customer
    if template is None or template.channel != Channel.EMAIL:
        raise ValidationError({"template": _("Choose an email template.")})
    to = collection_emails(customer)
    try:
        rendered = render(
            template, customer, user=acting_user, today=response.entity.today(), pdf=False
        )
    except RenderError as exc:
        raise ValidationError(str(exc)) from exc
    entity = response.entity
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        reply_to=[entity.email] if entity.email else None,
        headers={"Message-ID": message_id(f"response-{response.pk}-{uuid.uuid4().hex[:12]}")},
    )
    if rendered.html:
        message.attach_alternative(rendered.html, "text/html")
    try:
        with get_connection() as connection:
            connection.send_messages([message])
    except Exception as exc:  # every SMTP or provider failure is told to the user
        raise ValidationError(
            _("The message was not sent: %(reason)s") % {"reason": smtp_error(exc)}
        ) from exc
    with transaction.atomic():
        _answer_event_record(response, acting_user, message)
        return _handled(_locked_response(response), acting_user, OUTCOME_ANSWERED)


def _answer_event_record(response, acting_user, message) -> CustomerEvent:
    return CustomerEvent.objects.create(
        entity_id=response.entity_id,
        customer_id=response.customer_id,
        day=response.entity.today(),
        kind=EventKind.MESSAGE_SENT_BY_USER,
        user=acting_user,
        action_id=response.action_id,
        data={
            "channel": StepChannel.EMAIL.value,
            "subject": message.subject[:255],
            "to": ", ".join(message.to),
            "body": message.body,
            "response": response.pk,
            "by": user_name(acting_user),
        },
    )
