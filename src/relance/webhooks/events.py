"""The events other software may subscribe to, one small constructor each: the domain calls
them in the transaction of the change, and they say what the receiver gets (docs/webhooks.md).
Each one costs a single query when nobody listens."""

from datetime import date

from django.utils import timezone

from relance.webhooks.choices import WebhookEvent
from relance.webhooks.services import events_emit, listening, subscriptions_read_once


def _customer(customer) -> dict:
    return {"id": customer.pk, "number": customer.external_id, "name": customer.name}


def _items(items) -> list[dict]:
    return [
        {
            "id": item.pk,
            "number": item.number,
            "open_amount": str(item.open_amount),
            "currency": item.currency,
        }
        for item in items
    ]


def _action(action, **extra) -> dict:
    return {
        "id": action.pk,
        "customer": action.customer_id,
        "step": action.step_name,
        "channel": action.channel,
        "mode": action.mode,
        "due_date": action.due_date.isoformat(),
        "status": action.status,
        **extra,
    }


def dispute_opened(*, customer, items, reason: str, source: str) -> None:
    data = {"customer": _customer(customer), "items": _items(items), "reason": reason}
    key = f"dispute.opened:{customer.pk}:{','.join(str(i.pk) for i in items)}"
    events_emit(
        entity_id=customer.entity_id,
        event=WebhookEvent.DISPUTE_OPENED,
        rows=[(_dated(key), {**data, "source": source})],
    )


def dispute_closed(*, customer, items, source: str) -> None:
    key = f"dispute.closed:{customer.pk}:{','.join(str(i.pk) for i in items)}"
    data = {"customer": _customer(customer), "items": _items(items), "source": source}
    events_emit(
        entity_id=customer.entity_id,
        event=WebhookEvent.DISPUTE_CLOSED,
        rows=[(_dated(key), data)],
    )


def promise_recorded(*, customer, items, promise_date: date, source: str) -> None:
    key = f"promise.recorded:{customer.pk}:{','.join(str(i.pk) for i in items)}"
    data = {
        "customer": _customer(customer),
        "items": _items(items),
        "promise_date": promise_date.isoformat(),
        "source": source,
    }
    events_emit(
        entity_id=customer.entity_id,
        event=WebhookEvent.PROMISE_RECORDED,
        rows=[(_dated(key), data)],
    )


def _dated(key: str) -> str:
    """Keys of decisions carry their moment: the same dispute opened again another time is a
    new event. (Keys stay within the column: a long list of items is cut, the moment kept.)"""
    moment = f":{timezone.now().timestamp():.6f}"
    return key[: 100 - len(moment)] + moment


def actions_done(actions) -> None:
    """Actions finished by a user (done, or a call's outcome recorded)."""
    for entity_id, group in _by_entity(actions).items():
        events_emit(
            entity_id=entity_id,
            event=WebhookEvent.ACTION_DONE,
            rows=[(f"action.done:{action.pk}", _action(action)) for action in group],
        )


def actions_sent(actions, *, outbox_by_action: dict[int, int]) -> None:
    """Messages the server accepted (or that left with an uncertain outcome)."""
    for entity_id, group in _by_entity(actions).items():
        events_emit(
            entity_id=entity_id,
            event=WebhookEvent.ACTION_SENT,
            rows=(  # built only when someone listens: a batch sends thousands
                (
                    f"action.sent:{action.pk}:{outbox_by_action.get(action.pk, '')}",
                    _action(action, status="sent", outbox=outbox_by_action.get(action.pk)),
                )
                for action in group
            ),
        )


def actions_failed(failures) -> None:
    """`failures`: (action, error) pairs; an action failing again after a retry is reported
    again (the moment is in the key)."""
    errors = {action.pk: error for action, error in failures}
    for entity_id, group in _by_entity([action for action, _e in failures]).items():
        events_emit(
            entity_id=entity_id,
            event=WebhookEvent.ACTION_FAILED,
            rows=[
                (_dated(f"action.failed:{action.pk}"), _action(action, error=errors[action.pk]))
                for action in group
            ],
        )


def run_ended(entity_id: int, day: date, counts: dict) -> None:
    """A daily run's end: the actions it created (set-based, and only when someone listens:
    a run creates up to one per customer), then the run itself; the entity's
    subscriptions are read once for both."""
    with subscriptions_read_once():
        _run_ended(entity_id, day, counts)


def _run_ended(entity_id: int, day: date, counts: dict) -> None:
    if listening(entity_id, WebhookEvent.ACTION_CREATED):
        from relance.agenda.models import Action  # the engine's output, read once here

        fields = ("id", "customer_id", "step_name", "channel", "mode", "due_date", "status")
        created = Action.objects.filter(entity_id=entity_id, created_on=day).values(*fields)
        events_emit(
            entity_id=entity_id,
            event=WebhookEvent.ACTION_CREATED,
            rows=(
                (f"action.created:{row['id']}", _created(row))
                for row in created.order_by("id").iterator(chunk_size=5000)
            ),
        )
    events_emit(
        entity_id=entity_id,
        event=WebhookEvent.RUN_FINISHED,
        rows=[(_dated(f"run.finished:{day.isoformat()}"), {"day": day.isoformat(), **counts})],
    )


def _created(row: dict) -> dict:
    customer = row.pop("customer_id")
    return {**row, "customer": customer, "due_date": row["due_date"].isoformat()}


def response_received(response) -> None:
    data = {
        "id": response.pk,
        "customer": response.customer_id,
        "action": response.action_id,
        "channel": response.channel,
        "kind": response.kind,
        "received_at": response.received_at.isoformat(),
        "author": response.author,
        "text": response.body[:2000],
    }
    events_emit(
        entity_id=response.entity_id,
        event=WebhookEvent.RESPONSE_RECEIVED,
        rows=[(f"response.received:{response.pk}", data)],
    )


def items_settled(entity_id: int, items: list[dict], *, source: str) -> None:
    """`items`: value rows (id, customer_id, number, amount, currency, settled_on) of items
    whose open amount just reached zero."""
    events_emit(
        entity_id=entity_id,
        event=WebhookEvent.ITEM_SETTLED,
        rows=[
            (
                f"item.settled:{row['id']}:{row['settled_on']}",
                {
                    "id": row["id"],
                    "customer": row["customer_id"],
                    "number": row["number"],
                    "amount": str(row["amount"]),
                    "currency": row["currency"],
                    "settled_on": str(row["settled_on"]),
                    "source": source,
                },
            )
            for row in items
        ],
    )


def _by_entity(actions) -> dict[int, list]:
    groups: dict[int, list] = {}
    for action in actions:
        groups.setdefault(action.entity_id, []).append(action)
    return groups
