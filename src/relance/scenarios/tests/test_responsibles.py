"""Who may be a step's responsible: not a read-only user, and only someone who sees the
scenario's entity (every entity, for a scenario shared by all)."""

import pytest
from django.core.exceptions import ValidationError

from relance.accounts.tests.factories import UserFactory
from relance.scenarios.forms import StepForm
from relance.scenarios.services import scenario_create, step_create, step_update

pytestmark = pytest.mark.django_db


def manual_call(scenario, **fields):
    return step_create(scenario=scenario, name="call", channel="call", mode="manual", **fields)


def refusal(scenario, users) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        manual_call(scenario, responsible_users=users)
    assert scenario.steps.count() == 0
    return refused.value.message_dict["responsible_users"]


def test_a_read_only_user_cannot_be_responsible(acme):
    dave = UserFactory(username="dave", role="read_only", all_entities=True)
    scenario = scenario_create(name="Acme", entity=acme)
    assert refusal(scenario, [dave]) == [
        "dave is read-only: a read-only user cannot be given work."
    ]


def test_a_responsible_must_see_the_scenarios_entity(acme, globex, bob):
    scenario = scenario_create(name="Globex", entity=globex)
    assert refusal(scenario, [bob]) == ["bob has no access to the entity Globex UK."]
    assert manual_call(scenario_create(name="Acme", entity=acme), responsible_users=[bob])


def test_a_shared_scenarios_responsibles_must_see_every_entity(acme, globex, alice, bob):
    scenario = scenario_create(name="Everyone")
    assert refusal(scenario, [bob]) == [
        "bob has no access to Globex UK: the responsibles of a scenario shared by every "
        "entity must see them all."
    ]
    step = manual_call(scenario, responsible_users=[alice])  # alice sees every entity
    assert list(step.responsible_users.all()) == [alice]


def test_a_step_whose_responsible_became_read_only_must_be_fixed(acme, bob):
    step = manual_call(scenario_create(name="Acme", entity=acme), responsible_users=[bob])
    bob.role = "read_only"
    bob.save()
    with pytest.raises(ValidationError, match="bob is read-only"):
        step_update(step=step, offset_days=5)
    step_update(step=step, offset_days=5, responsible_users=[])


def test_the_step_form_offers_only_those_who_may_work_the_actions(acme, globex, alice, bob):
    UserFactory(username="dave", role="read_only", all_entities=True)
    UserFactory(username="gary").entities.set([globex])
    form = StepForm(user=alice, scenario=scenario_create(name="Acme", entity=acme))
    offered = {user.username for user in form.fields["responsible_users"].queryset}
    assert offered == {"alice", "bob"}
    shared = StepForm(user=alice, scenario=scenario_create(name="Everyone"))
    assert {user.username for user in shared.fields["responsible_users"].queryset} == {"alice"}
