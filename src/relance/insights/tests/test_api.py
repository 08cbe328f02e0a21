"""The insights figures through the API: the numbers are those the selectors compute (the
hand-worked ledger of conftest.py), and a user of one entity never reads another's."""

import pytest

from relance.accounts import services as account_services
from relance.customers.tests.factories import CustomerFactory
from relance.insights import forecast
from relance.insights.risk import risk_take
from relance.insights.selectors import monthly_figures
from relance.insights.services import snapshots_backfill
from relance.insights.tests.conftest import TODAY, day, invoice

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def bob_api(client, bob):
    """bob (a collector of Acme France only) calling with his token."""
    _token, secret = account_services.api_token_create(user=bob, name="sync")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return client


@pytest.fixture
def both(acme, globex, ledger, risky):
    """The ledger of Acme France backfilled and scored; Globex with its own overdue
    customer, snapshot and score on the same days."""
    smith = CustomerFactory(entity=globex, name="Smith Ltd", currency="GBP")
    invoice(smith, day(1, 10), day(2, 10), "900", currency="GBP")
    for entity in (acme, globex):
        snapshots_backfill(entity=entity, start=day(12, 1, 2025), end=TODAY)
        risk_take(entity=entity, day=TODAY)
    return {"smith": smith}


def test_an_entitys_figures_are_the_selectors(bob_api, acme, both):
    body = bob_api.get(f"{API}/insights/{acme.pk}/").json()
    assert body["id"] == body["entity"] == acme.pk
    assert body["currency"] == "EUR" and body["day"] == TODAY.isoformat()
    months = monthly_figures(acme, day(4, 1, 2025), TODAY)
    assert [m["month"] for m in body["months"]] == [m.month.isoformat() for m in months]
    march = body["months"][-1]
    assert march["dso_countback"] == str(months[-1].dso_countback)
    assert march["dso_simple"] == str(months[-1].dso_simple)
    assert march["cei"] == (str(months[-1].cei) if months[-1].cei is not None else None)
    assert body["balance"]["open_amount"] == str(months[-1].closing.open_amount)
    assert body["balance"]["overdue"] == str(months[-1].closing.overdue)
    expected = forecast.cash_forecast(acme)
    assert [c["currency"] for c in body["forecast"]["currencies"]] == [
        c.currency for c in expected.currencies
    ]
    assert body["forecast"]["currencies"][0]["open_total"] == str(expected.currencies[0].open_total)


def test_an_entity_without_snapshots_answers_empty_figures(bob_api, acme):
    body = bob_api.get(f"{API}/insights/{acme.pk}/").json()
    assert body["day"] is None and body["balance"] is None and body["months"] == []
    assert body["forecast"]["as_of"] == acme.today().isoformat()


def test_a_user_never_reads_another_entitys_figures(bob_api, acme, globex, both):
    rows = bob_api.get(f"{API}/insights/").json()["results"]
    assert [row["entity"] for row in rows] == [acme.pk]
    response = bob_api.get(f"{API}/insights/{globex.pk}/")
    assert response.status_code == 404
    assert response.json() == bob_api.get(f"{API}/insights/999999/").json()


def test_risk_scores_of_the_users_entities_only(bob_api, acme, risky, both):
    rows = bob_api.get(f"{API}/customer-risks/").json()["results"]
    assert risky.pk in {row["customer"] for row in rows}
    assert {row["entity"] for row in rows} == {acme.pk}
    one = bob_api.get(f"{API}/customer-risks/", {"customer": risky.pk, "day": TODAY}).json()
    [score] = one["results"]
    assert score["score"] > 0 and score["lateness"] is not None
    smith = bob_api.get(f"{API}/customer-risks/", {"customer": both["smith"].pk}).json()
    assert smith["results"] == []


@pytest.mark.parametrize(("param", "value"), [("customer", "x"), ("day", "31/03/2026")])
def test_a_bad_risk_filter_is_a_problem(bob_api, param, value):
    response = bob_api.get(f"{API}/customer-risks/", {param: value})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_the_figures_are_read_only_and_open_to_the_session(bob_api, acme, alice, client):
    assert bob_api.post(f"{API}/insights/", {}).status_code == 405
    client.defaults.pop("HTTP_AUTHORIZATION")
    client.force_login(alice)
    assert client.get(f"{API}/insights/{acme.pk}/").status_code == 200
