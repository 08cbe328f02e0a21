"""Amendment 1, rule 1 of the engine contract: on the same anchor, a step's offset is never
smaller than an earlier step's. One service function says it (`steps_order_errors`); the
editor's services and views refuse a scenario that breaks it, naming the step."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from relance.scenarios import services
from relance.scenarios.models import Step
from relance.scenarios.tests.factories import ScenarioFactory

EXAMPLE_I = (
    "step 2 `courtesy` (due date −19) comes after step 1 `call` (due date +51): reorder the steps"
)


def _steps(*specs) -> list[Step]:
    return [Step(name=name, anchor=anchor, offset_days=days) for name, anchor, days in specs]


def test_the_message_names_the_step_and_the_earlier_one():
    steps = _steps(("call", "due_date", 51), ("courtesy", "due_date", -19))
    assert services.steps_order_errors(steps) == [(1, EXAMPLE_I)]


def test_each_anchor_keeps_its_own_order_and_equal_offsets_are_fine():
    steps = _steps(
        ("statement", "issue_date", 40),
        ("courtesy", "due_date", -5),
        ("first", "due_date", -5),
        ("kyc", "issue_date", 45),
    )
    assert services.steps_order_errors(steps) == []
    late = _steps(("a", "due_date", 3), ("b", "due_date", 30), ("c", "due_date", 10))
    assert services.steps_order_errors(late) == [
        (2, "step 3 `c` (due date +10) comes after step 2 `b` (due date +30): reorder the steps")
    ]


@pytest.fixture
def scenario(db):
    return ScenarioFactory(
        steps=[
            {"name": "call", "channel": "call", "mode": "manual", "offset_days": 3},
            {"name": "notice", "channel": "call", "mode": "manual", "offset_days": 30},
        ]
    )


def test_a_step_added_out_of_order_is_refused_and_nothing_saved(scenario):
    with pytest.raises(ValidationError) as refused:
        services.step_create(scenario=scenario, name="late", channel="task", mode="manual",
                             offset_days=10)  # fmt: skip
    assert refused.value.message_dict["offset_days"] == [
        "step 3 `late` (due date +10) comes after step 2 `notice` (due date +30): reorder the steps"
    ]
    assert scenario.steps.count() == 2
    services.step_create(scenario=scenario, name="late", channel="task", mode="manual",
                         offset_days=10, position=2)  # fmt: skip
    assert list(scenario.steps.values_list("name", flat=True)) == ["call", "late", "notice"]


def test_a_new_date_is_saved_with_its_new_place_or_refused(scenario):
    call = scenario.steps.get(name="call")
    with pytest.raises(ValidationError):
        services.step_update(step=call, offset_days=40)
    call.refresh_from_db()
    assert call.offset_days == 3
    services.step_update(step=call, offset_days=40, position=2)
    assert list(scenario.steps.values_list("name", "offset_days")) == [
        ("notice", 30),
        ("call", 40),
    ]


def test_a_move_out_of_order_is_refused(scenario):
    notice = scenario.steps.get(name="notice")
    with pytest.raises(ValidationError):
        services.step_move(step=notice, offset=-1)
    assert list(scenario.steps.values_list("name", flat=True)) == ["call", "notice"]


def test_a_scenario_saved_out_of_order_before_the_rule_can_be_repaired_step_by_step(db):
    legacy = ScenarioFactory(
        steps=[
            {"name": "a", "channel": "task", "mode": "manual", "offset_days": 30},
            {"name": "b", "channel": "task", "mode": "manual", "offset_days": 3},
            {"name": "c", "channel": "task", "mode": "manual", "offset_days": 40},
            {"name": "d", "channel": "task", "mode": "manual", "offset_days": 35},
        ]
    )
    assert len(services.scenario_warnings(legacy)) == 2  # shown on the scenario page
    services.step_update(step=legacy.steps.get(name="b"), offset_days=31)  # one fewer
    with pytest.raises(ValidationError):  # as many as before: refused
        services.step_update(step=legacy.steps.get(name="a"), name="a2")
    services.step_move(step=legacy.steps.get(name="d"), offset=-1)
    assert services.scenario_warnings(legacy) == []


def test_the_editor_shows_the_refusal_on_the_days_field(client, alice, scenario):
    client.force_login(alice)
    call = scenario.steps.get(name="call")
    data = {"name": "call", "channel": "call", "mode": "manual", "anchor": "due_date",
            "offset_days": 40, "attachments": "none"}  # fmt: skip
    response = client.post(reverse("scenarios:step-edit", args=[call.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["offset_days"] == [
        "step 2 `notice` (due date +30) comes after step 1 `call` (due date +40): reorder the steps"
    ]
    response = client.post(reverse("scenarios:step-edit", args=[call.pk]), {**data, "position": 2})
    assert response.status_code == 302
    notice = scenario.steps.get(name="notice")
    response = client.post(reverse("scenarios:step-operation", args=[notice.pk, "down"]))
    assert response.status_code == 302
    assert "reorder the steps" in client.get(response.url).content.decode()
