"""The step setting "if the email bounces" (M2.4): email steps only, a letter fallback of an
automatic step needs a letter connector, shown and edited in the step panel, copied with
the step, and carried by `config export` / `config import`."""

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.urls import reverse

from relance.configuration.services import ConfigError, config_dump, config_import
from relance.delivery.models import Connector
from relance.scenarios.models import Step
from relance.scenarios.services import scenario_create, step_create, step_duplicate, step_update
from relance.scenarios.tests.factories import ScenarioFactory
from relance.templating.tests.factories import MessageTemplateFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def email_template(db):
    return MessageTemplateFactory(name="first-reminder", channel="email")


@pytest.fixture
def sms_template(db):
    return MessageTemplateFactory(name="sms-reminder", channel="sms")


@pytest.fixture
def french(acme):
    return scenario_create(name="French", entity=acme)


def _email_step(scenario, template, **fields):
    fields = {"mode": "manual", "template": template, **fields}
    return step_create(scenario=scenario, name="first", channel="email", **fields)


# Services ----------------------------------------------------------------------------------


def test_an_email_step_falls_back_to_a_letter_or_an_sms(french, email_template):
    step = _email_step(french, email_template, fallback_channel="letter")
    assert Step.objects.get(pk=step.pk).fallback_channel == "letter"
    step_update(step=step, fallback_channel="sms")
    assert Step.objects.get(pk=step.pk).fallback_channel == "sms"
    step_update(step=step, fallback_channel="")
    assert Step.objects.get(pk=step.pk).fallback_channel == ""


def test_a_fallback_on_a_step_that_is_not_an_email_is_refused(french, sms_template):
    with pytest.raises(ValidationError) as caught:
        step_create(
            scenario=french,
            name="sms",
            channel="sms",
            mode="manual",
            template=sms_template,
            fallback_channel="letter",
        )
    assert caught.value.message_dict["fallback_channel"] == [
        "Only email steps fall back to another channel when their email bounces: "
        "choose “none” for this step."
    ]
    assert not french.steps.exists()


def test_an_unknown_fallback_is_refused(french, email_template):
    with pytest.raises(ValidationError) as caught:
        _email_step(french, email_template, fallback_channel="fax")
    assert "not a valid choice" in caught.value.message_dict["fallback_channel"][0]


def test_an_automatic_step_falling_back_to_a_letter_needs_a_letter_connector(
    french, email_template, acme
):
    with pytest.raises(ValidationError) as caught:
        _email_step(french, email_template, mode="auto", fallback_channel="letter")
    assert caught.value.message_dict["fallback_channel"] == [
        "Automatic letters need a print-and-mail connector: Acme France has no active one. "
        "Add one in the administration (Delivery › Connectors) or make this step manual."
    ]
    # A manual step's letter is printed by hand; an SMS needs no letter connector.
    assert _email_step(french, email_template, fallback_channel="letter").pk
    assert _email_step(french, email_template, mode="auto", fallback_channel="sms").pk
    Connector.objects.create(entity=acme, channel="letter", kind="print_mail", settings={})
    step = _email_step(french, email_template, mode="auto", fallback_channel="letter")
    assert step.fallback_channel == "letter"


def test_a_duplicated_step_keeps_its_fallback(french, email_template):
    step = _email_step(french, email_template, fallback_channel="letter")
    assert step_duplicate(step=step).fallback_channel == "letter"


# The step panel ----------------------------------------------------------------------------


def _step_data(email_template, **changes):
    data = {
        "name": "first",
        "channel": "email",
        "mode": "manual",
        "anchor": "due_date",
        "offset_days": 3,
        "template": email_template.pk,
        "attachments": "none",
    }
    return {**data, **changes}


def test_the_step_panel_offers_and_saves_the_fallback(client, alice, email_template):
    scenario = ScenarioFactory(name="Standard", steps=[{"name": "first", "mode": "manual"}])
    step = scenario.steps.get()
    client.force_login(alice)
    url = reverse("scenarios:step-edit", args=[step.pk])
    page = client.get(url, **HTMX).content.decode()
    assert 'name="fallback_channel"' in page
    assert "None: the action stays in error" in page
    response = client.post(url, _step_data(email_template, fallback_channel="letter"), **HTMX)
    assert response.status_code == 204
    step.refresh_from_db()
    assert step.fallback_channel == "letter"
    detail = client.get(scenario.get_absolute_url()).content.decode()
    assert "bounce → Letter" in detail


def test_the_step_panel_names_the_field_of_a_refused_fallback(client, alice, email_template):
    scenario = ScenarioFactory(name="Standard")
    client.force_login(alice)
    url = reverse("scenarios:step-create", args=[scenario.pk])
    data = _step_data(email_template, channel="call", template="", fallback_channel="sms")
    response = client.post(url, data, **HTMX)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["fallback_channel"][0].startswith("Only email steps fall back")
    assert not scenario.steps.exists()


# config export / import --------------------------------------------------------------------

DOCUMENT = """
templates:
  - name: first-reminder
    channel: email
    variants:
      fr: {subject: "Facture #reference_number", body: "<p>Bonjour #contact_name</p>"}
  - name: sms
    channel: sms
    variants:
      fr: {body: "Relance #customer_name"}
scenarios:
  - name: standard
    steps:
      - {name: first, channel: email, mode: manual, offset_days: 3, template: first-reminder, fallback_channel: letter}
      - {name: second, channel: email, mode: manual, offset_days: 10, template: first-reminder}
      - {name: sms, channel: sms, mode: manual, offset_days: 20, template: sms}
"""  # noqa: E501


def test_config_round_trips_the_fallback(acme):
    config_import(text=DOCUMENT)
    assert dict(Step.objects.values_list("name", "fallback_channel")) == {
        "first": "letter",
        "second": "",
        "sms": "",
    }
    exported = config_dump()
    steps = yaml.safe_load(exported)["scenarios"][0]["steps"]
    assert [step.get("fallback_channel") for step in steps] == ["letter", None, None]
    Step.objects.all().delete()
    config_import(text=exported)
    assert Step.objects.get(name="first").fallback_channel == "letter"
    assert config_dump() == exported


@pytest.mark.parametrize(
    ("line", "error"),
    [
        (
            "{name: first, channel: email, mode: manual, template: first-reminder, "
            "fallback_channel: fax}",
            "scenarios[0].steps[0].fallback_channel: 'fax' is not one of sms, letter",
        ),
        (
            "{name: sms, channel: sms, mode: manual, template: sms, fallback_channel: letter}",
            "scenarios[0].steps[0].fallback_channel: Only email steps fall back",
        ),
    ],
)
def test_config_import_refuses_a_wrong_fallback(acme, line, error):
    head, _steps, _tail = DOCUMENT.partition("    steps:\n")
    text = f"{head}    steps:\n      - {line}\n"
    with pytest.raises(ConfigError) as caught:
        config_import(text=text)
    assert any(message.startswith(error) for message in caught.value.errors), caught.value.errors
    assert not Step.objects.exists()
