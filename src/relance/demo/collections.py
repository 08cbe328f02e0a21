"""The demo's collection history: the engine replayed over the last days, a team that works
the agenda between the runs, and customers who pay some reminded invoices a few days later,
so that the agenda, the customer pages, their timelines, the history and the charts
("collected after each step") show work done, its effect and work to do."""

import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.core import mail
from django.test.utils import override_settings

from relance.accounts.choices import Role
from relance.accounts.models import User
from relance.agenda.choices import ActionStatus, CallOutcome
from relance.agenda.models import Action
from relance.agenda.services import (
    POSTED_CHANNELS,
    action_call_outcome,
    action_confirm_many,
    action_done,
    actions_letters_done,
)
from relance.core.defaults import run_defaults
from relance.core.models import Entity
from relance.delivery.choices import ConnectorChannel, ConnectorKind
from relance.delivery.models import Connector
from relance.demo.history import settled_changes
from relance.engine.runner import run_day
from relance.ledger.models import Item, ItemAmountChange
from relance.scenarios.choices import StepChannel, StepMode

# How the demo team works: the share of waiting confirmations approved each day, and of
# the manual actions due that are done the day they are due (the rest stay late, in red).
CONFIRMED_SHARE = 0.8
DONE_SHARE = 0.7
OUTCOMES = [
    (CallOutcome.REACHED, 4),
    (CallOutcome.NOT_REACHED, 3),
    (CallOutcome.PROMISE, 3),
]
# How customers answer a step sent or done: the share who then pay its reference invoice,
# and after how many days (a transfer ordered on receipt, or at the next payment run).
PAID_SHARE = 0.15
PAYMENT_DELAY = (2, 15)


def demo_collect(
    *, entities: list[Entity], today: date, days: int, seed: int = 1
) -> dict[str, int]:
    """Give each entity its default scenario (setup may have run before the entities
    existed) and a console SMS connector, then run the engine for each of the `days` days up
    to `today` included, the team working the agenda after every run but today's.

    The demo's emails go to an in-memory outbox and its SMS to files in var/outbox/: nothing
    leaves the machine."""
    run_defaults()
    for entity in entities:
        Connector.objects.get_or_create(
            entity=entity,
            channel=ConnectorChannel.SMS,
            is_active=True,
            defaults={"kind": ConnectorKind.CONSOLE, "settings": {"sender": entity.name[:11]}},
        )
    rng = random.Random(seed)
    # The customers' own stream: the team works the same whoever pays.
    payers = random.Random(seed + 1)
    sent = worked = settled = 0
    payments: dict[date, set[int]] = defaultdict(set)
    paid_steps: set[tuple] = set()
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        for offset in range(days - 1, -1, -1):
            day = today - timedelta(days=offset)
            # Paid before the run: the engine closes the reminders of what was paid.
            settled += customers_pay(payments.pop(day, set()), day, today, payers, payments)
            for entity in entities:
                entity.refresh_from_db()
                sent += run_day(entity=entity, day=day).sent
                if day < today:
                    worked += team_works(entity, day, rng)
            payments_schedule(entities, day, today, rng, payments=payments, paid_steps=paid_steps)
            mail.outbox = []
    settled += customers_pay(payments.pop(today, set()), today, today, payers, payments)
    return {"days": days, "sent": sent, "worked": worked, "settled": settled}


def payments_schedule(
    entities: list[Entity],
    day: date,
    today: date,
    rng: random.Random,
    *,
    payments: dict[date, set[int]],
    paid_steps: set[tuple],
) -> None:
    """Draw which reference invoices of the steps finished on `day` their customers pay, and
    on which day (at the latest `today`), into `payments` ({day: item ids}). The first time a
    step (of a scenario, in a currency) runs, its customer pays: every step that ran then has
    an amount collected on the charts (`paid_steps` holds those paid for). One query."""
    finished = (
        Action.objects.filter(
            entity__in=entities,
            status__in=(ActionStatus.SENT, ActionStatus.DONE),
            finished_on=day,
            reference__open_amount__gt=0,
        )
        .order_by("pk")
        .values_list("scenario_id", "step_position", "reference__currency", "reference_id")
    )
    for scenario_id, position, currency, reference_id in finished:
        step = (scenario_id, position, currency)
        if rng.random() < PAID_SHARE or step not in paid_steps:
            paid_steps.add(step)
            paid_on = min(today, day + timedelta(days=rng.randint(*PAYMENT_DELAY)))
            payments[paid_on].add(reference_id)


def customers_pay(
    item_ids: set[int], day: date, today: date, rng: random.Random, payments: dict
) -> int:
    """Settle the invoices paid on `day` as an import would (open amount 0, settled on that
    day), in one UPDATE; answers how many were settled. A customer whose call is planned
    before `today` waits for it and pays a few days after it (moved in `payments`)."""
    if not item_ids:
        return 0
    customers = dict(
        Item.objects.filter(pk__in=item_ids, open_amount__gt=0).values_list("pk", "customer_id")
    )
    calls = dict(
        Action.objects.filter(
            customer_id__in=set(customers.values()),
            finished_on__isnull=True,
            mode=StepMode.MANUAL,
            due_date__gte=day,
            due_date__lt=today,
        ).values_list("customer_id", "due_date")
    )
    paid = []
    for item_id, customer_id in sorted(customers.items()):
        call = calls.get(customer_id)
        if call is None:
            paid.append(item_id)
        else:
            later = min(today, call + timedelta(days=rng.randint(1, 4)))
            payments[later].add(item_id)
    settled = Item.objects.filter(pk__in=paid).values_list("pk", "entity_id", "open_amount")
    ItemAmountChange.objects.bulk_create(settled_changes(list(settled), day))
    return Item.objects.filter(pk__in=paid).update(open_amount=Decimal("0.00"), settled_on=day)


def team_works(entity: Entity, day: date, rng: random.Random) -> int:
    """What the entity's collectors and credit manager do on `day` after the run: approve
    most automatic actions waiting for them, do most manual actions due (calls with an
    outcome, letters and tasks done). Answers how many actions they handled."""
    manager = User.objects.filter(role=Role.CREDIT_MANAGER, is_active=True).order_by("pk").first()
    open_actions = Action.objects.filter(entity=entity, finished_on__isnull=True)
    waiting = open_actions.filter(status=ActionStatus.TO_CONFIRM).order_by("pk")
    approved = [pk for pk in waiting.values_list("pk", flat=True) if rng.random() < CONFIRMED_SHARE]
    handled = 0
    if approved:
        confirmed = action_confirm_many(
            actions=Action.objects.filter(pk__in=approved), acting_user=manager, day=day
        )
        handled += len(confirmed)
    due = open_actions.filter(mode=StepMode.MANUAL, due_date__lte=day)
    for action in due.select_related("entity", "responsible").order_by("due_date", "pk"):
        if rng.random() >= DONE_SHARE:
            continue
        user = action.responsible or manager
        if action.channel in POSTED_CHANNELS:
            # Printed and posted: a registered letter with a La Poste-like tracking number.
            number = f"1A{rng.randrange(10**11):011d}"
            registered = action.channel == StepChannel.REGISTERED_LETTER
            actions_letters_done(
                actions=Action.objects.filter(pk=action.pk),
                tracking_numbers={action.pk: number} if registered else {},
                acting_user=user,
                day=day,
            )
        elif action.channel == StepChannel.CALL:
            outcome = rng.choices([o for o, _w in OUTCOMES], [w for _o, w in OUTCOMES])[0]
            promised = day + timedelta(days=rng.randint(3, 15))
            action_call_outcome(
                action=action,
                acting_user=user,
                outcome=outcome,
                promise_date=promised if outcome == CallOutcome.PROMISE else None,
                day=day,
            )
        else:
            action_done(action=action, acting_user=user, day=day)
        handled += 1
    return handled
