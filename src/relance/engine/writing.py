"""Writing the planner's decisions, set-based: one UPDATE per cancel reason, one
bulk_update of due dates, one bulk_create of new actions, per chunk and round."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils import timezone

from relance.agenda.choices import OPEN_STATUSES, ActionStatus
from relance.agenda.models import Action
from relance.engine.loading import Catalogue
from relance.engine.planner import Cancel, Create, Decision, Execute, UpdateDueDate
from relance.scenarios.models import Step


@dataclass
class Counts:
    created: int = 0
    skipped: int = 0
    updated: int = 0
    cancelled: Counter = field(default_factory=Counter)
    sent: int = 0
    errors: int = 0
    unsent: int = 0


def responsible_for(step: Step | None, collector_id: int | None) -> int | None:
    """The step's first responsible user; else, with groups, the customer's collector if
    in one of them, else the groups' first member; else the customer's collector."""
    if step is None:
        return collector_id
    users = sorted(user.pk for user in step.responsible_users.all())
    if users:
        return users[0]
    members = sorted({u.pk for g in step.responsible_groups.all() for u in g.user_set.all()})
    if not members or collector_id in members:
        return collector_id
    return members[0]


def _new_action(entity, day, customer_id, create: Create, catalogue, collector_id) -> Action:
    step = catalogue.steps.get((create.scenario_id, create.step.position))
    finished = create.status in (ActionStatus.SKIPPED,)
    return Action(
        entity=entity,
        customer_id=customer_id,
        scenario_id=create.scenario_id,
        step=step,
        step_position=create.step.position,
        step_name=create.step.name,
        channel=create.step.channel,
        mode=create.step.mode,
        reference_id=create.reference_id,
        status=create.status,
        reason=create.reason,
        planned_by=create.planned_by,
        created_on=day,
        due_date=create.due_date,
        finished_on=day if finished else None,
        responsible_id=responsible_for(step, collector_id),
    )


def _cancel(cancels: list[Cancel], day: date, counts: Counts) -> None:
    by_reason = defaultdict(list)
    for cancel in cancels:
        by_reason[cancel.reason].append(cancel.action_id)
    now = timezone.now()
    for reason, ids in sorted(by_reason.items()):
        # Only still-open actions: a user may have closed one since it was read.
        counts.cancelled[reason] += Action.objects.filter(
            Q(pk__in=ids), status__in=OPEN_STATUSES
        ).update(status=ActionStatus.CANCELLED, reason=reason, finished_on=day, updated_at=now)


def _update(updates: list[UpdateDueDate], counts: Counts) -> None:
    now = timezone.now()
    rows = [
        Action(pk=u.action_id, due_date=u.due_date, planned_by=u.planned_by, updated_at=now)
        for u in updates
    ]
    Action.objects.bulk_update(rows, ["due_date", "planned_by", "updated_at"], batch_size=1000)
    counts.updated += len(rows)


def write_decisions(
    entity,
    day: date,
    decisions: dict[int, list[Decision]],
    catalogue: Catalogue,
    collectors: dict[int, int | None],
    counts: Counts,
) -> dict[int, dict[int, int]]:
    """Write every decision but the executions; answers, per customer, the ids the
    database gave to the planner's provisional ids. Cancels go first: the customer's one
    open action must be closed before the next one is inserted."""
    flat = [(customer, d) for customer, ds in decisions.items() for d in ds]
    cancels = [d for _c, d in flat if isinstance(d, Cancel)]
    updates = [d for _c, d in flat if isinstance(d, UpdateDueDate) and d.action_id > 0]
    creates = [(c, d) for c, d in flat if isinstance(d, Create)]
    if cancels:
        _cancel(cancels, day, counts)
    if updates:
        _update(updates, counts)
    rows = [_new_action(entity, day, c, d, catalogue, collectors.get(c)) for c, d in creates]
    Action.objects.bulk_create(rows, batch_size=1000)
    ids: dict[int, dict[int, int]] = defaultdict(dict)
    for (customer, create), row in zip(creates, rows, strict=True):
        ids[customer][create.action_id] = row.pk
        if create.status == ActionStatus.SKIPPED:
            counts.skipped += 1
        else:
            counts.created += 1
    return ids


def executions(decisions: dict[int, list[Decision]], ids: dict[int, dict[int, int]]):
    """(customer, action id) of every execution, provisional ids resolved."""
    return [
        (customer, ids.get(customer, {}).get(d.action_id, d.action_id))
        for customer, ds in decisions.items()
        for d in ds
        if isinstance(d, Execute)
    ]
