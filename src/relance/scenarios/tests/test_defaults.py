import pytest

from relance.core.tests.factories import EntityFactory
from relance.scenarios import defaults
from relance.scenarios.defaults import default_scenarios
from relance.scenarios.models import Scenario
from relance.segments.defaults import default_segments
from relance.segments.models import Segment
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
    assert created[:4] == [
        "scenario 'Standard'",
        "scenario 'Relance standard'",
        "scenario 'Key accounts (gentle)'",
        "scenario 'Grands comptes (en douceur)'",
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
    acme.refresh_from_db()
    globex.refresh_from_db()
    assert acme.default_scenario.default_key == "standard-fr"
    assert globex.default_scenario.default_key == "standard-en"
    created = default_segments()

    # A tie between fr and en: the language of the first entity by name.
    assert created == ["segment 'Grands comptes'", "segment 'Secteur public'"]
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
    assert Scenario.objects.count() == 4
    assert Segment.objects.count() == 2


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
    ]
    key = Segment.objects.get(default_key="key-accounts")
    assert key.scenario.default_key == "gentle-en"


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
