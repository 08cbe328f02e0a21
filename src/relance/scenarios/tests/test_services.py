from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from relance.scenarios import services
from relance.scenarios.models import Scenario, Step
from relance.scenarios.services import (
    scenario_create,
    scenario_delete,
    scenario_duplicate,
    scenario_update,
    scenario_warnings,
    step_create,
    step_delete,
    step_duplicate,
    step_move,
    step_update,
    step_warnings,
)
from relance.scenarios.tests.factories import ScenarioFactory, StepFactory
from relance.templating.tests.factories import MessageTemplateFactory

NO_ENTITY_HAS_ONE = (
    ": no entity has an active one. Add one in the administration (Delivery › Connectors) "
    "or make this step manual."
)
CONNECTOR = "Automatic letters need a print-and-mail connector" + NO_ENTITY_HAS_ONE
REGISTERED_CONNECTOR = (
    "Automatic registered letters need a print-and-mail connector that posts registered "
    "letters" + NO_ENTITY_HAS_ONE
)
EREG_CONNECTOR = (
    "Automatic electronic registered letters need an electronic registered mail connector"
    + NO_ENTITY_HAS_ONE
)


@pytest.fixture
def templates(db):
    return {
        channel: MessageTemplateFactory(name=f"{channel}-tpl", channel=channel)
        for channel in ("email", "sms", "letter", "call", "task")
    }


@pytest.fixture
def scenario(db):
    return scenario_create(name="Standard")


def names(scenario) -> list[tuple[int, str]]:
    return list(scenario.steps.values_list("position", "name"))


def test_scenario_create_with_the_spec_defaults(db):
    scenario = scenario_create(name=" Standard ")
    assert scenario.name == "Standard"
    assert (scenario.min_contact_days, scenario.min_amount, scenario.repeat_last_every_days) == (
        7,
        Decimal("0.01"),
        0,
    )
    assert (scenario.lookahead_days, scenario.promise_grace_days) == (7, 3)


def test_scenario_create_refuses(db):
    scenario_create(name="Standard")
    with pytest.raises(ValidationError, match="already exists"):
        scenario_create(name="Standard")
    with pytest.raises(ValidationError) as caught:
        scenario_create(name="Zero", min_amount=Decimal("0"))
    assert "min_amount" in caught.value.message_dict
    with pytest.raises(ValidationError):
        scenario_create(name="Negative", min_contact_days=-1)


def test_scenario_update(scenario):
    scenario_update(scenario=scenario, repeat_last_every_days=10, lookahead_days=0)
    scenario.refresh_from_db()
    assert (scenario.repeat_last_every_days, scenario.lookahead_days) == (10, 0)
    with pytest.raises(TypeError):
        scenario_update(scenario=scenario, default_key="x")


def test_scenario_restricted_to_an_entity_used_elsewhere_is_refused(scenario, acme, globex):
    from relance.segments.services import segment_create

    segment_create(name="UK", scenario=scenario, entity=globex)
    with pytest.raises(ValidationError) as caught:
        scenario_update(scenario=scenario, entity=acme)
    assert "UK" in caught.value.message_dict["entity"][0]


def test_scenario_delete(scenario):
    from relance.segments.services import segment_create

    segment = segment_create(name="Everyone", scenario=scenario)
    with pytest.raises(ValidationError, match="Segments use this scenario: Everyone"):
        scenario_delete(scenario=scenario)
    segment.delete()
    scenario_delete(scenario=scenario)
    assert not Scenario.objects.exists()


def test_step_create_appends_and_inserts(scenario, templates):
    step_create(
        scenario=scenario,
        name="first",
        channel="email",
        mode="auto",
        template=templates["email"],
        offset_days=3,
    )
    step_create(scenario=scenario, name="call", channel="call", mode="manual", offset_days=20)
    step_create(
        scenario=scenario,
        name="courtesy",
        channel="email",
        mode="auto",
        template=templates["email"],
        offset_days=-5,
        position=1,
    )
    assert names(scenario) == [(1, "courtesy"), (2, "first"), (3, "call")]


def test_step_create_with_recipients_and_responsibles(scenario, templates, alice, bob):
    group = Group.objects.create(name="Legal")
    step = step_create(
        scenario=scenario,
        name="first",
        channel="email",
        mode="auto",
        template=templates["email"],
        responsible_users=[alice],
        responsible_groups=[group],
        cc_users=[bob],
        cc_contact_roles=["billing", "legal", "billing"],
        cc_email="archive@example.com",
        attachments="statement",
    )
    assert list(step.responsible_users.all()) == [alice]
    assert list(step.responsible_groups.all()) == [group]
    assert list(step.cc_users.all()) == [bob]
    assert step.cc_contact_roles == "billing,legal"
    assert step_warnings(step) == [
        "archive@example.com receives a copy of every customer's message of this step."
    ]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"channel": "email", "mode": "auto"}, "template", "An automatic step needs a template."),
        (
            {"channel": "sms", "mode": "auto_confirm"},
            "template",
            "An automatic step needs a template.",
        ),
        (
            {"channel": "email", "mode": "auto", "template": "sms"},
            "template",
            "This step needs a template of channel “Email”: “sms-tpl” is “SMS”.",
        ),
        ({"channel": "sms", "mode": "auto", "template": "email"}, "template", "of channel “SMS”"),
        (
            {"channel": "letter", "mode": "manual", "template": "email"},
            "template",
            "of channel “Letter”",
        ),
        ({"channel": "call", "mode": "auto"}, "mode", "Calls and tasks are always manual."),
        ({"channel": "task", "mode": "auto_confirm"}, "mode", "Calls and tasks are always manual."),
        ({"channel": "letter", "mode": "auto", "template": "letter"}, "mode", CONNECTOR),
        (
            {"channel": "registered_letter", "mode": "auto_confirm", "template": "letter"},
            "mode",
            REGISTERED_CONNECTOR,
        ),
        (
            {"channel": "e_registered_letter", "mode": "auto", "template": "letter"},
            "mode",
            EREG_CONNECTOR,
        ),
        (
            {"channel": "email", "mode": "manual", "cc_contact_roles": "boss"},
            "cc_contact_roles",
            "Unknown contact role boss",
        ),
        (
            {"channel": "sms", "mode": "manual", "cc_email": "a@example.com"},
            "cc_email",
            "Copies are sent by email",
        ),
        (
            {"channel": "call", "mode": "manual", "attachments": "statement"},
            "attachments",
            "Only emails and letters carry attachments.",
        ),
        ({"channel": "email", "mode": "manual", "offset_days": 5000}, "offset_days", "At most"),
        (
            {"channel": "email", "mode": "manual", "cc_email": "not-an-address"},
            "cc_email",
            "valid email",
        ),
        ({"channel": "fax", "mode": "manual"}, "channel", "not a valid choice"),
        ({"channel": "email", "mode": "sometimes"}, "mode", "not a valid choice"),
    ],
)
def test_step_refusals(scenario, templates, fields, field, message):
    fields = dict(fields)
    if "template" in fields:
        fields["template"] = templates[fields["template"]]
    with pytest.raises(ValidationError) as caught:
        step_create(scenario=scenario, name="x", **fields)
    assert any(message in text for text in caught.value.message_dict[field]), (
        caught.value.message_dict
    )
    assert not Step.objects.exists()


def test_template_of_another_entity_is_refused(db, acme, globex):
    scenario = scenario_create(name="FR", entity=acme)
    uk = MessageTemplateFactory(name="uk", channel="email", entity=globex)
    with pytest.raises(ValidationError, match="restricted to the entity Globex UK"):
        step_create(scenario=scenario, name="x", channel="email", mode="auto", template=uk)


def test_automatic_letter_allowed_once_a_connector_exists(scenario, templates, monkeypatch):
    monkeypatch.setattr(services, "letter_connector_configured", lambda channel, entity: True)
    step_create(
        scenario=scenario,
        name="notice",
        channel="registered_letter",
        mode="auto",
        template=templates["letter"],
    )
    assert scenario_warnings(scenario) == []
    scenario_update(scenario=scenario, repeat_last_every_days=10)
    assert scenario_warnings(scenario) == [
        "The last step is an automatic letter: it will be sent again every 10 days until the "
        "customer pays."
    ]


def _connector(entity, channel="letter", kind="print_mail", active=True, **settings):
    from relance.delivery.models import Connector

    return Connector.objects.create(
        entity=entity, channel=channel, kind=kind, settings=settings, is_active=active
    )


def _automatic(scenario, channel, template):
    return step_create(
        scenario=scenario, name=channel, channel=channel, mode="auto", template=template
    )


def test_a_restricted_scenario_needs_a_connector_of_its_own_entity(templates, acme, globex):
    scenario = scenario_create(name="FR", entity=acme)
    _connector(globex)
    _connector(acme, active=False)
    with pytest.raises(ValidationError) as caught:
        _automatic(scenario, "letter", templates["letter"])
    assert caught.value.message_dict["mode"] == [
        "Automatic letters need a print-and-mail connector: Acme France has no active one. "
        "Add one in the administration (Delivery › Connectors) or make this step manual."
    ]
    _connector(acme)
    assert _automatic(scenario, "letter", templates["letter"]).mode == "auto"


def test_a_shared_scenario_takes_any_entitys_connector(scenario, templates, globex):
    _connector(globex)
    assert _automatic(scenario, "letter", templates["letter"]).mode == "auto"


def test_registered_letters_need_a_connector_that_posts_them(templates, acme):
    scenario = scenario_create(name="FR", entity=acme)
    _connector(acme, registered=False)  # a print-and-mail contract without registered mail
    _automatic(scenario, "letter", templates["letter"])
    with pytest.raises(ValidationError, match="that posts registered letters: Acme France"):
        _automatic(scenario, "registered_letter", templates["letter"])
    acme.connectors.filter(channel="letter").update(kind="console", settings={})
    assert _automatic(scenario, "registered_letter", templates["letter"]).mode == "auto"


def test_electronic_registered_letters_need_their_own_connector(templates, acme):
    scenario = scenario_create(name="FR", entity=acme)
    _connector(acme)
    with pytest.raises(ValidationError, match="an electronic registered mail connector: Acme"):
        _automatic(scenario, "e_registered_letter", templates["letter"])
    _connector(acme, channel="e_registered_letter", kind="ereg")
    assert _automatic(scenario, "e_registered_letter", templates["letter"]).mode == "auto"


def test_the_reason_and_the_remedy_in_french(templates, acme):
    from django.utils import translation

    scenario = scenario_create(name="FR", entity=acme)
    with translation.override("fr"), pytest.raises(ValidationError) as caught:
        _automatic(scenario, "registered_letter", templates["letter"])
    assert caught.value.message_dict["mode"] == [
        "Les lettres recommandées automatiques demandent un connecteur d’impression et d’envoi "
        "postal qui poste des lettres recommandées : Acme France n’en a aucun actif. Ajoutez-en "
        "un dans l’administration (Envoi › Connecteurs) ou rendez cette étape manuelle."
    ]


def test_no_step_warning(scenario):
    assert scenario_warnings(scenario) == [
        "This scenario has no step: its customers receive no reminder."
    ]


def test_step_update(scenario, templates):
    step = step_create(scenario=scenario, name="first", channel="email", mode="manual")
    step_update(step=step, mode="auto", template=templates["email"], offset_days=4)
    step.refresh_from_db()
    assert (step.mode, step.template, step.offset_days) == ("auto", templates["email"], 4)
    with pytest.raises(ValidationError):
        step_update(step=step, channel="sms")
    step.refresh_from_db()
    assert step.channel == "email"
    with pytest.raises(TypeError):
        step_update(step=step, scenario=None)


def test_copies_by_team_member_only_on_email(scenario, bob):
    step = step_create(scenario=scenario, name="call", channel="call", mode="manual")
    with pytest.raises(ValidationError, match="Copies are sent by email"):
        step_update(step=step, cc_users=[bob])


@pytest.fixture
def four(db):
    return ScenarioFactory(
        name="Four",
        steps=[{"name": n, "mode": "manual"} for n in ("a", "b", "c", "d")],
    )


def test_step_move_up_and_down(four):
    b = four.steps.get(name="b")
    step_move(step=b, offset=-1)
    assert names(four) == [(1, "b"), (2, "a"), (3, "c"), (4, "d")]
    step_move(step=b, offset=-1)  # already first: nothing moves
    assert names(four) == [(1, "b"), (2, "a"), (3, "c"), (4, "d")]
    d = four.steps.get(name="d")
    step_move(step=d, offset=1)
    step_move(step=four.steps.get(name="a"), offset=1)
    assert names(four) == [(1, "b"), (2, "c"), (3, "a"), (4, "d")]


def test_step_delete_renumbers(four):
    step_delete(step=four.steps.get(name="b"))
    assert names(four) == [(1, "a"), (2, "c"), (3, "d")]


def test_step_duplicate(four, alice):
    b = four.steps.get(name="b")
    b.responsible_users.set([alice])
    b.cc_contact_roles = "billing"
    b.save()
    copy = step_duplicate(step=b)
    assert names(four) == [(1, "a"), (2, "b"), (3, "Copy of b"), (4, "c"), (5, "d")]
    assert copy.pk != b.pk and copy.position == 3
    assert list(copy.responsible_users.all()) == [alice]
    assert copy.cc_contact_roles == "billing"


def test_scenario_duplicate(four):
    StepFactory(scenario=four, position=5, name="e", mode="manual")
    copy = scenario_duplicate(scenario=four)
    assert copy.name == "Copy of Four"
    assert scenario_duplicate(scenario=four).name == "Copy of Four (2)"
    assert names(copy) == names(four)
    assert copy.min_contact_days == four.min_contact_days
    assert scenario_duplicate(scenario=four, name="Other").name == "Other"
