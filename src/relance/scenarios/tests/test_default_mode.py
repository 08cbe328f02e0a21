"""A new step starts automatic after confirmation, as the seeds' steps do; a call or a task
left at that default is manual."""

import pytest
from django.urls import reverse

from relance.scenarios import services
from relance.scenarios.choices import default_mode
from relance.scenarios.tests.factories import ScenarioFactory
from relance.templating.tests.factories import MessageTemplateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def standard(db):
    return ScenarioFactory(name="Standard", steps=[])


def test_the_step_editor_offers_after_confirmation_first(client, alice, standard):
    client.force_login(alice)
    form = client.get(reverse("scenarios:step-create", args=[standard.pk])).context["form"]
    assert form["mode"].value() == "auto_confirm"
    assert '<option value="auto_confirm" selected>' in str(form["mode"])


def test_a_new_step_saved_as_it_came_is_after_confirmation(client, alice, standard):
    template = MessageTemplateFactory(name="First reminder", channel="email")
    client.force_login(alice)
    url = reverse("scenarios:step-create", args=[standard.pk])
    data = {"channel": "email", "anchor": "due_date", "attachments": "none"}
    mode = client.get(url).context["form"]["mode"].value()
    client.post(
        url, {**data, "name": "first", "offset_days": 3, "mode": mode, "template": template.pk}
    )
    client.post(url, {**data, "name": "call", "offset_days": 9, "mode": mode, "channel": "call"})
    assert list(standard.steps.values_list("name", "mode")) == [
        ("first", "auto_confirm"),
        ("call", "manual"),
    ]


def test_the_service_defaults_to_after_confirmation(standard):
    template = MessageTemplateFactory(name="First reminder", channel="email")
    step = services.step_create(scenario=standard, name="first", channel="email", template=template)
    task = services.step_create(scenario=standard, name="kyc", channel="task", offset_days=1)
    assert (step.mode, task.mode) == ("auto_confirm", "manual")
    assert (default_mode("sms"), default_mode("call")) == ("auto_confirm", "manual")
