"""The engine's decisions (docs/engine.md, spec: /work/shared/spec/engine.md) as a pure
function over plain, frozen data: no ORM, no clock, no I/O.

`plan_customer` takes one customer's state at the run date D and answers the list of
decisions the runner must write (cancel, skip, create, update a due date) and execute. It
loops "until nothing changes": a preventive step skipped `already due` is followed, in the
same call, by the creation of the next step. It stops at an execution, whose outcome (sent
or error) only the runner knows; the runner then applies the outcome with `apply_outcome`
and plans the customer again, so that one run can skip, send and create the next step.

Amendment 1 of the contract (docs/engine.md, "Preventive steps, skips and repeats"): a
preventive step is skipped when it becomes next on or after R's due date (created, due and
finished on D); an open preventive action still open on or after that date is skipped too;
the last step repeats only after a repeat that reached the customer (`sent` or `done`).
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

# The same words as agenda.choices / scenarios.choices / ledger.choices; repeated here so
# that the planner imports nothing from Django.
PLANNED, TO_CONFIRM, CONFIRMED, ERROR = "planned", "to_confirm", "confirmed", "error"
SENT, DONE, SKIPPED, CANCELLED = "sent", "done", "skipped", "cancelled"
OPEN_STATUSES = frozenset({PLANNED, TO_CONFIRM, CONFIRMED, ERROR})
FINISHED_STATUSES = frozenset({SENT, DONE, SKIPPED})
CONTACT_DONE_STATUSES = frozenset({SENT, DONE})  # a skipped step reached nobody
MANUAL, AUTO_CONFIRM, AUTO = "manual", "auto_confirm", "auto"
NON_CONTACT_CHANNELS = frozenset({"task"})
MANUAL_ONLY_CHANNELS = frozenset({"call", "task"})
INVOICE = "invoice"
CREDIT_KINDS = frozenset({"credit_note", "payment"})
ANCHOR_DUE_DATE, ANCHOR_ISSUE_DATE = "due_date", "issue_date"

NO_SCENARIO, ON_HOLD, SETTLED = "no scenario", "on hold", "settled"
BELOW_THRESHOLD, REFERENCE_CHANGED = "below threshold", "reference changed"
SCENARIO_CHANGED, ALREADY_DUE = "scenario changed", "already due"

BY_ANCHOR, BY_CONTACT_DELAY = "anchor", "contact_delay"
BY_PREVIOUS_STEP, BY_REPEAT = "previous_step", "repeat"

ZERO = Decimal("0")
WorkingDay = Callable[[date], bool]


# --- inputs ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StepData:
    position: int
    name: str
    channel: str
    mode: str
    anchor: str = ANCHOR_DUE_DATE
    offset_days: int = 0
    id: int | None = None

    @property
    def is_contact(self) -> bool:
        return self.channel not in NON_CONTACT_CHANNELS

    @property
    def is_preventive(self) -> bool:
        return self.anchor == ANCHOR_DUE_DATE and self.offset_days < 0


@dataclass(frozen=True, slots=True)
class ScenarioData:
    id: int
    steps: tuple[StepData, ...]  # ordered by position
    min_contact_days: int = 7
    min_amount: Decimal = Decimal("0.01")
    repeat_last_every_days: int = 0
    lookahead_days: int = 7
    promise_grace_days: int = 3


@dataclass(frozen=True, slots=True)
class ItemData:
    id: int
    kind: str
    number: str
    issue_date: date
    due_date: date | None
    open_amount: Decimal
    currency: str
    disputed: bool = False
    blocked: bool = False
    promise_date: date | None = None
    payment_pending: bool = False  # paid online, awaiting reconciliation


@dataclass(frozen=True, slots=True)
class ActionData:
    """An action as the planner sees it; a new action has a negative provisional id."""

    id: int
    scenario_id: int
    reference_id: int
    step_position: int
    status: str
    created_on: date
    due_date: date
    channel: str
    mode: str
    finished_on: date | None = None
    reason: str = ""
    # A user chose its due date, or it replaces a bounced email (due the day of the
    # bounce): the engine keeps it.
    rescheduled: bool = False

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES


@dataclass(frozen=True, slots=True)
class CustomerState:
    """One customer at D: `items` are its open items, `actions` its open actions and the
    finished actions of its open invoices' cycles; `last_contact_on` the finish date of its
    last contact known beyond `actions` (older cycles), if any; `paused` when an email
    reply of theirs waits for a collector (docs/engine.md, "A reply pauses the automatic
    messages"): their automatic actions are not executed."""

    id: int
    scenario: ScenarioData | None
    items: tuple[ItemData, ...] = ()
    actions: tuple[ActionData, ...] = ()
    on_hold: bool = False
    last_contact_on: date | None = None
    paused: bool = False


# --- decisions ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cancel:
    action_id: int
    reason: str


@dataclass(frozen=True, slots=True)
class Create:
    """A new action of `step` for the cycle (scenario, reference); `status` is `skipped`
    (with `reason`) for a preventive step that is already due."""

    action_id: int  # provisional, negative
    scenario_id: int
    reference_id: int
    step: StepData
    status: str
    due_date: date
    planned_by: str
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Skip:
    """An open action of the current cycle closed `skipped` on D: a preventive action still
    open on or after R's due date (amendment 1, rule 3)."""

    action_id: int
    reason: str


@dataclass(frozen=True, slots=True)
class UpdateDueDate:
    action_id: int
    due_date: date
    planned_by: str


@dataclass(frozen=True, slots=True)
class Execute:
    action_id: int


Decision = Cancel | Skip | Create | UpdateDueDate | Execute


# --- the account: dunnable invoices, reference, amount at stake -------------------------


def promise_active(item: ItemData, day: date, grace_days: int) -> bool:
    return item.promise_date is not None and day <= item.promise_date + timedelta(grace_days)


def dunnable_invoices(items: Iterable[ItemData], day: date, grace_days: int) -> list[ItemData]:
    return [
        item
        for item in items
        if item.kind == INVOICE
        and item.open_amount > 0
        and item.due_date is not None
        and not item.disputed
        and not item.blocked
        and not item.payment_pending
        and (item.promise_date is None or not promise_active(item, day, grace_days))
    ]


def reference_invoice(dunnable: Iterable[ItemData]) -> ItemData | None:
    """The earliest due date; ties: earliest issue date, then number."""
    return min(dunnable, key=lambda i: (i.due_date, i.issue_date, i.number), default=None)


def credits_total(items: Iterable[ItemData], currency: str) -> Decimal:
    return sum(
        (i.open_amount for i in items if i.kind in CREDIT_KINDS and i.currency == currency),
        ZERO,
    )


def amount_at_stake(
    items: Sequence[ItemData], dunnable: Sequence[ItemData], ref: ItemData, day: date
) -> Decimal:
    """Dunnable invoices in R's currency due on or before max(D, R.due_date), minus the
    credits in that currency, floored at 0."""
    horizon = max(day, ref.due_date)
    owed = sum(
        (i.open_amount for i in dunnable if i.currency == ref.currency and i.due_date <= horizon),
        ZERO,
    )
    return max(owed - credits_total(items, ref.currency), ZERO)


def choose_scenario_id(
    override_id: int | None, segment_scenario_ids: Sequence[int], default_id: int | None
) -> int | None:
    """The customer's own scenario, else the first matching segment's (ordered by priority
    by the caller), else the entity's default, else none."""
    if override_id is not None:
        return override_id
    if segment_scenario_ids:
        return segment_scenario_ids[0]
    return default_id


# --- dates ----------------------------------------------------------------------------


def timing(action: ActionData, day: date) -> str:
    """`upcoming` while the due date is ahead, `due` on it, `late` after it."""
    if action.due_date > day:
        return "upcoming"
    return "due" if action.due_date == day else "late"


def next_working_day(day: date, is_working_day: WorkingDay) -> date:
    for _ in range(366):
        if is_working_day(day):
            return day
        day += timedelta(1)
    raise ValueError("no working day within a year")


def anchor_date(step: StepData, ref: ItemData) -> date:
    base = ref.issue_date if step.anchor == ANCHOR_ISSUE_DATE else ref.due_date
    return base + timedelta(step.offset_days)


def last_contact_on(state: CustomerState) -> date | None:
    dates = [
        a.finished_on
        for a in state.actions
        if a.status in CONTACT_DONE_STATUSES
        and a.channel not in NON_CONTACT_CHANNELS
        and a.finished_on is not None
    ]
    if state.last_contact_on is not None:
        dates.append(state.last_contact_on)
    return max(dates, default=None)


def _finished_on(cycle: Sequence[ActionData], position: int) -> date | None:
    dates = [a.finished_on for a in cycle if a.step_position == position and a.is_finished]
    return max(dates, default=None)


def planned_date(
    state: CustomerState,
    cycle: Sequence[ActionData],
    index: int,
    ref: ItemData,
    is_working_day: WorkingDay,
) -> tuple[date, str]:
    """P for the step at `index` of the scenario and the rule that set it: the latest of the
    anchor date, the last contact + the minimum delay (contact steps), the previous step's
    finish (a repeat: the last one + the repeat delay), moved to a working day."""
    scenario = state.scenario
    step = scenario.steps[index]
    candidates = [(anchor_date(step, ref), BY_ANCHOR)]
    last = last_contact_on(state)
    if step.is_contact and last is not None:
        candidates.append((last + timedelta(scenario.min_contact_days), BY_CONTACT_DELAY))
    repeated = _finished_on(cycle, step.position)
    if repeated is not None:  # past the last step, the last step again
        candidates.append((repeated + timedelta(scenario.repeat_last_every_days), BY_REPEAT))
    elif index > 0:
        previous = _finished_on(cycle, scenario.steps[index - 1].position)
        if previous is not None:
            candidates.append((previous, BY_PREVIOUS_STEP))
    # Ties go to the earliest rule listed: the anchor explains the most.
    best = max(candidates, key=lambda candidate: candidate[0])
    return next_working_day(best[0], is_working_day), best[1]


def _recency(action: ActionData) -> tuple:
    """Sort key, most recent last: finish, creation, then id (a provisional id, negative
    and decreasing, is newer than any id the database gave)."""
    return (action.finished_on or date.min, action.created_on, action.id < 0, abs(action.id))


def latest_finished(cycle: Sequence[ActionData], position: int) -> ActionData | None:
    """The most recent finished action of the step at `position` (cancelled ones ignored)."""
    finished = [a for a in cycle if a.step_position == position and a.is_finished]
    return max(finished, key=_recency, default=None)


def repeats(scenario: ScenarioData, cycle: Sequence[ActionData]) -> bool:
    """Whether the last step comes again: repeat on, and its most recent action reached the
    customer (`sent` or `done`); after a skip the cycle has nothing more to do."""
    if not scenario.steps or scenario.repeat_last_every_days <= 0:
        return False
    latest = latest_finished(cycle, scenario.steps[-1].position)
    return latest is not None and latest.status in CONTACT_DONE_STATUSES


def next_step_index(scenario: ScenarioData, cycle: Sequence[ActionData]) -> int | None:
    """The first step without a finished action; past the last step, the last step again
    when it repeats (`repeats`); else None (the cycle is over)."""
    done = {a.step_position for a in cycle if a.is_finished}
    for index, step in enumerate(scenario.steps):
        if step.position not in done:
            return index
    return len(scenario.steps) - 1 if repeats(scenario, cycle) else None


# --- one customer ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Situation:
    """What the account says at D: the reference invoice, or why there is nothing to do."""

    reference: ItemData | None
    stop_reason: str = ""


def situation(state: CustomerState, day: date) -> Situation:
    if state.scenario is None:
        return Situation(None, NO_SCENARIO)
    if state.on_hold:
        return Situation(None, ON_HOLD)
    dunnable = dunnable_invoices(state.items, day, state.scenario.promise_grace_days)
    ref = reference_invoice(dunnable)
    if ref is None:
        return Situation(None, SETTLED)
    if amount_at_stake(state.items, dunnable, ref, day) < state.scenario.min_amount:
        return Situation(None, BELOW_THRESHOLD)
    return Situation(ref)


def is_executable(action: ActionData, day: date) -> bool:
    """An automatic action the engine sends itself once due."""
    if action.due_date > day or action.channel in MANUAL_ONLY_CHANNELS:
        return False
    if action.status == PLANNED:
        return action.mode == AUTO
    return action.status == CONFIRMED and action.mode == AUTO_CONFIRM


def _cycle(state: CustomerState, ref: ItemData) -> list[ActionData]:
    return [
        a for a in state.actions if a.scenario_id == state.scenario.id and a.reference_id == ref.id
    ]


def _step_index(scenario: ScenarioData, position: int) -> int | None:
    return next((i for i, s in enumerate(scenario.steps) if s.position == position), None)


def _keep_open(
    state: CustomerState, action: ActionData, ref: ItemData, day: date, wd: WorkingDay
) -> list[Decision]:
    """The open action of the current cycle: its due date recomputed while `planned` (unless
    a user rescheduled it), and its execution once due, unless a reply pauses the customer
    (the action then stays open, due, for the first run after the pause)."""
    decisions: list[Decision] = []
    index = _step_index(state.scenario, action.step_position)
    # An action created by this call (a provisional id) is due as it was just planned.
    fresh = action.id < 0
    if action.status == PLANNED and index is not None and not action.rescheduled and not fresh:
        cycle = [a for a in _cycle(state, ref) if a.id != action.id]
        planned, rule = planned_date(state, cycle, index, ref, wd)
        due = max(planned, action.created_on)
        if due != action.due_date:
            decisions.append(UpdateDueDate(action.id, due, rule))
            action = replace(action, due_date=due)
    if is_executable(action, day) and not state.paused:
        decisions.append(Execute(action.id))
    return decisions


def _create_next(
    state: CustomerState, ref: ItemData, day: date, wd: WorkingDay, new_id: int
) -> list[Decision]:
    """The next step's action once its P is within the lookahead; a preventive step that
    becomes next on or after R's due date is recorded `skipped`, created, due and finished
    on D (amendment 1, rule 2)."""
    scenario = state.scenario
    cycle = _cycle(state, ref)
    index = next_step_index(scenario, cycle)
    if index is None:
        return []
    planned, rule = planned_date(state, cycle, index, ref, wd)
    if planned > day + timedelta(scenario.lookahead_days):
        return []
    step = scenario.steps[index]
    if step.is_preventive and day >= ref.due_date:
        return [Create(new_id, scenario.id, ref.id, step, SKIPPED, day, rule, ALREADY_DUE)]
    status = TO_CONFIRM if step.mode == AUTO_CONFIRM else PLANNED
    return [Create(new_id, scenario.id, ref.id, step, status, max(planned, day), rule)]


def _too_late(state: CustomerState, open_actions, ref: ItemData, day: date) -> list[Decision]:
    """Open preventive actions of the current cycle on or after R's due date: skipped, so
    that a preventive message never leaves late (amendment 1, rule 3)."""
    if day < ref.due_date:
        return []
    steps = {step.position: step for step in state.scenario.steps}
    return [
        Skip(a.id, ALREADY_DUE)
        for a in open_actions
        if a.step_position in steps and steps[a.step_position].is_preventive
    ]


def decide(
    state: CustomerState,
    day: date,
    wd: WorkingDay,
    new_id: int = -1,
    found: Situation | None = None,
) -> list[Decision]:
    """One round of decisions for `state` at `day` (empty: nothing changes), in the
    contract's order: cancellations, preventive skips, then the open action or the next.
    `found`: the customer's situation at `day`, when the caller has it already."""
    open_actions = [a for a in state.actions if a.is_open]
    found = found or situation(state, day)
    if found.reference is None:
        return [Cancel(a.id, found.stop_reason) for a in open_actions]
    ref = found.reference
    stale = [
        Cancel(a.id, SCENARIO_CHANGED if a.scenario_id != state.scenario.id else REFERENCE_CHANGED)
        for a in open_actions
        if a.scenario_id != state.scenario.id or a.reference_id != ref.id
    ]
    if stale:
        return stale
    skips = _too_late(state, open_actions, ref, day)
    if skips:
        return skips
    if open_actions:
        return _keep_open(state, open_actions[0], ref, day, wd)
    return _create_next(state, ref, day, wd, new_id)


class PlanningError(RuntimeError):
    """The planner broke its own termination bound: a bug, reported for this customer only
    (the runner records it and goes on with the others)."""


def max_rounds(scenario: ScenarioData | None) -> int:
    """The bound proven in `plan_customer`: one round per step, plus five."""
    return len(scenario.steps if scenario else ()) + 5


def plan_customer(
    state: CustomerState, day: date, is_working_day: WorkingDay, *, first_new_id: int = -1
) -> list[Decision]:
    """Every decision for `state` at `day`, round after round until nothing changes or an
    open action is settled for the day (executed, due date moved, or left as it is).

    Termination, for any input. The items never change during a call, so R and the amount
    at stake do not either. A round is one of:
    (a) cancellations for want of a reference (no scenario, hold, settled, threshold): every
        open action closes, and the next round finds nothing to do;
    (b) cancellations of other cycles' open actions: afterwards every open action belongs
        to the current cycle, and every action created later does too, so (b) happens once;
    (c) preventive skips (rule 3): they close every open preventive action when D >= R's
        due date, and a creation on such a day is never an open preventive action (rule 2
        records it skipped), so (c) happens once;
    (d) a creation recorded `skipped`: it finishes one step. Let u be the number of steps
        without a finished action and r = 1 if the last step repeats (`repeats`), else 0:
        (d) lowers u by one, or, past the last step, turns r from 1 to 0; no round raises
        u + r (only `sent` and `done`, which the runner applies, can turn r back to 1);
        so (d) happens at most len(steps) + 1 times;
    (e) a creation of an open action: the next round is (f);
    (f) the open action of the current cycle kept (due date, execution): the call ends.
    Hence at most len(steps) + 5 rounds (`max_rounds`): (b), (c), (d) n + 1 times, (e),
    (f). Exceeding it raises PlanningError, which the runner records for this customer."""
    decisions: list[Decision] = []
    new_id = first_new_id
    # The items, the scenario and the hold never change during a call: nor does this.
    found = situation(state, day)
    for _ in range(max_rounds(state.scenario)):
        round_ = decide(state, day, is_working_day, new_id, found)
        if not round_:
            return decisions
        decisions += round_
        if any(isinstance(d, Execute | UpdateDueDate) for d in round_):
            return decisions
        state = apply_decisions(state, round_, day)
        new_id -= sum(isinstance(d, Create) for d in round_)
    raise PlanningError(f"customer {state.id}: no stable plan on {day.isoformat()}")


# --- applying decisions and outcomes to the plain state --------------------------------


def _created(decision: Create, day: date) -> ActionData:
    finished = day if decision.status in FINISHED_STATUSES else None
    return ActionData(
        id=decision.action_id,
        scenario_id=decision.scenario_id,
        reference_id=decision.reference_id,
        step_position=decision.step.position,
        status=decision.status,
        created_on=day,
        due_date=decision.due_date,
        channel=decision.step.channel,
        mode=decision.step.mode,
        finished_on=finished,
        reason=decision.reason,
    )


def apply_decisions(state: CustomerState, decisions: Sequence[Decision], day: date):
    """`state` after the writes of `decisions` (executions change nothing yet)."""
    actions = {a.id: a for a in state.actions}
    for decision in decisions:
        if isinstance(decision, Cancel | Skip):
            actions[decision.action_id] = replace(
                actions[decision.action_id],
                status=CANCELLED if isinstance(decision, Cancel) else SKIPPED,
                finished_on=day,
                reason=decision.reason,
            )
        elif isinstance(decision, UpdateDueDate):
            actions[decision.action_id] = replace(
                actions[decision.action_id], due_date=decision.due_date
            )
        elif isinstance(decision, Create):
            actions[decision.action_id] = _created(decision, day)
    return replace(state, actions=tuple(actions.values()))


def apply_outcome(state: CustomerState, action_id: int, status: str, day: date) -> CustomerState:
    """`state` after the execution of `action_id` ended as `status` (`sent` or `error`)."""
    finished = day if status in FINISHED_STATUSES else None
    actions = tuple(
        replace(a, status=status, finished_on=finished) if a.id == action_id else a
        for a in state.actions
    )
    return replace(state, actions=actions)


def renumber(state: CustomerState, ids: dict[int, int]) -> CustomerState:
    """`state` with provisional ids replaced by the ids the database gave."""
    actions = tuple(replace(a, id=ids.get(a.id, a.id)) for a in state.actions)
    return replace(state, actions=actions)
