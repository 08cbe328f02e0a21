import pytest
from django.core.exceptions import ValidationError

from relance.agenda.models import Action
from relance.agenda.services import action_confirm, action_done, action_retry, action_skip
from relance.engine.runner import run_day
from relance.engine.tests.conftest import make_customer, make_invoice
from relance.engine.tests.simulation import d
from relance.scenarios.tests.factories import ScenarioFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirm_scenario(acme_daily, email_template):
    scenario = ScenarioFactory(steps=[{"name": "first", "mode": "auto_confirm", "offset_days": 3}])
    scenario.steps.update(template=email_template)
    acme_daily.default_scenario = scenario
    acme_daily.save()
    return scenario


def _action(entity, day):
    make_invoice(make_customer(entity), "I1", d(1, 31))
    run_day(entity=entity, day=day)
    return Action.objects.get()


def test_confirm_then_the_run_sends_it_once_due(confirm_scenario, acme_daily, alice, mailoutbox):
    action = _action(acme_daily, d(1, 30))
    assert action.status == "to_confirm"
    action_confirm(action=action, acting_user=alice)
    run_day(entity=acme_daily, day=d(2, 2))
    assert mailoutbox == []
    run_day(entity=acme_daily, day=d(2, 3))
    action.refresh_from_db()
    assert (action.status, action.finished_on, len(mailoutbox)) == ("sent", d(2, 3), 1)


def test_only_an_action_to_confirm_can_be_confirmed(scenario_s, acme_daily, alice):
    action = _action(acme_daily, d(1, 20))
    with pytest.raises(ValidationError, match="cannot be confirmed"):
        action_confirm(action=action, acting_user=alice)


def test_done_finishes_on_the_given_day_and_the_cycle_moves_on(scenario_s, acme_daily, bob):
    action = _action(acme_daily, d(1, 20))
    action_done(action=action, acting_user=bob, day=d(1, 21), note="called")
    action.refresh_from_db()
    assert (action.status, action.finished_on, action.note) == ("done", d(1, 21), "called")
    run_day(entity=acme_daily, day=d(1, 28))
    nxt = Action.objects.exclude(pk=action.pk).get()
    assert (nxt.step_name, nxt.due_date) == ("first", d(2, 3))


def test_skip_counts_as_finished_by_user(scenario_s, acme_daily, bob):
    action = _action(acme_daily, d(1, 20))
    action_skip(action=action, acting_user=bob, day=d(1, 21))
    action.refresh_from_db()
    assert (action.status, action.reason, action.finished_on) == ("skipped", "by user", d(1, 21))
    with pytest.raises(ValidationError):
        action_skip(action=action, acting_user=bob)


def test_retry_puts_an_error_back_in_line(confirm_scenario, acme_daily, alice):
    action = _action(acme_daily, d(1, 30))
    Action.objects.filter(pk=action.pk).update(status="error", error_message="boom")
    action_retry(action=action, acting_user=alice)
    action.refresh_from_db()
    assert (action.status, action.error_message) == ("confirmed", "")
    with pytest.raises(ValidationError, match="cannot be retried"):
        action_retry(action=action, acting_user=alice)
