import json

import pytest
from django.urls import reverse

from relance.accounts.tests.factories import UserFactory
from relance.scenarios.models import Scenario, Step
from relance.scenarios.tests.factories import ScenarioFactory, StepFactory
from relance.templating.tests.factories import MessageTemplateFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def email_template(db):
    return MessageTemplateFactory(name="First reminder", channel="email")


@pytest.fixture
def standard(email_template):
    return ScenarioFactory(
        name="Standard",
        steps=[
            {"name": "courtesy", "offset_days": -5, "template": email_template},
            {"name": "first", "offset_days": 3, "template": email_template},
            {"name": "call", "channel": "call", "mode": "manual", "offset_days": 25},
            {
                "name": "kyc",
                "channel": "task",
                "mode": "manual",
                "offset_days": 10,
                "anchor": "issue_date",
            },
        ],
    )


@pytest.fixture
def uk_only(globex):
    return ScenarioFactory(name="UK only", entity=globex)


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


def test_list_and_visibility(client, alice, bob, standard, uk_only):
    client.force_login(alice)
    response = client.get(reverse("scenarios:list"))
    assert [s.name for s in response.context["scenarios"]] == ["Standard", "UK only"]
    client.force_login(bob)
    response = client.get(reverse("scenarios:list"))
    assert [s.name for s in response.context["scenarios"]] == ["Standard"]
    assert client.get(reverse("scenarios:detail", args=[uk_only.pk])).status_code == 404
    assert client.get(reverse("scenarios:detail", args=[standard.pk])).status_code == 200


def test_timeline_page_renders(alice_client, standard):
    response = alice_client.get(reverse("scenarios:detail", args=[standard.pk]))
    assert response.status_code == 200
    timeline = response.context["timeline"]
    assert (timeline.start, timeline.end) == (-10, 30)
    due_row, issue_row = timeline.rows
    assert [m.step.name for m in due_row.markers] == ["courtesy", "first", "call"]
    assert [m.left for m in due_row.markers] == [12.5, 32.5, 87.5]
    assert [m.step.name for m in issue_row.markers] == ["kyc"]
    assert timeline.zero == 25.0
    html = response.content.decode()
    assert html.count('class="timeline-marker mode-') == 4
    assert "timeline-marker mode-manual" in html and "timeline-marker mode-auto" in html
    assert "☎" in html and "✉" in html
    assert "Add a step" in html


def test_collector_can_view_but_not_edit(client, bob, standard, email_template):
    client.force_login(bob)
    response = client.get(reverse("scenarios:detail", args=[standard.pk]))
    assert response.status_code == 200 and "Add a step" not in response.content.decode()
    step = standard.steps.first()
    for url in (
        reverse("scenarios:create"),
        reverse("scenarios:edit", args=[standard.pk]),
        reverse("scenarios:step-create", args=[standard.pk]),
        reverse("scenarios:step-edit", args=[step.pk]),
    ):
        assert client.get(url).status_code == 403
    for url in (
        reverse("scenarios:step-operation", args=[step.pk, "delete"]),
        reverse("scenarios:duplicate", args=[standard.pk]),
        reverse("scenarios:delete", args=[standard.pk]),
    ):
        assert client.post(url).status_code == 403
    assert standard.steps.count() == 4


def test_manager_limited_to_acme_sees_no_globex_scenario(client, acme, uk_only):
    carla = UserFactory(username="carla", role="credit_manager")
    carla.entities.set([acme])
    client.force_login(carla)
    assert client.get(reverse("scenarios:edit", args=[uk_only.pk])).status_code == 404
    step = StepFactory(scenario=uk_only, mode="manual")
    assert client.get(reverse("scenarios:step-edit", args=[step.pk])).status_code == 404


def test_create_and_edit_settings(alice_client):
    response = alice_client.post(
        reverse("scenarios:create"),
        {
            "name": "Gentle",
            "min_contact_days": 10,
            "min_amount": "5.00",
            "repeat_last_every_days": 0,
            "lookahead_days": 7,
            "promise_grace_days": 3,
        },
    )
    gentle = Scenario.objects.get(name="Gentle")
    assert response.url == gentle.get_absolute_url()
    response = alice_client.post(
        reverse("scenarios:create"),
        {
            "name": "Gentle",
            "min_contact_days": 10,
            "min_amount": "0",
            "repeat_last_every_days": 0,
            "lookahead_days": 7,
            "promise_grace_days": 3,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors


def test_side_panel_edit_through_htmx(alice_client, standard, email_template):
    step = standard.steps.get(name="first")
    url = reverse("scenarios:step-edit", args=[step.pk])
    response = alice_client.get(url, **HTMX)
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert f'hx-post="{url}"' in response.content.decode()
    data = {
        "name": "first reminder",
        "channel": "email",
        "mode": "auto_confirm",
        "anchor": "due_date",
        "offset_days": 4,
        "template": email_template.pk,
        "attachments": "none",
        "cc_contact_roles": ["billing"],
    }
    response = alice_client.post(url, data, **HTMX)
    assert response.status_code == 204
    location = json.loads(response["HX-Location"])
    assert location == {
        "path": standard.get_absolute_url(),
        "target": "main",
        "select": "main",
        "swap": "outerHTML",
    }
    step.refresh_from_db()
    assert (step.name, step.mode, step.offset_days, step.cc_contact_roles) == (
        "first reminder",
        "auto_confirm",
        4,
        "billing",
    )


def test_side_panel_shows_the_services_refusals(alice_client, standard, email_template):
    url = reverse("scenarios:step-create", args=[standard.pk])
    data = {
        "name": "notice",
        "channel": "registered_letter",
        "mode": "auto",
        "anchor": "due_date",
        "offset_days": 30,
        "attachments": "none",
    }
    response = alice_client.post(url, data, **HTMX)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "print-and-mail connector" in errors["mode"][0]
    assert errors["template"] == ["An automatic step needs a template."]
    data = {**data, "channel": "call", "mode": "auto"}
    response = alice_client.post(url, data, **HTMX)
    assert response.context["form"].errors["mode"] == ["Calls and tasks are always manual."]
    assert standard.steps.count() == 4


def test_add_step_without_htmx(alice_client, standard):
    url = reverse("scenarios:step-create", args=[standard.pk])
    assert "<html" in alice_client.get(url).content.decode()
    data = {
        "name": "escalation",
        "channel": "task",
        "mode": "manual",
        "anchor": "due_date",
        "offset_days": 45,
        "attachments": "none",
        "instructions": "Call the lawyer",
    }
    response = alice_client.post(url, data)
    assert response.status_code == 302
    assert standard.steps.last().name == "escalation"


def test_reorder_duplicate_delete(alice_client, standard):
    first, kyc = standard.steps.get(name="first"), standard.steps.get(name="kyc")
    # `kyc` (issue date) moves freely among the steps on the due date ...
    alice_client.post(reverse("scenarios:step-operation", args=[kyc.pk, "up"]))
    assert list(standard.steps.values_list("name", flat=True)) == [
        "courtesy",
        "first",
        "kyc",
        "call",
    ]
    alice_client.post(reverse("scenarios:step-operation", args=[kyc.pk, "down"]))
    # ... but `first` (+3) never before `courtesy` (-5): refused, nothing moves.
    alice_client.post(reverse("scenarios:step-operation", args=[first.pk, "up"]))
    assert list(standard.steps.values_list("name", flat=True))[:2] == ["courtesy", "first"]
    alice_client.post(reverse("scenarios:step-operation", args=[first.pk, "duplicate"]))
    assert list(standard.steps.values_list("position", "name")) == [
        (1, "courtesy"),
        (2, "first"),
        (3, "Copy of first"),
        (4, "call"),
        (5, "kyc"),
    ]
    alice_client.post(reverse("scenarios:step-operation", args=[first.pk, "delete"]))
    assert list(standard.steps.values_list("position", flat=True)) == [1, 2, 3, 4]
    assert not Step.objects.filter(pk=first.pk).exists()


def test_duplicate_and_delete_scenario(alice_client, standard):
    response = alice_client.post(reverse("scenarios:duplicate", args=[standard.pk]))
    copy = Scenario.objects.get(name="Copy of Standard")
    assert response.url == copy.get_absolute_url()
    assert copy.steps.count() == 4
    alice_client.post(reverse("scenarios:delete", args=[copy.pk]))
    assert not Scenario.objects.filter(pk=copy.pk).exists()


def test_pages_in_french(alice_client, standard):
    alice_client.cookies["django_language"] = "fr"
    html = alice_client.get(
        reverse("scenarios:detail", args=[standard.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert "Frise" in html and "Ajouter une étape" in html
    html = alice_client.get(reverse("segments:create"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Ajouter une règle" in html
