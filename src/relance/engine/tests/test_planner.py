"""The planner without a database: the spec's examples A–F replayed day by day from January
to March 2026 (every day a working day), then one test per rule."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import holidays
import pytest

from relance.engine import planner
from relance.engine.planner import ActionData, CustomerState, ScenarioData, StepData
from relance.engine.tests.simulation import (
    SCENARIO_R2,
    SCENARIO_S,
    World,
    credit,
    d,
    invoice,
)

START, END = d(1, 1), d(3, 31)


# --- the spec's examples ----------------------------------------------------------------


def test_example_a_every_step_in_turn_then_a_manual_notice():
    world = World(SCENARIO_S)
    world.add(invoice(1, "A1", d(1, 31), issue=d(1, 1)))
    world.replay(START, END)
    assert world.history() == [
        ("courtesy", "A1", "sent", d(1, 19), d(1, 26), d(1, 26), ""),
        ("first", "A1", "sent", d(1, 27), d(2, 3), d(2, 3), ""),
        ("second", "A1", "sent", d(2, 8), d(2, 15), d(2, 15), ""),
        ("notice", "A1", "planned", d(2, 23), d(3, 2), None, ""),
    ]
    notice = world.actions[4]
    assert planner.timing(notice, d(3, 1)) == "upcoming"
    assert planner.timing(notice, d(3, 2)) == "due"
    assert planner.timing(notice, d(3, 3)) == "late"
    assert [day for day, _pk in world.sent] == [d(1, 26), d(2, 3), d(2, 15)]


def test_example_b_a_payment_cancels_the_open_action_settled():
    world = World(SCENARIO_S)
    world.add(invoice(1, "A1", d(1, 31), issue=d(1, 1)))
    world.replay(START, END, {d(2, 10): lambda w: w.change(1, open_amount=Decimal("0"))})
    assert world.history() == [
        ("courtesy", "A1", "sent", d(1, 19), d(1, 26), d(1, 26), ""),
        ("first", "A1", "sent", d(1, 27), d(2, 3), d(2, 3), ""),
        ("second", "A1", "cancelled", d(2, 8), d(2, 15), d(2, 10), "settled"),
    ]


def test_example_c_a_late_newcomer_skips_sends_and_creates_in_one_run():
    world = World(SCENARIO_S)
    world.replay(START, END, {d(3, 1): lambda w: w.add(invoice(1, "C1", d(1, 31)))})
    assert world.history() == [
        ("courtesy", "C1", "skipped", d(3, 1), d(3, 1), d(3, 1), "already due"),
        ("first", "C1", "sent", d(3, 1), d(3, 1), d(3, 1), ""),
        ("second", "C1", "sent", d(3, 1), d(3, 8), d(3, 8), ""),
        ("notice", "C1", "planned", d(3, 8), d(3, 15), None, ""),
    ]


def test_example_d_a_dispute_switches_the_reference_and_back():
    world = World(SCENARIO_S)
    world.add(invoice(1, "D1", d(1, 31)), invoice(2, "D2", d(2, 20)))
    events = {
        d(2, 10): lambda w: w.change(1, disputed=True),
        d(3, 1): lambda w: w.change(1, disputed=False),
    }
    world.replay(START, END, events)
    assert world.history() == [
        ("courtesy", "D1", "sent", d(1, 19), d(1, 26), d(1, 26), ""),
        ("first", "D1", "sent", d(1, 27), d(2, 3), d(2, 3), ""),
        ("second", "D1", "cancelled", d(2, 8), d(2, 15), d(2, 10), "reference changed"),
        ("courtesy", "D2", "sent", d(2, 10), d(2, 15), d(2, 15), ""),
        ("first", "D2", "sent", d(2, 16), d(2, 23), d(2, 23), ""),
        ("second", "D2", "cancelled", d(2, 28), d(3, 7), d(3, 1), "reference changed"),
        ("second", "D1", "sent", d(3, 1), d(3, 2), d(3, 2), ""),
        # Not in the spec, from its rules: P = max(03-03, 03-02 + 7, 03-02).
        ("notice", "D1", "planned", d(3, 2), d(3, 9), None, ""),
    ]


def test_example_e_a_credit_note_brings_the_amount_at_stake_to_zero():
    world = World(SCENARIO_S)
    world.add(invoice(1, "A1", d(1, 31), issue=d(1, 1)))
    world.replay(START, END, {d(2, 1): lambda w: w.add(credit(2, "AV1", "1000"))})
    assert world.history() == [
        ("courtesy", "A1", "sent", d(1, 19), d(1, 26), d(1, 26), ""),
        ("first", "A1", "cancelled", d(1, 27), d(2, 3), d(2, 1), "below threshold"),
    ]


def test_example_f_the_last_step_repeats_until_settled():
    world = World(SCENARIO_R2)
    world.add(invoice(1, "F1", d(1, 31)))
    world.replay(START, END)
    sent = [(world.step_name(world.actions[pk]), day) for day, pk in world.sent]
    assert sent == [
        ("first", d(2, 3)),
        ("final", d(2, 10)),
        ("final", d(2, 20)),
        ("final", d(3, 2)),
        ("final", d(3, 12)),
        ("final", d(3, 22)),
    ]
    assert all(a.created_on == a.due_date == a.finished_on for a in world.actions.values())


def test_example_f_stops_when_settled():
    world = World(SCENARIO_R2)
    world.add(invoice(1, "F1", d(1, 31)))
    world.replay(START, END, {d(3, 5): lambda w: w.change(1, open_amount=Decimal("0"))})
    assert [day for day, _pk in world.sent] == [d(2, 3), d(2, 10), d(2, 20), d(3, 2)]
    assert not [a for a in world.actions.values() if a.is_open]


# --- the account ------------------------------------------------------------------------


def test_a_promise_holds_the_invoice_until_the_grace_days_are_over():
    item = invoice(1, "P1", d(1, 31), promise_date=d(2, 10))
    assert planner.dunnable_invoices([item], d(2, 13), grace_days=3) == []
    assert planner.dunnable_invoices([item], d(2, 14), grace_days=3) == [item]


def test_disputed_blocked_paid_online_and_settled_invoices_are_not_dunnable():
    items = [
        invoice(1, "X1", d(1, 31), disputed=True),
        invoice(2, "X2", d(1, 31), blocked=True),
        invoice(3, "X3", d(1, 31), open_amount=Decimal("0")),
        invoice(5, "X5", d(1, 31), payment_pending=True),
        credit(4, "AV1", "10"),
    ]
    assert planner.dunnable_invoices(items, d(2, 1), grace_days=3) == []


def test_the_reference_is_the_earliest_due_then_issued_then_number():
    a = invoice(1, "B", d(1, 31), issue=d(1, 2))
    b = invoice(2, "A", d(1, 31), issue=d(1, 2))
    c = invoice(3, "0", d(1, 31), issue=d(1, 3))
    e = invoice(4, "Z", d(1, 30), issue=d(1, 20))
    assert planner.reference_invoice([a, b, c]) == b
    assert planner.reference_invoice([a, b, c, e]) == e
    assert planner.reference_invoice([]) is None


def test_credits_in_another_currency_are_ignored():
    ref = invoice(1, "I1", d(1, 31))
    items = [ref, credit(2, "AV1", "400"), credit(3, "AV2", "900", currency="USD")]
    items.append(credit(4, "PAY", "100", kind="payment"))
    assert planner.amount_at_stake(items, [ref], ref, d(2, 1)) == Decimal("500")


def test_the_amount_at_stake_counts_invoices_due_by_max_of_d_and_r_due_and_floors_at_zero():
    ref = invoice(1, "I1", d(1, 31))
    later = invoice(2, "I2", d(2, 20))
    other = invoice(3, "I3", d(1, 31), currency="USD")
    dunnable = [ref, later, other]
    assert planner.amount_at_stake(dunnable, dunnable, ref, d(1, 25)) == Decimal("1000")
    assert planner.amount_at_stake(dunnable, dunnable, ref, d(2, 20)) == Decimal("2000")
    items = [*dunnable, credit(4, "AV", "5000")]
    assert planner.amount_at_stake(items, dunnable, ref, d(2, 20)) == Decimal("0")


def test_below_min_amount_cancels_and_creates_nothing():
    scenario = ScenarioData(1, SCENARIO_S.steps, min_amount=Decimal("50"))
    world = World(scenario)
    world.add(invoice(1, "I1", d(1, 31), open_amount=Decimal("49.99")))
    world.replay(d(1, 1), d(3, 1))
    assert world.actions == {}
    world.change(1, open_amount=Decimal("50"))
    world.run(d(3, 2))
    assert [a.status for a in world.actions.values()] == ["skipped", "sent", "planned"]


def test_the_scenario_comes_from_the_customer_then_segments_then_the_entity():
    assert planner.choose_scenario_id(7, [3, 4], 1) == 7
    assert planner.choose_scenario_id(None, [3, 4], 1) == 3
    assert planner.choose_scenario_id(None, [], 1) == 1
    assert planner.choose_scenario_id(None, [], None) is None


# --- dates ------------------------------------------------------------------------------


FR_HOLIDAYS = holidays.country_holidays("FR", years=2026)


def french_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in FR_HOLIDAYS


def test_a_weekend_moves_the_planned_date_to_monday():
    # Due Wed 2026-01-28: `first` at +3 is Sat 01-31, moved to Mon 02-02.
    world = World(SCENARIO_S, is_working_day=french_working_day)
    world.add(invoice(1, "W1", d(1, 28)))
    world.replay(d(1, 1), d(2, 5))
    first = world.actions[2]
    assert (first.due_date, first.finished_on) == (d(2, 2), d(2, 2))


def test_a_french_public_holiday_is_not_a_working_day():
    # Due Fri 2026-04-03: `first` at +3 is Easter Monday 04-06, moved to Tue 04-07.
    world = World(SCENARIO_S, is_working_day=french_working_day)
    world.add(invoice(1, "H1", date(2026, 4, 3)))
    world.replay(d(3, 20), date(2026, 4, 10))
    courtesy, first = world.actions[1], world.actions[2]
    assert courtesy.due_date == date(2026, 3, 30)  # 03-29 is a Sunday
    assert (first.due_date, first.finished_on) == (date(2026, 4, 7), date(2026, 4, 7))


def test_the_planned_by_rule_names_the_latest_date():
    world = World(SCENARIO_S)
    world.add(invoice(1, "C1", d(1, 31)))
    decisions = world.run(d(3, 1))
    creates = [x for x in decisions if isinstance(x, planner.Create)]
    assert [(x.step.name, x.planned_by) for x in creates] == [
        ("courtesy", "anchor"),
        ("first", "previous_step"),
        ("second", "contact_delay"),
    ]


def test_a_task_is_not_a_contact_and_does_not_wait_for_the_contact_delay():
    steps = (
        StepData(1, "first", "email", "auto", "due_date", 3),
        StepData(2, "check", "task", "manual", "due_date", 4),
    )
    world = World(ScenarioData(1, steps))
    world.add(invoice(1, "T1", d(1, 31)))
    world.replay(d(1, 20), d(2, 3))
    assert world.actions[2].due_date == d(2, 4)


# --- actions ----------------------------------------------------------------------------


def test_repeat_off_ends_the_cycle_after_the_last_step():
    scenario = ScenarioData(1, SCENARIO_R2.steps, lookahead_days=0)
    world = World(scenario)
    world.add(invoice(1, "F1", d(1, 31)))
    world.replay(START, END)
    assert [day for day, _pk in world.sent] == [d(2, 3), d(2, 10)]


def test_auto_confirm_waits_for_a_user_then_is_sent():
    steps = (StepData(1, "first", "email", "auto_confirm", "due_date", 3),)
    world = World(ScenarioData(1, steps))
    world.add(invoice(1, "I1", d(1, 31)))
    world.replay(d(1, 20), d(2, 10))
    action = world.actions[1]
    assert (action.status, action.created_on, action.due_date) == ("to_confirm", d(1, 27), d(2, 3))
    assert world.sent == []
    world.actions[1] = ActionData(**{**_fields(action), "status": "confirmed"})
    world.run(d(2, 11))
    assert world.actions[1].status == "sent"
    assert world.sent == [(d(2, 11), 1)]


def test_a_confirmed_action_waits_for_its_due_date():
    steps = (StepData(1, "first", "email", "auto_confirm", "due_date", 3),)
    world = World(ScenarioData(1, steps))
    world.add(invoice(1, "I1", d(1, 31)))
    world.run(d(1, 27))
    world.actions[1] = ActionData(**{**_fields(world.actions[1]), "status": "confirmed"})
    world.replay(d(1, 28), d(2, 2))
    assert world.sent == []
    world.run(d(2, 3))
    assert world.sent == [(d(2, 3), 1)]


def test_manual_actions_are_never_executed():
    steps = (StepData(1, "call", "call", "manual", "due_date", 3),)
    world = World(ScenarioData(1, steps))
    world.add(invoice(1, "I1", d(1, 31)))
    world.replay(START, END)
    assert world.sent == []
    assert world.actions[1].status == "planned"


def test_an_error_stays_open_and_blocks_the_next_step():
    world = World(SCENARIO_S, fail=lambda action: action.step_position == 2)
    world.add(invoice(1, "I1", d(1, 31)))
    world.replay(START, END)
    assert [a.status for a in world.actions.values()] == ["sent", "error"]


def test_on_hold_and_no_scenario_cancel_with_their_reason():
    world = World(SCENARIO_S)
    world.add(invoice(1, "I1", d(1, 31)))
    world.run(d(1, 20))
    world.on_hold = True
    world.run(d(1, 21))
    assert (world.actions[1].status, world.actions[1].reason) == ("cancelled", "on hold")
    world.on_hold = False
    world.run(d(1, 22))
    world.scenario = None
    assert planner.plan_customer(world.state(), d(1, 23), lambda day: True) == [
        planner.Cancel(2, "no scenario")
    ]


def test_a_new_scenario_cancels_the_open_action_scenario_changed():
    world = World(SCENARIO_S)
    world.add(invoice(1, "I1", d(1, 31)))
    world.run(d(1, 20))
    world.scenario = SCENARIO_R2
    world.run(d(1, 21))
    assert (world.actions[1].status, world.actions[1].reason) == ("cancelled", "scenario changed")
    assert len(world.actions) == 1  # R2's `first` is not within its lookahead yet


def test_a_preventive_step_is_created_before_the_due_date_and_not_skipped():
    world = World(SCENARIO_S)
    world.run(d(1, 30))
    world.add(invoice(1, "I1", d(1, 31)))
    world.run(d(1, 30))
    # Created (not skipped) the day before the due date, and sent at once: it is due.
    assert world.history()[0] == ("courtesy", "I1", "sent", d(1, 30), d(1, 30), d(1, 30), "")


def test_a_planned_due_date_follows_a_contact_made_elsewhere():
    """The open action's due date is recomputed each run while `planned`."""
    world = World(SCENARIO_S)
    world.add(invoice(1, "I1", d(1, 31)))
    world.run(d(1, 27))  # courtesy created late (due 01-27) and sent; `first` due 02-03
    world.run(d(1, 28))
    first = next(a for a in world.actions.values() if a.step_position == 2)
    assert first.due_date == d(2, 3)
    state = world.state()
    elsewhere = CustomerState(1, SCENARIO_S, state.items, state.actions, False, d(2, 1))
    decisions = planner.plan_customer(elsewhere, d(1, 29), lambda day: True)
    assert decisions == [planner.UpdateDueDate(first.id, d(2, 8), "contact_delay")]


def test_a_due_date_a_user_rescheduled_is_kept():
    """Rescheduled by hand: the engine no longer moves the date, it sends on that date."""
    world = World(SCENARIO_S)
    world.add(invoice(1, "I1", d(1, 31)))
    world.run(d(1, 27))
    first = next(a for a in world.actions.values() if a.step_position == 2)
    state = world.state()
    rescheduled = replace(first, due_date=d(2, 6), rescheduled=True)
    actions = tuple(rescheduled if a.id == first.id else a for a in state.actions)
    elsewhere = CustomerState(1, SCENARIO_S, state.items, actions, False, d(2, 1))

    assert planner.plan_customer(elsewhere, d(1, 29), lambda day: True) == []
    assert planner.plan_customer(elsewhere, d(2, 6), lambda day: True) == [
        planner.Execute(first.id)
    ]


def test_at_most_one_open_action_at_any_time():
    world = World(SCENARIO_S)
    world.add(invoice(1, "D1", d(1, 31)), invoice(2, "D2", d(2, 20)))
    day = START
    while day <= END:
        world.run(day)
        assert sum(a.is_open for a in world.actions.values()) <= 1
        day += timedelta(1)


def test_a_plan_past_its_proven_bound_raises_a_planning_error(monkeypatch):
    """Unreachable with the real bound (`plan_customer`'s docstring); the runner records the
    error for this customer alone (test_isolation.py)."""
    monkeypatch.setattr(planner, "max_rounds", lambda scenario: 1)
    world = World(SCENARIO_S)
    world.add(invoice(1, "C1", d(1, 31)))
    with pytest.raises(planner.PlanningError):
        planner.plan_customer(world.state(), d(3, 1), lambda day: True)


def _fields(action: ActionData) -> dict:
    return {name: getattr(action, name) for name in ActionData.__slots__}
