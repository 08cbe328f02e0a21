"""The REST API as a whole: a user of one entity never sees or changes another's rows, on
every endpoint the router serves (a new endpoint without a case here fails the test); the
schema validates; filters are the UI's; errors are problem documents."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from relance.accounts import services as account_services
from relance.accounts.tests.factories import UserFactory
from relance.agenda.models import Action, CustomerResponse
from relance.agenda.tests.test_views import make_action
from relance.config.api_urls import router
from relance.engine.models import EngineRun
from relance.insights.models import CustomerRisk
from relance.scenarios.tests.factories import ScenarioFactory
from relance.segments.models import Segment

pytestmark = pytest.mark.django_db
API = "/api/v1"


def entity_rows(entity, name: str) -> dict:
    """One row of each resource in `entity`, by the router's prefix."""
    scenario = ScenarioFactory(
        entity=entity, name=f"{name} scenario", steps=[{"channel": "call", "mode": "manual"}]
    )
    action = make_action(entity, scenario, name=name, status="to_confirm", mode="auto_confirm")
    customer = action.customer
    response = CustomerResponse.objects.create(
        entity=entity,
        customer=customer,
        action=action,
        received_at=timezone.now(),
        channel="email",
        body="We pay on Friday.",
    )
    return {
        "entities": entity,
        "customers": customer,
        "contacts": customer.contacts.get(),
        "items": action.reference,
        "actions": action,
        "responses": response,
        "scenarios": scenario,
        "segments": Segment.objects.create(
            name=f"{name} segment", entity=entity, scenario=scenario
        ),
        "engine-runs": EngineRun.objects.create(
            entity=entity, day=entity.today(), status="finished"
        ),
        "insights": entity,
        "customer-risks": CustomerRisk.objects.create(
            entity=entity, customer=customer, day=entity.today(), score=40
        ),
    }


@pytest.fixture
def world(acme, globex):
    return {"acme": entity_rows(acme, "Dupont"), "globex": entity_rows(globex, "Smith")}


@pytest.fixture
def bob_api(client, bob):
    """bob (a collector of Acme France only) calling with his token."""
    _token, secret = account_services.api_token_create(user=bob, name="sync")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return client


PREFIXES = [prefix for prefix, _viewset, _basename in router.registry]
OPERATIONS = [
    (prefix, extra.url_path)
    for prefix, viewset, _basename in router.registry
    for extra in viewset.get_extra_actions()
    if extra.detail
]


def all_pages(client, url: str) -> list[dict]:
    rows = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        rows += body["results"]
        url = body["next"]
    return rows


@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_list_shows_only_the_users_entities(bob_api, world, prefix):
    ids = {row["id"] for row in all_pages(bob_api, f"{API}/{prefix}/")}
    assert world["acme"][prefix].pk in ids
    assert world["globex"][prefix].pk not in ids


@pytest.mark.parametrize("prefix", PREFIXES)
def test_another_entitys_row_answers_404_as_a_missing_one(bob_api, world, prefix):
    assert bob_api.get(f"{API}/{prefix}/{world['acme'][prefix].pk}/").status_code == 200
    response = bob_api.get(f"{API}/{prefix}/{world['globex'][prefix].pk}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert bob_api.get(f"{API}/{prefix}/999999/").json() == response.json()


@pytest.mark.parametrize(("prefix", "operation"), OPERATIONS)
def test_an_operation_on_another_entitys_row_answers_404_and_changes_nothing(
    bob_api, world, prefix, operation
):
    row = world["globex"][prefix]
    before = type(row).objects.filter(pk=row.pk).values().get()
    body = {"note": "done", "due_date": (row.due_date + datetime.timedelta(3)).isoformat()}
    response = bob_api.post(
        f"{API}/{prefix}/{row.pk}/{operation}/", body, content_type="application/json"
    )
    assert response.status_code == 404
    assert type(row).objects.filter(pk=row.pk).values().get() == before


def test_a_run_is_refused_for_another_entity(client, world, acme, globex):
    carol = UserFactory(username="carol", role="credit_manager")
    carol.entities.set([acme])
    _token, secret = account_services.api_token_create(user=carol, name="runs")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    refused = client.post(
        f"{API}/engine-runs/", {"entity": globex.pk}, content_type="application/json"
    )
    assert refused.status_code == 400
    assert refused.json()["errors"] == [
        f'entity: Invalid pk "{globex.pk}" - object does not exist.'
    ]
    assert (
        not EngineRun.objects.filter(entity=globex)
        .exclude(pk=world["globex"]["engine-runs"].pk)
        .exists()
    )
    started = client.post(
        f"{API}/engine-runs/",
        {"entity": acme.pk, "dry_run": True},
        content_type="application/json",
    )
    assert started.status_code == 202
    assert started.json()["entity"] == acme.pk
    assert EngineRun.objects.filter(entity=acme, dry_run=True).exists()


@pytest.mark.parametrize("kind", ["customers", "contacts", "items"])
def test_a_bulk_upsert_never_reaches_another_entity(client, world, acme, globex, kind):
    carol = UserFactory(username="carol", role="credit_manager")
    carol.entities.set([acme])
    _token, secret = account_services.api_token_create(user=carol, name="erp")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    smith = world["globex"]["customers"]
    before = {
        name: type(row).objects.filter(pk=row.pk).values().get()
        for name, row in world["globex"].items()
    }
    record = {
        "external_id": smith.external_id,
        "name": "Taken over",
        "customer_external_id": smith.external_id,
    }
    response = client.post(
        f"{API}/{kind}/bulk/",
        {"entity": globex.pk, "items": [record]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0].startswith("entity: Invalid pk")
    after = {
        name: type(row).objects.filter(pk=row.pk).values().get()
        for name, row in world["globex"].items()
    }
    assert after == before


def test_a_filter_naming_another_entity_is_refused_with_a_problem(bob_api, world, globex):
    response = bob_api.get(f"{API}/customers/?entity={globex.pk}")
    assert response.status_code == 400
    body = response.json()
    assert body["title"] == "Invalid input"
    assert body["errors"][0].startswith("entity: Select a valid choice.")


def test_filters_are_the_ui_filtersets(bob_api, world):
    dupont = world["acme"]["customers"]
    rows = all_pages(bob_api, f"{API}/customers/?q=Dupont")
    assert [row["id"] for row in rows] == [dupont.pk]
    assert all_pages(bob_api, f"{API}/customers/?q=nobody-has-this-name") == []


def test_the_agenda_operations_go_through_the_agenda_services(bob_api, world):
    action = world["acme"]["actions"]
    response = bob_api.post(f"{API}/actions/{action.pk}/confirm/")
    assert response.status_code == 200
    assert response.json()["status"] == "confirmed"
    again = bob_api.post(f"{API}/actions/{action.pk}/confirm/")
    assert again.status_code == 400
    assert again.json()["errors"] == ["This action is confirmed: it cannot be confirmed."]
    skipped = bob_api.post(f"{API}/actions/{action.pk}/skip/", {}, content_type="application/json")
    assert skipped.status_code == 400
    assert skipped.json()["errors"] == ["note: This field is required."]
    response = bob_api.post(
        f"{API}/actions/{action.pk}/skip/", {"note": "paid"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert Action.objects.get(pk=action.pk).status == "skipped"


def test_cursor_pages_cover_every_row_once(bob_api, world, acme):
    scenario = world["acme"]["scenarios"]
    for number in range(5):
        make_action(acme, scenario, name=f"Extra {number}")
    rows = all_pages(bob_api, f"{API}/actions/?page_size=2")
    assert len(rows) == len({row["id"] for row in rows}) == 6


def test_the_schema_validates():
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


def test_building_the_schema_leaves_the_pages_filters_alone(client, alice, world):
    """The schema reads the FilterSets' class-level filters: the choices each request
    computes (the categories in use) must still reach the customer list."""
    world["acme"]["customers"].__class__.objects.update(category="retail")
    call_command("spectacular", "--file", "/dev/null")
    client.force_login(alice)
    response = client.get("/customers/", {"category": "retail"})
    assert response.status_code == 200
    assert response.context["filterset"].form.fields["category"].choices[1:] == [
        ("retail", "retail")
    ]
