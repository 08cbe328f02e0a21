"""The demo's collection history: the engine replayed over the last days, and a team that
works the agenda between the runs, so that the agenda, the customer pages, their timelines
and the history show work done and work to do."""

import random
from datetime import date, timedelta

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
from relance.engine.runner import run_day
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
    sent = worked = 0
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        for offset in range(days - 1, -1, -1):
            day = today - timedelta(days=offset)
            for entity in entities:
                entity.refresh_from_db()
                sent += run_day(entity=entity, day=day).sent
                if day < today:
                    worked += team_works(entity, day, rng)
            mail.outbox = []
    return {"days": days, "sent": sent, "worked": worked}


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
