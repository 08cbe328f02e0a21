from datetime import timedelta
from decimal import Decimal

import pytest

from relance.core.tests.factories import EntityFactory
from relance.customers.models import Tag
from relance.customers.tests.factories import CustomerFactory
from relance.ledger.tests.factories import ItemFactory
from relance.scenarios import defaults
from relance.scenarios.defaults import default_scenarios
from relance.scenarios.models import Scenario
from relance.scenarios.selectors import customer_scenario
from relance.segments.defaults import default_segments
from relance.segments.models import Segment
from relance.segments.services import segments_recompute
from relance.templating.tests.factories import MessageTemplateFactory

CHANNELS = {
    defaults.COURTESY: "email",
    defaults.FIRST: "email",
    defaults.SECOND: "email",
    defaults.SMS: "sms",
    defaults.CALL: "call",
    defaults.NOTICE: "letter",
    defaults.TASK: "task",
}


@pytest.fixture
def default_templates(db):
    return {
        key: MessageTemplateFactory(name=key, channel=channel, default_key=key)
        for key, channel in CHANNELS.items()
    }


def test_default_scenarios_and_segments(default_templates, acme, globex):
    created = default_scenarios()
    assert created[:6] == [
        "scenario 'Standard'",
        "scenario 'Relance standard'",
        "scenario 'Key accounts (gentle)'",
        "scenario 'Grands comptes (en douceur)'",
        "scenario 'Risky customers (firm)'",
        "scenario 'Clients à risque (ferme)'",
    ]
    standard = Scenario.objects.get(default_key="standard-fr")
    steps = list(standard.steps.values_list("position", "name", "channel", "mode", "offset_days"))
    assert steps == [
        (1, "Rappel de courtoisie", "email", "auto", -5),
        (2, "Première relance", "email", "auto", 3),
        (3, "Deuxième relance", "email", "auto", 15),
        (4, "Relance SMS", "sms", "auto_confirm", 20),
        (5, "Appel téléphonique", "call", "manual", 25),
        (6, "Mise en demeure", "registered_letter", "manual", 30),
        (7, "Escalade", "task", "manual", 45),
    ]
    assert standard.steps.get(position=6).template == default_templates[defaults.NOTICE]
    firm = Scenario.objects.get(default_key="firm-en")
    steps = list(firm.steps.values_list("name", "channel", "mode", "offset_days", "template"))
    assert steps == [
        ("First reminder", "email", "auto", 1, default_templates[defaults.FIRST].pk),
        ("Second reminder", "email", "auto", 8, default_templates[defaults.SECOND].pk),
        ("SMS reminder", "sms", "auto_confirm", 13, default_templates[defaults.SMS].pk),
        ("Phone call", "call", "manual", 18, default_templates[defaults.CALL].pk),
        ("Formal notice", "registered_letter", "manual", 23, default_templates[defaults.NOTICE].pk),
        ("Escalation", "task", "manual", 30, default_templates[defaults.TASK].pk),
    ]
    assert (firm.min_contact_days, firm.repeat_last_every_days) == (5, 0)
    acme.refresh_from_db()
    globex.refresh_from_db()
    assert acme.default_scenario.default_key == "standard-fr"
    assert globex.default_scenario.default_key == "standard-en"
    created = default_segments()

    # A tie between fr and en: the language of the first entity by name, for the shared
    # ones; the entity writing English gets its own, ahead of them.
    assert created == [
        "segment 'Grands comptes'",
        "segment 'Secteur public'",
        "segment 'Clients à risque'",
        f"segment 'Key accounts – {globex.name}'",
        f"segment 'Public sector – {globex.name}'",
        f"segment 'Risky customers – {globex.name}'",
    ]
    routes = Segment.objects.order_by("priority").values_list(
        "priority", "scenario__default_key", "entity"
    )
    assert list(routes) == [
        (9, "gentle-en", globex.pk),
        (10, "gentle-fr", None),
        (19, "standard-en", globex.pk),
        (20, "standard-fr", None),
        (29, "firm-en", globex.pk),
        (30, "firm-fr", None),
    ]
    assert default_segments() == []
    # No catch-all segment: customers no segment holds follow their entity's default.
    assert not Segment.objects.filter(criteria__rules=[]).exists()


def test_defaults_are_idempotent_and_never_overwrite(default_templates, acme):
    default_scenarios()
    default_segments()
    standard = Scenario.objects.get(default_key="standard-fr")
    standard.min_contact_days = 12
    standard.save()
    standard.steps.get(position=7).delete()
    assert default_scenarios() == []
    assert default_segments() == []
    standard.refresh_from_db()
    assert standard.min_contact_days == 12 and standard.steps.count() == 6
    assert Scenario.objects.count() == 6
    assert Segment.objects.count() == 3


def test_new_entity_gets_the_standard_scenario_of_its_language(default_templates, acme):
    default_scenarios()
    uk = EntityFactory(slug="uk", language="en")
    assert default_scenarios() == ["default scenario of uk: 'Standard'"]
    uk.refresh_from_db()
    assert uk.default_scenario.default_key == "standard-en"
    chosen = Scenario.objects.get(default_key="gentle-en")
    uk.default_scenario = chosen
    uk.save()
    assert default_scenarios() == []
    uk.refresh_from_db()
    assert uk.default_scenario == chosen


def test_scenarios_wait_for_their_templates(db, acme):
    assert default_scenarios() == []
    assert default_segments() == []
    assert not Scenario.objects.exists()


def test_segments_in_english_without_entities(default_templates):
    default_scenarios()
    assert default_segments() == [
        "segment 'Key accounts'",
        "segment 'Public sector'",
        "segment 'Risky customers'",
    ]
    key = Segment.objects.get(default_key="key-accounts")
    assert key.scenario.default_key == "gentle-en"
    assert Segment.objects.get(default_key="risky").scenario.default_key == "firm-en"


def test_setup_runs_them_in_order(default_templates, acme):
    from relance.core.defaults import run_defaults

    created = run_defaults()
    assert "scenario 'Relance standard'" in created
    assert "segment 'Grands comptes'" in created
    assert run_defaults() == []


def test_setup_from_scratch_with_the_real_default_templates(acme):
    from relance.core.defaults import run_defaults

    created = run_defaults()
    assert "scenario 'Relance standard'" in created
    assert "segment 'Grands comptes'" in created
    gentle = Scenario.objects.get(default_key="gentle-fr")
    assert Segment.objects.get(default_key="key-accounts").scenario == gentle
    assert all(
        step.template is not None
        for step in Scenario.objects.get(default_key="standard-en").steps.all()
    )
    assert run_defaults() == []


def test_the_default_segments_route_customers_to_the_three_scenarios(acme):
    from relance.core.defaults import run_defaults

    run_defaults()
    acme.refresh_from_db()
    today = acme.today()
    late = today - timedelta(days=90)
    key = CustomerFactory(entity=acme, name="Key")
    key.tags.add(Tag.objects.get_or_create(name="Key account")[0])
    ItemFactory(customer=key, issue_date=late - timedelta(days=30), due_date=late)
    # A public body 90 days late stays on the standard pace: it is not a risky customer.
    town = CustomerFactory(entity=acme, name="Town hall", category="secteur public")
    ItemFactory(customer=town, issue_date=late - timedelta(days=30), due_date=late)
    slow = CustomerFactory(entity=acme, name="Slow")
    ItemFactory(customer=slow, issue_date=late - timedelta(days=30), due_date=late)
    over = CustomerFactory(entity=acme, name="Over limit", credit_limit=Decimal("500"))
    ItemFactory(customer=over, issue_date=today, due_date=today + timedelta(days=30))
    plain = CustomerFactory(entity=acme, name="Plain")
    ItemFactory(customer=plain, issue_date=today, due_date=today + timedelta(days=30))
    segments_recompute(today=today)  # as the engine does: one date for all entities

    def route(customer):
        scenario, _why, segment = customer_scenario(customer)
        return scenario.default_key, segment.default_key if segment else None

    assert {c.name: route(c) for c in (key, town, slow, over, plain)} == {
        "Key": ("gentle-fr", "key-accounts"),
        "Town hall": ("standard-fr", "public-sector"),
        "Slow": ("firm-fr", "risky"),
        "Over limit": ("firm-fr", "risky"),
        "Plain": ("standard-fr", None),
    }
