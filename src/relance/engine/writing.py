"""Writing the planner's decisions, set-based: one UPDATE per cancel reason, one
bulk_update of due dates, one bulk_create of new actions, per chunk and round."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from relance.agenda.choices import OPEN_STATUSES, ActionStatus
from relance.agenda.models import Action
from relance.engine.loading import Catalogue
from relance.engine.planner import Cancel, Create, Decision, Execute, Skip, UpdateDueDate
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
    failed: int = 0  # customers whose planning, writing or sending failed (EngineError)
    paused: int = 0  # customers whose automatic messages a reply holds (docs/engine.md)
    processes: int = 1  # how many processes planned the run (runner.processes_for_run)

    def add(self, other: "Counts") -> None:
        """Another part's counts (a process of a parallel run) added to these."""
        names = ("created", "skipped", "updated", "sent", "errors", "unsent", "failed", "paused")
        for name in names:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.cancelled.update(other.cancelled)


def responsible_for(step: Step | None, collector_id: int | None) -> int | None:
    """The step's first responsible user; else, with groups, the customer's collector if
    in one of them, else the groups' first member; else the customer's collector."""
    if step is None:
        return collector_id
    users, members = _people(step)
    if users:
        return users[0]
    if not members or collector_id in members:
        return collector_id
    return min(members)


def _people(step: Step) -> tuple[list[int], frozenset[int]]:
    """The step's responsible users (sorted) and the members of its responsible groups,
    read once per step object (the catalogue's steps are prefetched once per run)."""
    people = getattr(step, "_engine_people", None)
    if people is None:
        users = sorted(user.pk for user in step.responsible_users.all())
        members = frozenset(u.pk for g in step.responsible_groups.all() for u in g.user_set.all())
        people = step._engine_people = (users, members)
    return people


# The columns the engine writes on a new action, in this order; the others take their
# model defaults (see _copy_actions).
NEW_ACTION_COLUMNS = (
    "entity_id",
    "customer_id",
    "scenario_id",
    "step_id",
    "step_position",
    "step_name",
    "channel",
    "mode",
    "reference_id",
    "status",
    "reason",
    "planned_by",
    "created_on",
    "due_date",
    "finished_on",
    "responsible_id",
)


def _new_action(entity, day, customer_id, create: Create, catalogue, collector_id) -> tuple:
    """A new action as the values of NEW_ACTION_COLUMNS."""
    step = catalogue.steps.get((create.scenario_id, create.step.position))
    finished = create.status in (ActionStatus.SKIPPED,)
    return (
        entity.pk,
        customer_id,
        create.scenario_id,
        step.pk if step is not None else None,
        create.step.position,
        create.step.name,
        create.step.channel,
        create.step.mode,
        create.reference_id,
        create.status,
        create.reason,
        create.planned_by,
        day,
        create.due_date,
        day if finished else None,
        responsible_for(step, collector_id),
    )


def insert_actions(rows: list[tuple]) -> list[int]:
    """INSERT new actions (values of NEW_ACTION_COLUMNS); answers their ids, in order.

    PostgreSQL: ids drawn from the table's sequence, then one COPY: bulk_create spent
    ~0.2 ms a row preparing values (5 s for the 20,000 actions of a chunk series); COPY a
    tenth of that. Elsewhere bulk_create, which returns the ids."""
    if not rows:
        return []
    if connection.vendor == "postgresql":
        return _copy_actions(rows)
    actions = [Action(**dict(zip(NEW_ACTION_COLUMNS, row, strict=True))) for row in rows]
    Action.objects.bulk_create(actions, batch_size=1000)
    return [action.pk for action in actions]


def _copy_actions(rows: list[tuple]) -> list[int]:
    meta = Action._meta
    template = Action()
    rest = [
        f for f in meta.concrete_fields if not f.primary_key and f.attname not in NEW_ACTION_COLUMNS
    ]
    constants = tuple(f.get_db_prep_save(f.pre_save(template, add=True), connection) for f in rest)
    quote = connection.ops.quote_name
    names = [
        meta.pk.column,
        *(meta.get_field(a.removesuffix("_id")).column for a in NEW_ACTION_COLUMNS),
    ]
    columns = ", ".join(quote(name) for name in [*names, *(f.column for f in rest)])
    table = quote(meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(rows)],
        )
        ids = sorted(pk for (pk,) in cursor.fetchall())
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for pk, row in zip(ids, rows, strict=True):
                copy.write_row((pk, *row, *constants))
    return ids


def _close(closes: list[Cancel | Skip], status: str, day: date) -> Counter:
    """Close open actions as `status` (cancelled, or skipped by the engine), one UPDATE
    per reason; answers how many closed, by reason."""
    by_reason = defaultdict(list)
    for close in closes:
        by_reason[close.reason].append(close.action_id)
    now = timezone.now()
    closed = Counter()
    for reason, ids in sorted(by_reason.items()):
        # Only still-open actions: a user may have closed one since it was read.
        closed[reason] += Action.objects.filter(Q(pk__in=ids), status__in=OPEN_STATUSES).update(
            status=status, reason=reason, finished_on=day, updated_at=now
        )
    return closed


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
    database gave to the planner's provisional ids. Cancels and skips go first: the
    customer's one open action must be closed before the next one is inserted."""
    flat = [(customer, d) for customer, ds in decisions.items() for d in ds]
    cancels = [d for _c, d in flat if isinstance(d, Cancel)]
    skips = [d for _c, d in flat if isinstance(d, Skip)]
    updates = [d for _c, d in flat if isinstance(d, UpdateDueDate) and d.action_id > 0]
    creates = [(c, d) for c, d in flat if isinstance(d, Create)]
    if cancels:
        counts.cancelled.update(_close(cancels, ActionStatus.CANCELLED, day))
    if skips:
        counts.skipped += sum(_close(skips, ActionStatus.SKIPPED, day).values())
    if updates:
        _update(updates, counts)
    rows = [_new_action(entity, day, c, d, catalogue, collectors.get(c)) for c, d in creates]
    ids: dict[int, dict[int, int]] = defaultdict(dict)
    for (customer, create), pk in zip(creates, insert_actions(rows), strict=True):
        ids[customer][create.action_id] = pk
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
