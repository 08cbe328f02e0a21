"""Amendment 1 of the contract (preventive steps, skips and repeats) on the pure planner:
its examples G and H replayed day by day, then one test per rule. No database."""

from dataclasses import replace
from datetime import date

from relance.engine import planner
from relance.engine.planner import ActionData, CustomerState, ScenarioData, StepData
from relance.engine.tests.simulation import SCENARIO_R2, SCENARIO_S, World, d, invoice

# Example G's scenario P1: one preventive registered letter, repeated every day.
SCENARIO_P1 = ScenarioData(
    id=3,
    repeat_last_every_days=1,
    steps=(StepData(1, "letter", "registered_letter", "auto", "due_date", -5),),
)
# Example H: scenario S whose `courtesy` is a manual call.
SCENARIO_H = replace(
    SCENARIO_S,
    steps=(replace(SCENARIO_S.steps[0], channel="call", mode="manual"), *SCENARIO_S.steps[1:]),
)


def may(day: int) -> date:
    return date(2026, 5, day)


# --- the amendment's examples -------------------------------------------------------------


def test_example_g_a_repeated_preventive_step_already_due_is_skipped_once_and_for_all():
    world = World(SCENARIO_P1)
    events = {may(6): lambda w: w.add(invoice(1, "G1", date(2026, 4, 29)))}
    world.replay(may(1), date(2026, 7, 31), events)  # before: planner looped, then raised
    assert world.history() == [
        ("letter", "G1", "skipped", may(6), may(6), may(6), "already due"),
    ]
    assert world.sent == []


def test_example_h_an_open_preventive_call_is_skipped_on_the_due_date():
    world = World(SCENARIO_H)
    world.add(invoice(1, "A1", d(1, 31), issue=d(1, 1)))
    world.replay(d(1, 1), d(1, 27))
    call = world.actions[1]
    assert (call.status, call.created_on, call.due_date) == ("planned", d(1, 19), d(1, 26))
    assert planner.timing(call, d(1, 27)) == "late"
    world.replay(d(1, 28), d(3, 31))
    assert world.history() == [
        ("courtesy", "A1", "skipped", d(1, 19), d(1, 26), d(1, 31), "already due"),
        # P = max(02-03, 01-31): the skipped call is not a contact.
        ("first", "A1", "sent", d(1, 31), d(2, 3), d(2, 3), ""),
        ("second", "A1", "sent", d(2, 8), d(2, 15), d(2, 15), ""),
        ("notice", "A1", "planned", d(2, 23), d(3, 2), None, ""),
    ]


# --- rule 2: the skip is decided when the step becomes next --------------------------------


def test_a_skipped_step_is_created_due_and_finished_on_the_run_day_not_on_its_p():
    """Courtesy's P is 03-06 (a contact elsewhere on 02-27 + 7), within the lookahead of
    03-01: recorded skipped on 03-01 with every date 03-01."""
    world = World(SCENARIO_S)
    world.add(invoice(1, "C1", d(1, 31)))
    state = replace(world.state(), last_contact_on=d(2, 27))
    decisions = planner.plan_customer(state, d(3, 1), lambda day: True)
    skip = decisions[0]
    assert (skip.status, skip.due_date, skip.reason) == ("skipped", d(3, 1), "already due")


ISSUE_THEN_PREVENTIVE = (
    StepData(1, "statement", "email", "auto", "issue_date", 40),
    StepData(2, "courtesy", "email", "auto", "due_date", -5),
)


def test_a_preventive_step_after_a_later_trigger_is_skipped_on_the_day_it_becomes_next():
    """`statement` (issue date + 40 = 02-10) is sent after the due date (01-31); `courtesy`
    becomes next with P = 02-17 (contact delay): with no lookahead it is decided, and
    skipped, on 02-17, not earlier; with a lookahead of 7, on 02-10 already."""
    for lookahead, created, decided in ((0, d(2, 10), d(2, 17)), (7, d(2, 3), d(2, 10))):
        world = World(ScenarioData(1, ISSUE_THEN_PREVENTIVE, lookahead_days=lookahead))
        world.add(invoice(1, "I1", d(1, 31), issue=d(1, 1)))
        world.replay(d(1, 1), d(3, 31))
        assert world.history() == [
            ("statement", "I1", "sent", created, d(2, 10), d(2, 10), ""),
            ("courtesy", "I1", "skipped", decided, decided, decided, "already due"),
        ]


# --- rule 3: a preventive action never leaves on or after the due date ---------------------


def _open_courtesy(status: str) -> CustomerState:
    action = ActionData(7, SCENARIO_S.id, 1, 1, status, d(1, 24), d(1, 31), "email", "auto")
    return CustomerState(1, SCENARIO_S, (invoice(1, "I1", d(1, 31)),), (action,))


def test_an_open_preventive_action_in_any_open_status_is_skipped_from_the_due_date():
    for status in ("planned", "to_confirm", "confirmed", "error"):
        before = planner.plan_customer(_open_courtesy(status), d(1, 30), lambda day: True)
        assert planner.Skip(7, "already due") not in before
        decisions = planner.plan_customer(_open_courtesy(status), d(1, 31), lambda day: True)
        assert decisions[0] == planner.Skip(7, "already due"), status
        # ... and the next step is created at once: `first` at 02-03.
        assert decisions[1].step.name == "first" and decisions[1].due_date == d(2, 3)


def test_cancellations_keep_their_own_reason_before_the_preventive_skip():
    state = _open_courtesy("planned")
    paid = replace(state, items=(replace(state.items[0], open_amount=0),))
    assert planner.plan_customer(paid, d(1, 31), lambda day: True) == [planner.Cancel(7, "settled")]
    moved = replace(state, scenario=replace(SCENARIO_R2, id=SCENARIO_S.id + 10))
    assert planner.plan_customer(moved, d(1, 31), lambda day: True)[0] == planner.Cancel(
        7, "scenario changed"
    )


def test_a_repeat_of_a_preventive_last_step_is_preventive():
    """Sent 01-26, 01-28 and 01-30 (every 2 days); the repeat created for 02-01 is skipped
    on the due date, and nothing comes after it."""
    steps = (StepData(1, "courtesy", "email", "auto", "due_date", -5),)
    world = World(ScenarioData(1, steps, repeat_last_every_days=2, min_contact_days=0))
    world.add(invoice(1, "I1", d(1, 31)))
    world.replay(d(1, 1), d(3, 31))
    assert [day for day, _pk in world.sent] == [d(1, 26), d(1, 28), d(1, 30)]
    last = world.history()[-1]
    assert last == ("courtesy", "I1", "skipped", d(1, 30), d(2, 1), d(1, 31), "already due")
    assert len(world.actions) == 4


# --- rule 5: repeats follow a step that reached the customer --------------------------------


def test_a_repeat_skipped_by_a_user_ends_the_cycle():
    """`final` sent 02-10, its repeat created 02-13 for 02-20 and skipped by a user on 02-15:
    the cycle has nothing more to do."""
    world = World(replace(SCENARIO_R2, lookahead_days=7))
    world.add(invoice(1, "F1", d(1, 31)))
    world.replay(d(1, 1), d(2, 15))
    open_repeat = next(a for a in world.actions.values() if a.is_open)
    assert (open_repeat.created_on, open_repeat.due_date) == (d(2, 13), d(2, 20))
    world.actions[open_repeat.id] = replace(
        open_repeat, status="skipped", finished_on=d(2, 15), reason="by user"
    )
    world.replay(d(2, 16), d(3, 31))
    assert [day for day, _pk in world.sent] == [d(2, 3), d(2, 10)]
    assert not any(a.is_open for a in world.actions.values())


def test_a_cancelled_repeat_is_ignored_and_the_last_sent_one_counts():
    world = World(SCENARIO_R2)
    world.add(invoice(1, "F1", d(1, 31)))
    world.replay(d(1, 1), d(2, 10))
    cycle = list(world.actions.values())
    cancelled = ActionData(99, 2, 1, 2, "cancelled", d(2, 10), d(2, 20), "email", "auto",
                           finished_on=d(2, 12), reason="on hold")  # fmt: skip
    assert planner.repeats(SCENARIO_R2, [*cycle, cancelled])
    skipped = replace(cancelled, status="skipped", reason="by user")
    assert not planner.repeats(SCENARIO_R2, [*cycle, skipped])


def test_a_step_done_by_hand_repeats_like_a_sent_one():
    steps = (StepData(1, "call", "call", "manual", "due_date", 3),)
    scenario = ScenarioData(
        1, steps, min_contact_days=0, repeat_last_every_days=5, lookahead_days=0
    )
    done = ActionData(1, 1, 1, 1, "done", d(2, 3), d(2, 3), "call", "manual", d(2, 4))
    state = CustomerState(1, scenario, (invoice(1, "I1", d(1, 31)),), (done,))
    (create,) = planner.plan_customer(state, d(2, 9), lambda day: True)
    assert (create.step.name, create.due_date, create.planned_by) == ("call", d(2, 9), "repeat")
