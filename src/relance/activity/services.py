"""Writes of the audit trail. Each is called by the service that makes the change, inside its
transaction, so that a change and its event are committed or rolled back together."""

import zoneinfo
from datetime import date

from django.utils import timezone

from relance.activity.choices import EventKind
from relance.activity.models import CustomerEvent

# The columns of an import's events, in the order of `import_event_rows`' tuples.
IMPORT_EVENT_FIELDS = ["entity_id", "customer_id", "at", "day", "kind", "user_id", "data"]


def user_name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def _by(user) -> dict:
    """The user's name, kept in the event so that it outlives the user."""
    return {"by": user_name(user)} if user is not None else {}


def _action_event(action, kind: str, acting_user, day, at, data: dict) -> CustomerEvent:
    return CustomerEvent(
        entity_id=action.entity_id,
        customer_id=action.customer_id,
        at=at,
        day=day,
        kind=kind,
        user=acting_user,
        action_id=action.pk,
        data={"step": action.step_name, "channel": action.channel, **_by(acting_user), **data},
    )


def _when(entity, day) -> tuple:
    """(day, at) of an event: now, or a past `day` of the entity's calendar (the demo
    replays the last weeks) at the time of day it is now in the entity's zone."""
    now = timezone.now()
    today = entity.today()
    if day is None or day == today:
        return today, now
    local = now.astimezone(zoneinfo.ZoneInfo(entity.time_zone))
    return day, local.replace(year=day.year, month=day.month, day=day.day)


def action_event_record(*, action, kind: str, acting_user=None, day=None, **data) -> CustomerEvent:
    """One event about `action` (its step and channel kept), by `acting_user`, on the
    entity's today (or `day`, when the work is recorded for a past day)."""
    day, at = _when(action.entity, day)
    event = _action_event(action, kind, acting_user, day, at, data)
    event.save(force_insert=True)
    return event


def action_events_record(
    *, actions, kind: str, acting_user=None, day=None, data: dict[int, dict] | None = None
) -> list[CustomerEvent]:
    """The same event about many actions, in one insert (one query for their entities);
    `data`: what each event adds, by action id."""
    from relance.core.models import Entity

    if not actions:
        return []
    entities = Entity.objects.in_bulk({action.entity_id for action in actions})
    when = {pk: _when(entity, day) for pk, entity in entities.items()}
    events = [
        _action_event(
            action, kind, acting_user, *when[action.entity_id], (data or {}).get(action.pk, {})
        )
        for action in actions
    ]
    return CustomerEvent.objects.bulk_create(events, batch_size=2000)


def message_sent_event_record(*, action, acting_user=None, outbox) -> CustomerEvent:
    """A message a user wrote or edited and sent from its action's page."""
    return action_event_record(
        action=action,
        kind=EventKind.MESSAGE_SENT_BY_USER,
        acting_user=acting_user,
        outbox=outbox.pk,
        subject=outbox.subject,
    )


def import_event_rows(*, entity, acting_user, source: dict, changes: dict, at) -> list[tuple]:
    """One row (IMPORT_EVENT_FIELDS) per customer an import touched: `changes` maps a
    customer id to what the import did to it; `source` names the import (kind, batch, file).
    The importer writes them with its bulk writer, set-based like the rest of the file."""
    day = entity.today()
    user_id = acting_user.pk if acting_user is not None else None
    common = {**source, **_by(acting_user)}
    kind = EventKind.IMPORT_CHANGED.value  # plain text for COPY
    return [
        (entity.pk, customer_id, at, day, kind, user_id, {**common, **change})
        for customer_id, change in changes.items()
    ]


def contact_event_record(*, contact, created: bool, fields: list[str], acting_user=None):
    """A contact added or corrected by a user (the customer page, an action in error)."""
    customer = contact.customer
    return CustomerEvent.objects.create(
        entity_id=customer.entity_id,
        customer_id=customer.pk,
        day=customer.entity.today(),
        kind=EventKind.CONTACT_CHANGED,
        user=acting_user,
        data={"contact": str(contact), "created": created, "fields": fields, **_by(acting_user)},
    )


def holds_ended_record(*, entity, customer_ids: dict[int, date], day: date) -> None:
    """One "released" event per customer whose hold ended by itself on `day` (its end date,
    mapped by customer id, has passed), written in one insert."""
    CustomerEvent.objects.bulk_create(
        CustomerEvent(
            entity_id=entity.pk,
            customer_id=customer_id,
            day=day,
            kind=EventKind.CUSTOMER_RELEASED,
            data={"ended": until.isoformat()},
        )
        for customer_id, until in customer_ids.items()
    )


def customer_event_record(*, customer, kind: str, acting_user=None, **data) -> CustomerEvent:
    """A change a user made to the customer itself (a hold, its scenario, its items'
    disputes and promises, its credit cover) from the customer page, on the entity's
    today."""
    return CustomerEvent.objects.create(
        entity_id=customer.entity_id,
        customer_id=customer.pk,
        day=customer.entity.today(),
        kind=kind,
        user=acting_user,
        data={**data, **_by(acting_user)},
    )
