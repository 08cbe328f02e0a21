"""SMS, letters and electronic registered letters through the entity's connector, with the
outbox protocol of email (delivery/services.py): the row is committed `sending` before the
provider is called, and the provider sees an idempotency key so that nothing is sent twice.

A failure whose outcome is unknown (a timeout, a 5xx) is marked `uncertain`: the next
attempt carries that attempt's idempotency key again, so that a provider who had taken the
first call answers with that message instead of sending a second one."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_noop

from relance.agenda.choices import ActionStatus
from relance.agenda.models import Action
from relance.customers.phones import e164
from relance.delivery import protocol
from relance.delivery.adapters import Message, ProviderError, adapter_for
from relance.delivery.choices import ConnectorChannel, OutboxStatus
from relance.delivery.email import (
    INVALID_EMAIL,
    NO_COLLECTION_CONTACT,
    NO_EMAIL,
    NO_TEMPLATE,
)
from relance.delivery.models import Connector, Outbox
from relance.delivery.proofs import proofs_store
from relance.delivery.protocol import (
    NO_CONNECTOR,
    NOT_AUTOMATIC,
    current_status,
    mark_errors,
    outbox_begin,
)
from relance.scenarios.choices import StepChannel
from relance.templating.choices import Channel
from relance.templating.render import NO_BREAK_SPACES, RenderError, render_context
from relance.templating.selectors import build_contexts, contacts_of_customers
from relance.webhooks import events as webhook_events

CONNECTOR_CHANNEL = {
    StepChannel.SMS: ConnectorChannel.SMS,
    StepChannel.LETTER: ConnectorChannel.LETTER,
    StepChannel.REGISTERED_LETTER: ConnectorChannel.LETTER,
    StepChannel.E_REGISTERED_LETTER: ConnectorChannel.E_REGISTERED_LETTER,
}
NO_MOBILE = gettext_noop("The contact has no mobile number")
INVALID_MOBILE = gettext_noop("Invalid mobile number")
NO_ADDRESS = gettext_noop("The contact has no postal address")
UNDELIVERED = gettext_noop("The provider could not deliver it: {reason}")


@dataclass
class Prepared:
    action: Action
    message: Message | None = None
    error: str = ""
    context: object | None = None  # what it was rendered from (a user's edit gets its links)


def active_connectors(entity_ids) -> dict[tuple[int, str], Connector]:
    rows = Connector.objects.filter(entity_id__in=set(entity_ids), is_active=True)
    return {(c.entity_id, c.channel): c for c in rows}


def connector_for(action, connectors) -> Connector | None:
    channel = CONNECTOR_CHANNEL.get(action.channel)
    return connectors.get((action.customer.entity_id, channel)) if channel else None


def sms_recipient(contacts, region: str) -> tuple[str, str]:
    """(E.164 mobile, error) of the first collection contact with a mobile."""
    collection = [c for c in contacts if c.is_collection]
    if not collection:
        return "", NO_COLLECTION_CONTACT
    mobiles = [(c.mobile, c.country or region) for c in collection if c.mobile.strip()]
    if not mobiles:
        return "", NO_MOBILE
    number = e164(*mobiles[0])
    return (number, "") if number else ("", INVALID_MOBILE)


def postal_address(contacts, customer) -> tuple[dict, str]:
    collection = [c for c in contacts if c.is_collection]
    if not collection:
        return {}, NO_COLLECTION_CONTACT
    contact = next((c for c in collection if c.address_line1), None)
    source = contact or customer
    if not (source.address_line1 and source.city):
        return {}, NO_ADDRESS
    name = customer.name
    if contact and contact.full_name:
        name = f"{contact.full_name}, {customer.name}"
    address = {
        "name": name,
        "line1": source.address_line1,
        "line2": getattr(source, "address_line2", ""),
        "postal_code": source.postal_code,
        "city": source.city,
        "country": source.country or customer.country,
    }
    return address, ""


def _recipient(action, contacts) -> tuple[object, str]:
    customer = action.customer
    if action.channel == StepChannel.SMS:
        return sms_recipient(contacts, customer.country or customer.entity.country)
    if action.channel == StepChannel.E_REGISTERED_LETTER:
        collection = [c for c in contacts if c.is_collection]
        if not collection:
            return "", NO_COLLECTION_CONTACT
        with_email = [c for c in collection if c.email]
        if not with_email:
            return "", NO_EMAIL
        valid = [c.email for c in with_email if c.email_invalid_at is None]  # none bounced
        if not valid:
            return "", INVALID_EMAIL.format(reason=with_email[0].email_invalid_reason)
        return valid[0], ""
    return postal_address(contacts, customer)


SMS_FROM_EMAIL = 306  # characters: two GSM-7 segments


def _fallback_content(rendered, is_sms: bool) -> str:
    """What replaces a bounced email (delivery/bounces.py), from the email step's template:
    as a letter, the email laid out as one (its PDF set on `rendered`); as an SMS, its
    subject and first paragraph, two segments at most, not a whole email by SMS."""
    if not is_sms:
        from relance.templating.letters import letters_pdf

        rendered.pdf = letters_pdf([rendered])
        return rendered.text
    paragraphs = [p.strip() for p in rendered.text.split("\n\n") if p.strip()]
    subject, body = rendered.subject.strip(), " ".join(paragraphs[:2])
    text = f"{subject}: {body}" if subject and body else subject or body
    text = " ".join(text.split()).translate(NO_BREAK_SPACES)
    return text if len(text) <= SMS_FROM_EMAIL else text[: SMS_FROM_EMAIL - 3].rstrip() + "..."


def prepare(actions: list[Action], day: date, connectors, to: dict | None = None) -> list[Prepared]:
    """Each action's message (key filled in later), or why there is none; `to` (action id ->
    recipient) replaces the recipient of some (a user chose an e-registered letter's)."""
    contacts = contacts_of_customers([a.customer_id for a in actions])
    contexts = build_contexts(
        [a.customer for a in actions],
        day,
        actions={a.customer_id: a for a in actions},
        issue_links=True,
        contacts=contacts,
    )
    prepared = []
    for action in actions:
        step = action.step
        if step is None or step.template_id is None:
            prepared.append(Prepared(action, error=NO_TEMPLATE))
            continue
        if to and action.pk in to:
            recipient, error = to[action.pk], ""
        else:
            ordered = sorted(contacts[action.customer_id], key=lambda contact: contact.pk)
            recipient, error = _recipient(action, ordered)
        if error:
            prepared.append(Prepared(action, error=error))
            continue
        is_sms = action.channel == StepChannel.SMS
        try:
            rendered = render_context(step.template, contexts[action.customer_id], pdf=not is_sms)
        except RenderError as exc:
            prepared.append(Prepared(action, error=str(exc)))
            continue
        text = rendered.text
        if step.template.channel == Channel.EMAIL:  # the fallback of a bounced email
            text = _fallback_content(rendered, is_sms)
        connector = connector_for(action, connectors)
        message = Message(
            key="",
            channel=action.channel,
            to=recipient,
            text=text,
            subject=rendered.subject,
            pdf=None if is_sms else rendered.pdf,
            registered=action.channel == StepChannel.REGISTERED_LETTER,
            sender=(connector.settings or {}).get("sender", ""),
            callback_url=callback_url(connector),
        )
        prepared.append(Prepared(action, message, context=contexts[action.customer_id]))
    return prepared


def callback_url(connector: Connector) -> str:
    """Where the provider reports statuses, when the connector knows the site's address
    (settings `callback_base_url`, e.g. https://relance.example.com)."""
    from django.urls import reverse

    base = (connector.settings or {}).get("callback_base_url", "").rstrip("/")
    if not base:
        return ""
    path = reverse("delivery:callback", args=[connector.pk, connector.callback_token])
    return f"{base}{path}"


def idempotency_key(action_id: int, key: str) -> str:
    """This attempt's key, or the last attempt's when its outcome is unknown."""
    last = (
        Outbox.objects.filter(action_id=action_id)
        .order_by("-attempt")
        .values("status", "uncertain", "idempotency_key", "key")
        .first()
    )
    if last and last["status"] == OutboxStatus.FAILED and last["uncertain"]:
        return last["idempotency_key"] or last["key"]
    return key


def send_one(
    prepared: Prepared, connector: Connector, key: str, attempt: int, day: date, on_sent=None
) -> str:
    """The outbox protocol for one message; answers the action's new status. `on_sent(outbox)`
    runs in the transaction that records it sent."""
    action, message = prepared.action, prepared.message
    message.key = idempotency_key(action.pk, key)
    outbox = outbox_begin(
        action,
        attempt=attempt,
        key=key,
        idempotency_key=message.key,
        channel=action.channel,
        day=day,
        connector=connector,
        recipients=str(message.to if isinstance(message.to, str) else message.to.get("name")),
        subject=(message.subject or "")[:255],
        body=message.text or "",
    )  # committed before the provider hears of it
    if outbox is None:
        return current_status(action)
    try:
        result = adapter_for(connector).send(message)
    except ProviderError as exc:
        with transaction.atomic():
            Outbox.objects.filter(pk=outbox.pk).update(
                status=OutboxStatus.FAILED, error=str(exc), uncertain=exc.uncertain
            )
            mark_errors([(action, str(exc))])
        return ActionStatus.ERROR
    protocol.handed_over(outbox)
    with transaction.atomic():
        Outbox.objects.filter(pk=outbox.pk).update(
            status=OutboxStatus.SENT,
            provider_id=result.provider_id[:255],
            provider_status=(result.status or "")[:30],
            proof=proofs_store(outbox, result.proof, result.status),
        )
        Action.objects.filter(pk=action.pk).update(
            status=ActionStatus.SENT, finished_on=day, error_message="", updated_at=timezone.now()
        )
        webhook_events.actions_sent([action], outbox_by_action={action.pk: outbox.pk})
        if on_sent is not None:
            on_sent(outbox)
    return ActionStatus.SENT


def send_through_connectors(
    actions: list[Action],
    day: date,
    texts: dict[int, str] | None = None,
    on_sent=None,
    to: dict | None = None,
) -> dict[int, str]:
    """Send these SMS/letter actions through their entity's active connector; `texts`
    (action id -> text) replaces the rendered text of some (a user's edited SMS), `to`
    (action id -> recipient) their recipient; `on_sent(outbox)` runs as each is recorded
    sent."""
    connectors = active_connectors(a.customer.entity_id for a in actions)
    missing = [a for a in actions if connector_for(a, connectors) is None]
    failures = [(a, NO_CONNECTOR.get(a.channel, NOT_AUTOMATIC)) for a in missing]
    ready = [a for a in actions if connector_for(a, connectors) is not None]
    prepared = prepare(ready, day, connectors, to) if ready else []
    failures += [(p.action, p.error) for p in prepared if p.error]
    if failures:
        mark_errors(failures)
    outcomes = {action.pk: ActionStatus.ERROR for action, _e in failures}
    last = dict(
        Outbox.objects.filter(action_id__in=[a.pk for a in ready])
        .values_list("action_id")
        .annotate(last=Max("attempt"))
        .order_by()
    )
    for p in prepared:
        if p.error:
            continue
        pk = p.action.pk
        if texts and pk in texts:
            p.message.text = p.context.with_real_links(texts[pk])
        attempt = last.get(pk, 0) + 1
        key = f"action-{pk}-{attempt}"
        connector = connector_for(p.action, connectors)
        outcomes[pk] = send_one(p, connector, key, attempt, day, on_sent)
    return outcomes


def outbox_status_update(
    *, connector: Connector, provider_id: str, status: str, reason: str = "", proof=None
) -> Outbox | None:
    """A provider's news about a message (a status callback or a poll): the outbox row
    keeps the status and proof; a message that could not be delivered puts its action back
    in `error` with the reason, so that a collector sees it."""
    from relance.delivery.choices import PROVIDER_FAILURES

    status = (status or "").strip().lower()
    with transaction.atomic():
        outbox = (
            Outbox.objects.select_for_update()
            .filter(connector=connector, provider_id=provider_id)
            .exclude(provider_id="")
            .first()
        )
        if outbox is None:
            return None
        outbox.provider_status = status[:30]
        if proof:
            outbox.proof = {**(outbox.proof or {}), **proofs_store(outbox, proof, status)}
        fields = ["provider_status", "proof", "updated_at"]
        # Only the action's latest attempt speaks for it: late news about an attempt that
        # was already superseded by a retry changes that attempt's row only.
        latest = not Outbox.objects.filter(
            action_id=outbox.action_id, attempt__gt=outbox.attempt
        ).exists()
        if status in PROVIDER_FAILURES:
            outbox.error = UNDELIVERED.format(reason=reason or status)
            fields.append("error")
        if status in PROVIDER_FAILURES and latest:
            _undelivered(outbox.action_id, outbox.error)
        outbox.save(update_fields=fields)
    return outbox


def _undelivered(action_id: int, error: str) -> None:
    """A sent action whose message did not arrive: back to `error` (open again, in the
    automatic tab) unless the cycle already moved on to another open action of the customer,
    the one open action per customer being the engine's first promise; then it stays sent,
    its error shown in the history."""
    action = Action.objects.select_for_update().filter(pk=action_id, status=ActionStatus.SENT)
    action = action.first()
    if action is None:
        return
    moved_on = Action.objects.filter(customer_id=action.customer_id, finished_on__isnull=True)
    reopen = {} if moved_on.exists() else {"status": ActionStatus.ERROR, "finished_on": None}
    Action.objects.filter(pk=action.pk).update(
        error_message=error, updated_at=timezone.now(), **reopen
    )


# Statuses after which a provider has nothing more to say about a message.
FINAL_STATUSES = frozenset({"delivered", "signed", "failed", "undelivered", "returned", "refused"})


def outbox_poll(*, limit: int = 500) -> int:
    """Ask the providers about messages handed over and not yet final (for providers that
    cannot call back); answers how many changed. A provider that does not answer is asked
    again next time."""
    rows = (
        Outbox.objects.filter(status=OutboxStatus.SENT, connector__is_active=True)
        .exclude(provider_id="")
        .exclude(provider_status__in=FINAL_STATUSES)
        .exclude(connector__kind="console")
        .select_related("connector")
        .order_by("id")[:limit]
    )
    changed = 0
    for row in rows:
        adapter = adapter_for(row.connector)
        try:
            if hasattr(adapter, "receipt"):
                receipt = adapter.receipt(row.provider_id)
            else:
                receipt = {"status": adapter.status(row.provider_id)}
        except ProviderError:
            continue
        news = receipt.get("status") and receipt["status"] != row.provider_status
        if news or (receipt.get("proof") and receipt["proof"] != row.proof):
            outbox_status_update(
                connector=row.connector,
                provider_id=row.provider_id,
                status=receipt.get("status") or row.provider_status,
                reason=receipt.get("reason", ""),
                proof=receipt.get("proof"),
            )
            changed += 1
    return changed
