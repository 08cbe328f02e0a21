"""A pure replay of the planner, day by day, for one customer: the planner's decisions are
applied to plain data and every execution succeeds (or fails, when told). No database."""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from relance.engine import planner
from relance.engine.planner import (
    ActionData,
    Create,
    CustomerState,
    Execute,
    ItemData,
    ScenarioData,
    StepData,
)


def every_day(day: date) -> bool:
    return True


def d(month: int, day: int) -> date:
    return date(2026, month, day)


# The spec's scenario S and scenario R2.
SCENARIO_S = ScenarioData(
    id=1,
    steps=(
        StepData(1, "courtesy", "email", "auto", "due_date", -5),
        StepData(2, "first", "email", "auto", "due_date", 3),
        StepData(3, "second", "email", "auto", "due_date", 15),
        StepData(4, "notice", "registered_letter", "manual", "due_date", 30),
    ),
)
SCENARIO_R2 = ScenarioData(
    id=2,
    repeat_last_every_days=10,
    lookahead_days=0,
    steps=(
        StepData(1, "first", "email", "auto", "due_date", 3),
        StepData(2, "final", "email", "auto", "due_date", 10),
    ),
)


def invoice(pk: int, number: str, due: date, issue: date | None = None, **kw) -> ItemData:
    return ItemData(
        id=pk,
        kind="invoice",
        number=number,
        issue_date=issue or due - timedelta(30),
        due_date=due,
        open_amount=kw.pop("open_amount", Decimal("1000")),
        currency=kw.pop("currency", "EUR"),
        **kw,
    )


def credit(pk: int, number: str, amount: str, *, kind: str = "credit_note", currency="EUR"):
    return ItemData(pk, kind, number, d(1, 1), None, Decimal(amount), currency)


@dataclass
class World:
    """One customer's account and actions, replayed with `run` (one engine run) per day."""

    scenario: ScenarioData | None
    items: dict[int, ItemData] = field(default_factory=dict)
    actions: dict[int, ActionData] = field(default_factory=dict)
    on_hold: bool = False
    paused: bool = False  # an email reply waits for a collector
    is_working_day: Callable[[date], bool] = every_day
    fail: Callable[[ActionData], bool] = lambda action: False
    next_id: int = 1
    sent: list[tuple[date, int]] = field(default_factory=list)

    def add(self, *items: ItemData) -> None:
        self.items.update({item.id: item for item in items})

    def change(self, pk: int, **changes) -> None:
        self.items[pk] = replace(self.items[pk], **changes)

    def state(self) -> CustomerState:
        open_items = tuple(item for item in self.items.values() if item.open_amount > 0)
        return CustomerState(
            1,
            self.scenario,
            open_items,
            tuple(self.actions.values()),
            self.on_hold,
            paused=self.paused,
        )

    def run(self, day: date) -> list:
        """One run at `day`, as the runner does it: plan, write, execute, plan again."""
        state, all_decisions = self.state(), []
        for _ in range(50):
            decisions = planner.plan_customer(state, day, self.is_working_day)
            if not decisions:
                break
            all_decisions += decisions
            ids = {}
            for decision in decisions:
                if isinstance(decision, Create):
                    ids[decision.action_id] = self.next_id
                    self.next_id += 1
            state = planner.renumber(planner.apply_decisions(state, decisions, day), ids)
            executed = [
                ids.get(x.action_id, x.action_id) for x in decisions if isinstance(x, Execute)
            ]
            for pk in executed:
                action = next(a for a in state.actions if a.id == pk)
                status = "error" if self.fail(action) else "sent"
                if status == "sent":
                    self.sent.append((day, pk))
                state = planner.apply_outcome(state, pk, status, day)
            if not executed:
                break
        self.actions = {a.id: a for a in state.actions}
        return all_decisions

    def replay(self, start: date, end: date, events: dict | None = None) -> None:
        """A run every day from `start` to `end`; `events[day](world)` happens before it."""
        events = events or {}
        day = start
        while day <= end:
            if day in events:
                events[day](self)
            self.run(day)
            day += timedelta(1)

    def step_name(self, action: ActionData) -> str:
        scenario = self.scenario
        return next(s.name for s in scenario.steps if s.position == action.step_position)

    def history(self) -> list[tuple]:
        """(step, reference, status, created_on, due_date, finished_on, reason) by id."""
        return [
            (
                self.step_name(a),
                self.items[a.reference_id].number,
                a.status,
                a.created_on,
                a.due_date,
                a.finished_on,
                a.reason,
            )
            for a in sorted(self.actions.values(), key=lambda a: a.id)
        ]
