"""Every agenda service leaves one event on the customer's timeline, by the acting user, in
its own transaction: a refused or failed change leaves none."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from relance.activity.models import CustomerEvent
from relance.agenda import services
from relance.agenda.tests.test_views import make_action
from relance.scenarios.tests.factories import ScenarioFactory

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def scenario(acme):
    return ScenarioFactory(steps=[{"name": "call", "channel": "call", "mode": "manual"}])


def _only_event():
    [event] = CustomerEvent.objects.select_related("user")
    return event


@pytest.mark.parametrize(
    ("status", "mode", "call", "kind", "details"),
    [
        ("to_confirm", "auto_confirm", services.action_confirm, "action_confirmed", {}),
        ("planned", "manual", services.action_done, "action_done", {}),
        ("planned", "manual", services.action_skip, "action_skipped", {}),
        ("error", "auto", services.action_retry, "action_retried", {"error": "boom"}),
    ],
    ids=["confirm", "done", "skip", "retry"],
)
def test_each_service_writes_its_event_by_its_user(
    acme, bob, scenario, status, mode, call, kind, details
):
    action = make_action(acme, scenario, status=status, mode=mode, error_message="boom")
    call(action=action, acting_user=bob)
    event = _only_event()
    assert (event.kind, event.user, event.action_id) == (kind, bob, action.pk)
    assert (event.customer_id, event.entity_id, event.day) == (
        action.customer_id,
        acme.pk,
        acme.today(),
    )
    assert event.data == {"step": "call", "channel": "call", "by": "Bob", **details}


def test_done_and_skip_keep_the_note(acme, bob, scenario):
    action = make_action(acme, scenario)
    services.action_done(action=action, acting_user=bob, note="Left a voicemail")
    assert _only_event().data["note"] == "Left a voicemail"


def test_reschedule_keeps_both_dates(acme, bob, scenario):
    action = make_action(acme, scenario, due_offset=1)
    today = acme.today()
    services.action_reschedule(action=action, acting_user=bob, due_date=today + 5 * DAY)
    event = _only_event()
    assert event.kind == "action_rescheduled" and event.user == bob
    assert (event.data["from"], event.data["to"]) == (
        (today + DAY).isoformat(),
        (today + 5 * DAY).isoformat(),
    )


def test_reassign_names_the_former_and_the_new_responsible(acme, alice, bob, scenario):
    action = make_action(acme, scenario, responsible=bob)
    services.action_reassign(action=action, acting_user=bob, responsible=alice)
    event = _only_event()
    assert (event.kind, event.user) == ("action_reassigned", bob)
    assert (event.data["from"], event.data["to"], event.data["to_id"]) == ("Bob", "Alice", alice.pk)


def test_a_call_outcome_is_one_event_with_the_promise(acme, bob, scenario):
    action = make_action(acme, scenario)
    promised = acme.today() + 4 * DAY
    services.action_call_outcome(
        action=action, acting_user=bob, outcome="promise", promise_date=promised, note="Friday"
    )
    event = _only_event()  # not a second "done" event
    assert (event.kind, event.user, event.action_id) == ("call_outcome", bob, action.pk)
    assert event.data["outcome"] == "promise"
    assert event.data["promise_date"] == promised.isoformat()
    assert (event.data["reference"], event.data["note"]) == (action.reference.number, "Friday")


def test_a_dispute_outcome_keeps_the_reason(acme, bob, scenario):
    action = make_action(acme, scenario)
    services.action_call_outcome(
        action=action, acting_user=bob, outcome="dispute", dispute_reason=" damaged goods "
    )
    assert _only_event().data["dispute_reason"] == "damaged goods"


def test_confirm_many_writes_one_event_per_action_in_one_insert(acme, alice, scenario):
    actions = [
        make_action(
            acme, scenario, mode="auto_confirm", channel="email", status="to_confirm", name=f"C{n}"
        )
        for n in range(3)
    ]
    make_action(acme, scenario, status="planned", name="Left alone")
    queryset = type(actions[0]).objects.all()
    with CaptureQueriesContext(connection) as context:
        services.action_confirm_many(actions=queryset, acting_user=alice)
    inserts = [q for q in context.captured_queries if "activity_customerevent" in q["sql"]]
    assert len(inserts) == 1
    events = CustomerEvent.objects.order_by("action_id")
    assert [(e.action_id, e.kind, e.user_id) for e in events] == [
        (action.pk, "action_confirmed", alice.pk) for action in actions
    ]
    assert {e.customer_id for e in events} == {a.customer_id for a in actions}


def test_a_refused_change_writes_no_event(acme, bob, scenario):
    action = make_action(acme, scenario)
    with pytest.raises(ValidationError):
        services.action_reschedule(action=action, acting_user=bob, due_date=acme.today() - DAY)
    with pytest.raises(ValidationError):
        services.action_call_outcome(action=action, acting_user=bob, outcome="promise")
    with pytest.raises(ValidationError):
        services.action_confirm(action=action, acting_user=bob)
    assert not CustomerEvent.objects.exists()


def test_a_change_that_fails_after_its_event_rolls_the_event_back(acme, bob, scenario, monkeypatch):
    """The event is written before the action is saved: a failure there takes both back."""
    action = make_action(acme, scenario)

    def refuse(*args, **kwargs):
        raise ValidationError("the database said no")

    monkeypatch.setattr(services, "_save", refuse)
    with pytest.raises(ValidationError):
        services.action_skip(action=action, acting_user=bob)
    assert not CustomerEvent.objects.exists()
    action.refresh_from_db()
    assert action.status == "planned"
