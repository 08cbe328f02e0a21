"""A reply pauses the automatic messages (docs/engine.md, the worked example "A reply
pauses the automatic messages") on the pure planner: scenario S, invoice A1 due 01-31, a
reply received 02-02 that holds the customer's automatic actions for at most 7 days.
Whether a customer is paused on a day is the loader's business (the agenda's selector);
here the world is told, as the loader tells the planner."""

from dataclasses import replace
from datetime import timedelta

from relance.engine import planner
from relance.engine.planner import ActionData, CustomerState, Execute
from relance.engine.tests.simulation import SCENARIO_S, World, d, every_day, invoice

START, END = d(1, 1), d(3, 3)


def paused_from(first, last):
    """Events: the customer paused from `first` to `last` (included), as the loader says."""
    return {
        first: lambda w: setattr(w, "paused", True),
        last + timedelta(1): lambda w: setattr(w, "paused", False),
    }


def test_handled_on_02_05_the_first_reminder_leaves_with_the_next_run():
    world = World(SCENARIO_S)
    world.add(invoice(1, "A1", d(1, 31), issue=d(1, 1)))
    world.replay(START, END, paused_from(d(2, 2), d(2, 5)))  # handled 02-05 after its run
    assert world.history() == [
        ("courtesy", "A1", "sent", d(1, 19), d(1, 26), d(1, 26), ""),
        ("first", "A1", "sent", d(1, 27), d(2, 3), d(2, 6), ""),
        ("second", "A1", "sent", d(2, 8), d(2, 15), d(2, 15), ""),
        ("notice", "A1", "planned", d(2, 23), d(3, 2), None, ""),
    ]
    assert [day for day, _pk in world.sent] == [d(1, 26), d(2, 6), d(2, 15)]


def test_unhandled_the_pause_ends_after_7_days_and_the_cycle_shifts():
    world = World(SCENARIO_S)
    world.add(invoice(1, "A1", d(1, 31), issue=d(1, 1)))
    world.replay(START, END, paused_from(d(2, 2), d(2, 8)))  # 02-02 + 7 = 02-09: free
    assert world.history() == [
        ("courtesy", "A1", "sent", d(1, 19), d(1, 26), d(1, 26), ""),
        ("first", "A1", "sent", d(1, 27), d(2, 3), d(2, 9), ""),
        ("second", "A1", "sent", d(2, 9), d(2, 16), d(2, 16), ""),
        ("notice", "A1", "planned", d(2, 23), d(3, 2), None, ""),
    ]
    assert world.actions[3].due_date == d(2, 16)  # the contact delay: 02-09 + 7


def _state(status="planned", mode="auto", channel="email", paused=True, **action):
    open_action = ActionData(
        id=7,
        scenario_id=1,
        reference_id=1,
        step_position=2,
        status=status,
        created_on=d(1, 27),
        due_date=d(2, 3),
        channel=channel,
        mode=mode,
        **action,
    )
    finished = ActionData(8, 1, 1, 1, "sent", d(1, 19), d(1, 26), "email", "auto", d(1, 26))
    return CustomerState(
        1,
        SCENARIO_S,
        (invoice(1, "A1", d(1, 31), issue=d(1, 1)),),
        (finished, open_action),
        paused=paused,
    )


def test_a_paused_customers_due_actions_stay_open_and_due():
    for status, mode in (("planned", "auto"), ("confirmed", "auto_confirm")):
        state = _state(status, mode)
        assert planner.plan_customer(state, d(2, 3), every_day) == []
        assert planner.plan_customer(replace(state, paused=False), d(2, 3), every_day) == [
            Execute(7)
        ]


def test_a_pause_stops_nothing_else():
    """Cancellations (a payment), preventive skips, creations and due dates go on."""
    state = _state()
    paid = replace(state, items=())
    assert planner.plan_customer(paid, d(2, 3), every_day) == [planner.Cancel(7, "settled")]
    courtesy = replace(
        state,
        actions=(
            ActionData(7, 1, 1, 1, "to_confirm", d(1, 19), d(1, 26), "email", "auto_confirm"),
        ),
    )
    decisions = planner.plan_customer(courtesy, d(1, 31), every_day)
    assert decisions[0] == planner.Skip(7, "already due")
    assert [type(x).__name__ for x in decisions] == ["Skip", "Create"]
    assert not any(isinstance(x, Execute) for x in decisions)
