"""The assistant's writes: a proposal read from a response (once), and what the collector
decides about it. Accepting or correcting records on the items exactly what a collector
would type (a promise, a dispute, an announced payment), marks the response handled and
writes the customer's timeline, all in one transaction."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from relance.activity.choices import EventKind
from relance.activity.models import CustomerEvent
from relance.agenda.models import CustomerResponse
from relance.agenda.services import response_handle
from relance.assistant.choices import DisputeReason, Document, Intent, ProposalStatus
from relance.assistant.models import Proposal
from relance.ledger.models import Item
from relance.webhooks import events as webhook_events

# The intents that change items, and so need at least one.
ITEM_INTENTS = frozenset({Intent.PROMISE, Intent.DISPUTE, Intent.PAYMENT_MADE})


def training_corrections() -> list[dict]:
    """The collectors' corrections as training examples (one query)."""
    rows = Proposal.objects.filter(status=ProposalStatus.CORRECTED).values_list(
        "response__body", "final_intent", "final", "response__received_at", "language"
    )
    return [
        {
            "text": body,
            "reference_date": timezone.localtime(received).date().isoformat(),
            "language": language or "fr",
            "intent": intent,
            "dispute_reason": (final or {}).get("dispute_reason", ""),
            "document": (final or {}).get("document", ""),
        }
        for body, intent, final, received, language in rows
    ]


def _open_items(customer_id: int):
    return Item.objects.filter(customer_id=customer_id, open_amount__gt=0)


def _proposed_items(response: CustomerResponse, reading, numbers: dict) -> list[int]:
    """The open items the message names; else those the response carries (the customer's
    page); else the invoice of the reminder it answers."""
    if reading.invoices:
        return [numbers[number] for number in reading.invoices]
    carried = list(response.items.filter(open_amount__gt=0).values_list("pk", flat=True))
    if carried:
        return carried
    if response.action_id and response.action.reference_id:
        reference = response.action.reference
        if reference.customer_id == response.customer_id and reference.open_amount > 0:
            return [reference.pk]
    return []


def proposal_create(*, response: CustomerResponse) -> Proposal:
    """The assistant's reading of `response`, made once: called by the email capture right
    after it stores a reply, and lazily by the response's page for any other response."""
    existing = Proposal.objects.filter(response=response).first()
    if existing is not None:
        return existing
    from relance.assistant.model import load
    from relance.assistant.reader import read

    customer = response.customer
    entity = response.entity
    numbers = dict(_open_items(customer.pk).values_list("number", "pk"))
    reading = read(
        load(),
        response.body,
        today=timezone.localtime(response.received_at).date()
        if response.received_at
        else entity.today(),
        language=customer.language or entity.language,
        numbers=numbers,
    )
    try:
        with transaction.atomic():
            proposal = Proposal.objects.create(
                response=response,
                intent=reading.intent,
                dispute_reason=reading.dispute_reason,
                document=reading.document,
                promised_on=reading.promised_on,
                paid_on=reading.paid_on,
                stated_on=reading.date,
                amounts=[str(amount) for amount in reading.amounts],
                invoice_numbers=[*reading.invoices, *reading.other_references],
                summary=reading.summary[:200],
                language=reading.language,
                confidence=Decimal(str(reading.confidence)).quantize(Decimal("0.001")),
                model_version=load().version,
            )
            proposal.items.set(_proposed_items(response, reading, numbers))
    except IntegrityError:  # made meanwhile by another request: that one stands
        return Proposal.objects.get(response=response)
    return proposal


def _locked(proposal: Proposal) -> Proposal:
    proposal = (
        Proposal.objects.select_for_update()
        .select_related("response__customer__entity", "response__entity")
        .get(pk=proposal.pk)
    )
    if proposal.decided:
        raise ValidationError(_("This proposal has already been decided."))
    return proposal


def _items_for(proposal: Proposal, item_ids) -> list[Item]:
    wanted = {int(pk) for pk in item_ids}
    items = list(
        Item.objects.select_for_update()
        .filter(customer_id=proposal.response.customer_id, open_amount__gt=0, pk__in=wanted)
        .order_by("due_date", "number")
    )
    if len(items) != len(wanted):
        raise ValidationError({"items": _("Choose among the customer's open items.")})
    return items


def _save(items: list[Item], fields: list[str]) -> None:
    for item in items:  # a handful at most; save() keeps updated_at right
        item.save(update_fields=[*fields, "updated_at"])


def _record(proposal: Proposal, *, intent, reason, day, items, acting_user) -> dict:
    """Write on `items` what a collector types for `intent`; the event's data back."""
    entity = proposal.response.customer.entity
    today = entity.today()
    if intent in ITEM_INTENTS and not items:
        raise ValidationError({"items": _("Choose the items this answer is about.")})
    data = {"intent": intent, "items": [item.number for item in items]}
    if intent == Intent.PROMISE:
        if day is None:
            raise ValidationError({"promised_on": _("A promise needs a date.")})
        if day < today:
            raise ValidationError({"promised_on": _("The promised date cannot be in the past.")})
        for item in items:
            item.promise_date = day
        _save(items, ["promise_date"])
        data["date"] = day.isoformat()
        webhook_events.promise_recorded(
            customer=proposal.response.customer, items=items, promise_date=day, source="assistant"
        )
    elif intent == Intent.DISPUTE:
        if reason not in DisputeReason.values:
            raise ValidationError({"dispute_reason": _("Choose the category of the dispute.")})
        with translation.override(entity.language):  # read by the entity's users
            label = str(DisputeReason(reason).label)
        summary = f"{label}: {proposal.summary}" if proposal.summary else label
        for item in items:
            item.disputed = True
            item.dispute_reason = summary[:200]
            item.dispute_date = today
        _save(items, ["disputed", "dispute_reason", "dispute_date"])
        data["reason"] = reason
        webhook_events.dispute_opened(
            customer=proposal.response.customer,
            items=items,
            reason=summary[:200],
            source="assistant",
        )
    elif intent == Intent.PAYMENT_MADE:
        day = day or today
        if day > today:
            raise ValidationError({"paid_on": _("The payment date cannot be in the future.")})
        for item in items:
            item.payment_announced_on = day
            item.promise_date = day
        _save(items, ["payment_announced_on", "promise_date"])
        data["date"] = day.isoformat()
    response = response_handle(response=proposal.response, acting_user=acting_user)
    if intent in ITEM_INTENTS:
        response.items.set(items)
    return data


def _decide(proposal: Proposal, status: str, acting_user, data: dict) -> Proposal:
    proposal.status = status
    proposal.decided_by = acting_user
    proposal.decided_at = timezone.now()
    proposal.save()
    customer = proposal.response.customer
    CustomerEvent.objects.create(
        entity_id=customer.entity_id,
        customer_id=customer.pk,
        day=customer.entity.today(),
        kind=EventKind.ASSISTANT_DECIDED,
        user=acting_user,
        action_id=proposal.response.action_id,
        data={**data, "status": status, "response": proposal.response_id},
    )
    return proposal


@transaction.atomic
def proposal_accept(*, proposal: Proposal, acting_user=None) -> Proposal:
    """The proposal taken as it is: its intent recorded on its items."""
    proposal = _locked(proposal)
    data = _record(
        proposal,
        intent=proposal.intent,
        reason=proposal.dispute_reason,
        day=proposal.promised_on if proposal.intent == Intent.PROMISE else proposal.paid_on,
        items=_items_for(proposal, proposal.items.values_list("pk", flat=True)),
        acting_user=acting_user,
    )
    return _decide(proposal, ProposalStatus.ACCEPTED, acting_user, data)


@transaction.atomic
def proposal_correct(
    *,
    proposal: Proposal,
    intent: str,
    dispute_reason: str = "",
    document: str = "",
    day: date | None = None,
    item_ids=(),
    acting_user=None,
) -> Proposal:
    """The collector's reading instead of the assistant's: stored (the next training learns
    from it), then recorded on the items as an acceptance would."""
    proposal = _locked(proposal)
    if intent not in Intent.values:
        raise ValidationError({"intent": _("Choose what the customer means.")})
    if document and document not in Document.values:
        raise ValidationError({"document": _("Choose the document asked for.")})
    items = _items_for(proposal, item_ids)
    data = _record(
        proposal,
        intent=intent,
        reason=dispute_reason if intent == Intent.DISPUTE else "",
        day=day,
        items=items,
        acting_user=acting_user,
    )
    proposal.final_intent = intent
    proposal.final = {
        "intent": intent,
        "dispute_reason": dispute_reason if intent == Intent.DISPUTE else "",
        "document": document if intent == Intent.COPY_REQUEST else "",
        "date": day.isoformat() if day else None,
        "items": [item.number for item in items],
    }
    return _decide(proposal, ProposalStatus.CORRECTED, acting_user, data)


@transaction.atomic
def proposal_dismiss(*, proposal: Proposal, acting_user=None) -> Proposal:
    """The proposal put aside: nothing recorded, the response left as it is."""
    proposal = _locked(proposal)
    return _decide(proposal, ProposalStatus.DISMISSED, acting_user, {"intent": proposal.intent})
