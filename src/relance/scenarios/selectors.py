"""Reads of scenarios: the lists, the timeline of a scenario, and the collection panel of a
customer page (which scenario, why, the reference invoice, the next action and why then)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.apps import apps
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from relance.customers.models import Customer
from relance.ledger.choices import ItemKind
from relance.ledger.models import Item
from relance.scenarios.choices import Anchor
from relance.scenarios.models import Scenario, Step
from relance.segments.models import SegmentMembership

# Action statuses (agenda sits above scenarios: named here, not imported).
OPEN_STATUSES = ("planned", "to_confirm", "confirmed", "error")
FINISHED_STATUSES = ("sent", "done", "skipped")


def scenario_list(user) -> QuerySet:
    return (
        Scenario.objects.visible_to(user)
        .select_related("entity")
        .annotate(
            step_count=Count("steps", distinct=True),
            segment_count=Count("segments", distinct=True),
        )
    )


def scenario_detail(user, pk: int) -> Scenario:
    """The scenario with its steps, or the same 404 when missing or not visible."""
    steps = Step.objects.select_related("template").prefetch_related(
        "responsible_users", "responsible_groups", "cc_users"
    )
    return (
        Scenario.objects.select_related("entity")
        .prefetch_related(Prefetch("steps", queryset=steps))
        .get_for_user(user, pk=pk)
    )


def step_for_user(user, pk: int) -> Step:
    """A step of a scenario `user` may see, or the same 404."""
    scenario_ids = Scenario.objects.visible_to(user).values("pk")
    steps = Step.objects.select_related("scenario__entity", "template")
    return get_object_or_404(steps, pk=pk, scenario_id__in=scenario_ids)


# --- timeline -----------------------------------------------------------------------------


# Height of one lane of markers, in rem (the marker's own font is smaller: an em there is
# not the row's): the dot, two lines of name at most, the day and channel, and a gap.
LANE_REM = 4.9
# Plain symbols, not emoji: white on the coloured dot, and drawn by the common text fonts
# (a machine without an emoji font showed empty boxes for SMS and letters).
CHANNEL_ICONS = {
    "email": "✉",
    "sms": "✆",
    "letter": "✍",
    "registered_letter": "⚖",
    "e_registered_letter": "⚖",
    "call": "☎",
    "task": "✔",
}


@dataclass
class Marker:
    step: Step
    left: float  # percent of the axis
    lane: int  # vertical lane, so that steps on close days do not overlap

    @property
    def top(self) -> float:
        return self.lane * LANE_REM

    @property
    def icon(self) -> str:
        return CHANNEL_ICONS.get(self.step.channel, "•")


@dataclass
class TimelineRow:
    label: str
    markers: list[Marker]

    @property
    def height(self) -> float:
        return (max((m.lane for m in self.markers), default=0) + 1) * LANE_REM + 0.6


@dataclass
class Timeline:
    start: int
    end: int
    rows: list[TimelineRow]
    ticks: list[tuple[int, float]]

    def percent(self, day: int) -> float:
        return round((day - self.start) * 100 / (self.end - self.start), 2)

    @property
    def zero(self) -> float:
        return self.percent(0)


def _lanes(markers: list[Marker], min_gap: float = 12.0) -> None:
    """Markers closer than `min_gap` percent of the axis (a marker is 6.5rem wide: 12 %
    keeps them apart on an axis of 870 px and more) go to the next lane down."""
    last_left: dict[int, float] = {}
    for marker in sorted(markers, key=lambda m: m.left):
        lane = 0
        while lane in last_left and marker.left - last_left[lane] < min_gap:
            lane += 1
        marker.lane = lane
        last_left[lane] = marker.left


def scenario_timeline(steps: list[Step]) -> Timeline:
    """The steps on an axis of days, the due date at 0 (steps anchored on the issue date on
    a second row, its 0 the issue date)."""
    offsets = [step.offset_days for step in steps] + [0]
    start = min(min(offsets) - 5, -10)
    end = max(max(offsets) + 5, 10)
    timeline = Timeline(start=start, end=end, rows=[], ticks=[])
    step_size = 5 if end - start <= 60 else 10 if end - start <= 150 else 30
    first_tick = start + (-start % step_size)
    timeline.ticks = [(day, timeline.percent(day)) for day in range(first_tick, end + 1, step_size)]
    for anchor, label in ((Anchor.DUE_DATE, _("Due date")), (Anchor.ISSUE_DATE, _("Issue date"))):
        markers = [
            Marker(step=step, left=timeline.percent(step.offset_days), lane=0)
            for step in steps
            if step.anchor == anchor
        ]
        if markers or anchor == Anchor.DUE_DATE:
            _lanes(markers)
            timeline.rows.append(TimelineRow(label, markers))
    return timeline


# --- the customer page ----------------------------------------------------------------------


@dataclass
class CollectionPanel:
    """What the engine does with a customer, and why."""

    scenario: Scenario | None
    source: str  # "set by hand", "segment X", "entity default", or ""
    segment: object | None
    reference: Item | None
    open_action: object | None
    finished_actions: list = field(default_factory=list)
    next_step: Step | None = None
    last_skipped: object | None = None  # the skipped last step that ended the cycle
    engine_errors: list = field(default_factory=list)  # unresolved (engine.EngineError)

    @property
    def cycle_ended_on(self) -> date | None:
        """The day of the last step, when every step of the cycle is done and the last one
        does not repeat: the engine then has nothing more to do for this invoice."""
        if self.open_action or self.next_step or not (self.scenario and self.reference):
            return None
        days = [a.finished_on for a in self.finished_actions if a.finished_on]
        return max(days) if days else None

    @property
    def ended_by_skip(self) -> bool:
        """The last step repeats, but its latest action was skipped: the engine contract's
        amendment 1 ends the cycle there (a repeat follows only a step that reached the
        customer)."""
        return self.cycle_ended_on is not None and self.last_skipped is not None


def _membership(customer: Customer):
    return (
        SegmentMembership.objects.filter(customer=customer, segment__is_active=True)
        .select_related("segment__scenario")
        .order_by("segment__priority", "segment__name", "segment_id")
        .first()
    )


def customer_scenario(customer: Customer) -> tuple[Scenario | None, str, object | None]:
    """The scenario of `customer` in the spec's order, the rule that chose it, its segment."""
    membership = _membership(customer)
    segment = membership.segment if membership else None
    if customer.scenario_id:
        return Scenario.objects.get(pk=customer.scenario_id), _("set by hand"), segment
    if segment is not None:
        return segment.scenario, _("segment %(name)s") % {"name": segment.name}, segment
    if customer.entity.default_scenario_id:
        scenario = Scenario.objects.get(pk=customer.entity.default_scenario_id)
        return scenario, _("entity default"), None
    return None, "", None


def dunnable_invoices(customer: Customer, today: date, grace_days: int) -> QuerySet:
    """Open invoices neither disputed nor blocked nor under an active promise (engine spec)."""
    promise_over = Q(promise_date__isnull=True) | Q(
        promise_date__lt=today - timedelta(days=grace_days)
    )
    return Item.objects.filter(
        customer=customer,
        kind=ItemKind.INVOICE,
        open_amount__gt=0,
        disputed=False,
        blocked=False,
    ).filter(promise_over)


def reference_invoice(customer: Customer, today: date, grace_days: int = 3) -> Item | None:
    """R: the dunnable invoice with the earliest due date (then issue date, then number)."""
    invoices = dunnable_invoices(customer, today, grace_days)
    return invoices.order_by("due_date", "issue_date", "number").first()


def customers_collection_panel(customer: Customer, today: date) -> CollectionPanel:
    """The collection panel of a customer page, in a few queries (membership, scenario,
    reference invoice, actions, steps)."""
    scenario, source, segment = customer_scenario(customer)
    grace = scenario.promise_grace_days if scenario else 3
    reference = reference_invoice(customer, today, grace)
    panel = CollectionPanel(scenario, source, segment, reference, open_action=None)
    action_model = apps.get_model("agenda", "Action")
    cycle = Q(status__in=FINISHED_STATUSES, scenario=scenario, reference=reference)
    actions = action_model.objects.filter(customer=customer).select_related("responsible")
    actions = actions.filter(
        Q(status__in=OPEN_STATUSES) | cycle
        if scenario and reference
        else Q(status__in=OPEN_STATUSES)
    )
    for action in actions.order_by(F("finished_on").asc(nulls_last=True), "step_position", "id"):
        if action.status in OPEN_STATUSES:
            panel.open_action = action
        else:
            panel.finished_actions.append(action)
    if scenario is not None and reference is not None:
        _next_step(panel, list(scenario.steps.all()))
    panel.engine_errors = list(
        apps.get_model("engine", "EngineError").objects.unresolved().filter(customer=customer)
    )
    return panel


def _next_step(panel: CollectionPanel, steps: list[Step]) -> None:
    """The first step without a finished action; past the last, the last again when it
    repeats and its latest action was sent or done (else the cycle ended by a skip)."""
    done = {action.step_position for action in panel.finished_actions}
    panel.next_step = next((s for s in steps if s.position not in done), None)
    if panel.next_step is None and panel.scenario.repeat_last_every_days and steps:
        last = [a for a in panel.finished_actions if a.step_position == steps[-1].position]
        latest = max(last, key=lambda a: (a.finished_on, a.created_on, a.pk), default=None)
        if latest is not None and latest.status == "skipped":
            panel.last_skipped = latest
        else:
            panel.next_step = steps[-1]
