"""A scenario set by hand on the customer page, and back to the segment's."""

import pytest
from django.core.exceptions import ValidationError

from relance.activity.models import CustomerEvent
from relance.customers.tests.factories import CustomerFactory
from relance.scenarios.services import customer_scenario_set
from relance.scenarios.tests.factories import ScenarioFactory

pytestmark = pytest.mark.django_db


def test_set_by_hand_then_back_to_the_segment(acme, bob):
    customer = CustomerFactory(entity=acme)
    scenario = ScenarioFactory(name="Gentle", entity=acme)
    customer_scenario_set(customer=customer, scenario=scenario, acting_user=bob)
    customer.refresh_from_db()
    assert customer.scenario == scenario
    assert CustomerEvent.objects.get().describe() == "Scenario set by hand: Gentle"
    customer_scenario_set(customer=customer, scenario=None, acting_user=bob)
    customer.refresh_from_db()
    assert customer.scenario is None
    event = CustomerEvent.objects.order_by("-id").first()
    assert (event.data["from"], event.data["to"]) == ("Gentle", "")
    assert "segment's applies again" in event.describe()


def test_a_shared_scenario_may_be_set(acme, bob):
    customer = CustomerFactory(entity=acme)
    shared = ScenarioFactory(name="Shared", entity=None)
    customer_scenario_set(customer=customer, scenario=shared, acting_user=bob)
    customer.refresh_from_db()
    assert customer.scenario == shared


def test_a_scenario_of_another_entity_is_refused(acme, globex, bob):
    customer = CustomerFactory(entity=acme)
    theirs = ScenarioFactory(name="UK firm", entity=globex)
    with pytest.raises(ValidationError) as caught:
        customer_scenario_set(customer=customer, scenario=theirs, acting_user=bob)
    assert caught.value.message_dict["scenario"] == [
        "The scenario UK firm belongs to another entity."
    ]
    customer.refresh_from_db()
    assert customer.scenario is None
    assert not CustomerEvent.objects.exists()


def test_nothing_to_change_is_said(acme, bob):
    customer = CustomerFactory(entity=acme)
    with pytest.raises(ValidationError, match="already follows its segment's"):
        customer_scenario_set(customer=customer, scenario=None, acting_user=bob)
