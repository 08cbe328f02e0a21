"""Reading what the planner needs, set-based: the scenarios once per run, then the
customers of an entity in chunks, each chunk in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Exists, Max, OuterRef, Prefetch, Q

from relance.agenda.choices import FINISHED_STATUSES, OPEN_STATUSES, ActionStatus, PlannedBy
from relance.agenda.models import Action
from relance.agenda.selectors import customers_paused_by_reply
from relance.customers.models import Customer
from relance.engine.planner import (
    ActionData,
    CustomerState,
    ItemData,
    ScenarioData,
    StepData,
    choose_scenario_id,
)
from relance.ledger.choices import ItemKind
from relance.ledger.models import Item
from relance.scenarios.choices import CONTACT_CHANNELS
from relance.scenarios.models import Scenario, Step
from relance.segments.models import SegmentMembership

ITEM_FIELDS = ("id", "customer_id", "kind", "number", "issue_date", "due_date", "open_amount")
ITEM_FIELDS += ("currency", "disputed", "blocked", "promise_date")
ACTION_FIELDS = ("id", "customer_id", "scenario_id", "reference_id", "step_position", "status")
ACTION_FIELDS += ("created_on", "due_date", "channel", "mode", "finished_on", "reason")
ACTION_FIELDS += ("planned_by",)
# Due dates the engine never moves: a user's, and a fallback's (due the day of the bounce).
KEPT_DATES = frozenset({PlannedBy.USER, PlannedBy.FALLBACK})


@dataclass
class Catalogue:
    """The scenarios usable by an entity, read once per run: as plain data for the planner
    and as models (steps with responsibles) for the writes."""

    data: dict[int, ScenarioData] = field(default_factory=dict)
    steps: dict[tuple[int, int], Step] = field(default_factory=dict)  # (scenario, position)
    default_id: int | None = None


def step_data(step: Step) -> StepData:
    return StepData(
        position=step.position,
        name=step.name,
        channel=step.channel,
        mode=step.mode,
        anchor=step.anchor,
        offset_days=step.offset_days,
        id=step.pk,
    )


def scenario_data(scenario: Scenario) -> ScenarioData:
    return ScenarioData(
        id=scenario.pk,
        steps=tuple(step_data(step) for step in scenario.steps.all()),
        min_contact_days=scenario.min_contact_days,
        min_amount=scenario.min_amount,
        repeat_last_every_days=scenario.repeat_last_every_days,
        lookahead_days=scenario.lookahead_days,
        promise_grace_days=scenario.promise_grace_days,
    )


def load_catalogue(entity) -> Catalogue:
    steps = Step.objects.order_by("position", "id").prefetch_related(
        "responsible_users", "responsible_groups__user_set", "cc_users"
    )
    scenarios = Scenario.objects.filter(Q(entity__isnull=True) | Q(entity=entity))
    scenarios = scenarios.prefetch_related(Prefetch("steps", queryset=steps))
    catalogue = Catalogue(default_id=entity.default_scenario_id)
    for scenario in scenarios:
        catalogue.data[scenario.pk] = scenario_data(scenario)
        for step in scenario.steps.all():
            catalogue.steps.setdefault((scenario.pk, step.position), step)
    return catalogue


def customer_ids(entity) -> list[int]:
    """The customers with something to decide: an open item or an open action."""
    open_items = Item.objects.filter(customer=OuterRef("pk"), open_amount__gt=0)
    open_actions = Action.objects.filter(customer=OuterRef("pk"), status__in=OPEN_STATUSES)
    customers = Customer.objects.filter(entity=entity).filter(
        Exists(open_items) | Exists(open_actions)
    )
    return list(customers.order_by("pk").values_list("pk", flat=True))


@dataclass
class Chunk:
    """A chunk of customers as the planner sees them, plus what the writes need."""

    states: dict[int, CustomerState]
    collectors: dict[int, int | None]


def _span(ids: list[int]) -> Q:
    """The customers whose id lies between the chunk's first and last (`ids` is sorted).
    A range instead of `IN (2,000 ids)`: a condition the indexes on `customer_id` answer,
    and a statement that costs nothing to build and send. No condition on the entity:
    SQLite, without statistics, would then walk the entity's index, every row of it for
    every chunk. Rows of customers outside the chunk (another entity's, or with nothing
    open) are never looked up (load_chunk)."""
    return Q(customer_id__gte=ids[0], customer_id__lte=ids[-1])


def _items(ids: list[int], day: date) -> dict[int, list[ItemData]]:
    """The chunk's open items the planner decides on: on PostgreSQL the few that can decide
    (deciding_items), elsewhere every one."""
    if connection.vendor == "postgresql":
        return deciding_items(ids, day)
    return every_item(ids)


def every_item(ids: list[int]) -> dict[int, list[ItemData]]:
    """Every open item of the chunk's customers."""
    rows = (
        Item.objects.filter(_span(ids), open_amount__gt=0)
        .annotate(payment_pending=Q(payment_pending_since__isnull=False))
        .values_list(*ITEM_FIELDS, "payment_pending")
    )
    items = defaultdict(list)
    for pk, customer, *rest in rows.order_by():
        items[customer].append(ItemData(pk, *rest))
    return items


# What the planner reads of the items (planner.situation) is the reference invoice R (the
# earliest dunnable one), the dunnable amount in R's currency due on or before
# max(D, R's due date), and the credits in that currency. So, per customer and currency:
# an invoice that is never dunnable (disputed, blocked, paid online, no due date) changes
# nothing and is left out; one under a promise is read as it is (whether it is dunnable
# depends on the scenario's grace); of those due on or before D (which all count whichever
# is R), the ones due on the earliest date are read as they are and the others as one
# sum, dated their latest due date (later than the earliest: never R); of those due after
# D only the ones due on the earliest such date can count (when R is one of them), read
# as they are; the credits count as their sum. Two rows or so a customer instead of ten
# here: less to read, build and plan. One aggregation by hash and one hash join, no sort
# of the items; the sum's row carries the whole part's total, from which deciding_items
# takes the invoices read as they are (no second join for it).
DECIDING_ITEMS_SQL = """
WITH open AS MATERIALIZED (
    SELECT i.id, i.customer_id, i.kind, i.number, i.issue_date, i.due_date, i.open_amount,
        i.currency, i.promise_date,
        CASE WHEN i.kind <> %(invoice)s THEN 'credit'
             WHEN i.promise_date IS NOT NULL THEN 'promised'
             WHEN i.due_date <= %(day)s THEN 'due'
             ELSE 'ahead' END AS part
    FROM ledger_item i
    WHERE i.customer_id BETWEEN %(first)s AND %(last)s AND i.open_amount > 0
        AND (i.kind <> %(invoice)s OR (i.due_date IS NOT NULL AND NOT i.disputed
             AND NOT i.blocked AND i.payment_pending_since IS NULL))
), groups AS MATERIALIZED (
    SELECT customer_id, currency, part, min(due_date) AS first_due, max(due_date) AS last_due,
        max(issue_date) AS last_issue, max(number) AS last_number, max(id) AS last_id,
        sum(open_amount) AS total
    FROM open
    WHERE part IN ('due', 'ahead')
    GROUP BY customer_id, currency, part
), firsts AS MATERIALIZED (
    SELECT o.id, o.customer_id, o.kind, o.number, o.issue_date, o.due_date, o.open_amount,
        o.currency, o.part
    FROM open o
    JOIN groups g ON g.customer_id = o.customer_id AND g.currency = o.currency
        AND g.part = o.part AND g.first_due = o.due_date
)
SELECT 0 AS place, id, customer_id, kind, number, issue_date, due_date, open_amount,
    currency, promise_date
FROM open WHERE part = 'promised'
UNION ALL
SELECT 1, id, customer_id, kind, number, issue_date, due_date, open_amount, currency, NULL
FROM firsts
UNION ALL
SELECT 2, last_id, customer_id, %(invoice)s, last_number, last_issue, last_due, total,
    currency, NULL
FROM groups WHERE part = 'due' AND last_due > first_due
UNION ALL
SELECT 3, max(id), customer_id, %(credit)s, '', min(issue_date), NULL, sum(open_amount),
    currency, NULL
FROM open WHERE part = 'credit'
GROUP BY customer_id, currency
ORDER BY place
"""


def deciding_items(ids: list[int], day: date) -> dict[int, list[ItemData]]:
    """The items that decide (DECIDING_ITEMS_SQL), in one statement over the chunk's id
    range; a sum as a row of its own, after the invoices it sits beside."""
    params = {"first": ids[0], "last": ids[-1], "day": day}
    params |= {"invoice": ItemKind.INVOICE, "credit": ItemKind.CREDIT_NOTE}
    items, earliest_due = defaultdict(list), defaultdict(Decimal)
    with transaction.atomic(), connection.cursor() as cursor:
        # Hash joins whatever the statistics say of the CTEs (they guess one row each).
        cursor.execute("SET LOCAL enable_nestloop = off")
        cursor.execute(DECIDING_ITEMS_SQL, params)
        rows = cursor.fetchall()
    for place, pk, customer, kind, number, issued, due, amount, currency, promise in rows:
        if place == 1 and due <= day:
            earliest_due[customer, currency] += amount
        elif place == 2:  # the part's total: the rest of it, beside its earliest invoices
            amount -= earliest_due[customer, currency]
        items[customer].append(
            ItemData(pk, kind, number, issued, due, amount, currency, promise_date=promise)
        )
    return items


def _actions(ids: list[int]) -> dict[int, list[ActionData]]:
    """Open actions, and finished ones of cycles whose reference is still open: a settled
    invoice's cycle cannot become current again."""
    current = Q(status__in=OPEN_STATUSES) | Q(
        status__in=FINISHED_STATUSES, reference__open_amount__gt=0
    )
    rows = Action.objects.filter(_span(ids), current).values_list(*ACTION_FIELDS)
    actions = defaultdict(list)
    for pk, customer, *rest, planned_by in rows.order_by("id"):
        actions[customer].append(ActionData(pk, *rest, rescheduled=planned_by in KEPT_DATES))
    return actions


def _last_contacts(ids: list[int]) -> dict[int, date]:
    rows = (
        Action.objects.filter(
            _span(ids),
            status__in=[ActionStatus.SENT, ActionStatus.DONE],
            channel__in=CONTACT_CHANNELS,
        )
        .values_list("customer_id")
        .annotate(last=Max("finished_on"))
        .order_by()
    )
    return dict(rows)


def _segment_scenarios(entity, ids: list[int]) -> dict[int, list[int]]:
    rows = (
        SegmentMembership.objects.filter(_span(ids))
        .filter(segment__is_active=True)
        .filter(Q(segment__entity__isnull=True) | Q(segment__entity=entity))
        .order_by("customer_id", "segment__priority", "segment__name", "segment_id")
        .values_list("customer_id", "segment__scenario_id")
    )
    scenarios = defaultdict(list)
    for customer, scenario in rows:
        scenarios[customer].append(scenario)
    return scenarios


def load_chunk(entity, ids: list[int], day: date, catalogue: Catalogue) -> Chunk:
    """The customers `ids` (sorted) as the planner sees them, in 6 queries (5 when the
    entity does not pause on a reply)."""
    if not ids:
        return Chunk({}, {})
    wanted = set(ids)
    customers = Customer.objects.filter(pk__gte=ids[0], pk__lte=ids[-1])
    customers = customers.order_by().values_list(
        "id", "on_hold", "hold_until", "scenario_id", "collector_id"
    )
    items, actions = _items(ids, day), _actions(ids)
    last_contacts, segments = _last_contacts(ids), _segment_scenarios(entity, ids)
    paused = customers_paused_by_reply(entity=entity, day=day, ids=ids)
    states, collectors = {}, {}
    for pk, on_hold, hold_until, scenario_id, collector_id in customers:
        if pk not in wanted:
            continue
        chosen = choose_scenario_id(scenario_id, segments.get(pk, []), catalogue.default_id)
        states[pk] = CustomerState(
            id=pk,
            scenario=catalogue.data.get(chosen),
            items=tuple(items.get(pk, ())),
            actions=tuple(actions.get(pk, ())),
            on_hold=on_hold and (hold_until is None or day <= hold_until),
            last_contact_on=last_contacts.get(pk),
            paused=pk in paused,
        )
        collectors[pk] = collector_id
    return Chunk(states, collectors)
