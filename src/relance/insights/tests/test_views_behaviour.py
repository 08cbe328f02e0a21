"""The behaviour card, the steps page and the forecast page, read as a user reads them."""

import csv
import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from relance.core.models import Entity
from relance.core.tests.factories import EntityFactory
from relance.customers.tests.factories import CustomerFactory
from relance.insights.tests.ledgers import AS_OF, build
from relance.insights.tests.test_effectiveness import steps  # noqa: F401 - a fixture


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(Entity, "today", lambda entity: AS_OF)


@pytest.fixture
def ledger(acme):
    return build(acme)


def test_the_customer_page_loads_the_behaviour_card(client, alice, ledger):
    client.force_login(alice)
    martin = ledger["martin"]
    page = client.get(martin.get_absolute_url()).content.decode()
    url = reverse("insights:customer-behaviour", args=[martin.pk])
    assert f'hx-get="{url}"' in page
    card = client.get(url).content.decode()
    assert "Payment behaviour" in card
    # The figures of test_behaviour (36.5 days to pay, 7.1 late, 57.1 % on time, 1 of 3
    # promises kept).
    for shown in ("36.5", "7.1", "57.1&nbsp;%", "+10.8", "(1/3)", "25.0&nbsp;%", "14.0"):
        assert shown in card


def test_the_card_in_french(client, alice, ledger):
    client.force_login(alice)
    url = reverse("insights:customer-behaviour", args=[ledger["martin"].pk])
    card = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Comportement de paiement" in card
    assert "36,5" in card


def test_a_customer_of_another_entity_is_not_found(client, bob, acme):
    other = CustomerFactory(entity=EntityFactory(slug="acme-de", name="Acme Deutschland"))
    client.force_login(bob)
    response = client.get(reverse("insights:customer-behaviour", args=[other.pk]))
    assert response.status_code == 404


def test_the_steps_page_and_its_exports(client, alice, acme, steps):  # noqa: F811
    client.force_login(alice)
    page = client.get(reverse("insights:steps")).content.decode()
    assert "1. first" in page
    assert "€200.00" in page and "€150.00" in page and "€50.00" in page
    exported = client.get(reverse("insights:steps"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["Scenario", "Step", "Stage"]
    assert rows[1][:8] == ["S", "1. first", "1–30 days", "2", "200.00", "2", "150.00", "50.00"]
    xlsx = client.get(reverse("insights:steps"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert [cell.value for cell in sheet[2]][:5] == ["S", "1. first", "1–30 days", 2, 200]


def test_the_forecast_page_draws_with_echarts(client, alice, ledger):
    client.force_login(alice)
    response = client.get(reverse("insights:forecast"))
    page = response.content.decode()
    assert "vendor/echarts/echarts.min.js" in page and "insights/forecast.js" in page
    start = page.index('<script id="forecast-data" type="application/json">')
    data = json.loads(page[start:].split(">", 1)[1].split("</script>", 1)[0])
    eur = data["currencies"][0]
    assert eur["currency"] == "EUR"
    assert eur["expected"][13:18] == ["1100.00", "700.00", "0.00", "0.00", "1200.00"]
    assert eur["received"][7] == "2000.00" and eur["expected"][0] is None
    assert data["labels"]["expected"] == "Expected"
    assert "€3,700.00" in page  # the open invoices, all placed


def test_the_forecast_exports(client, alice, ledger):
    client.force_login(alice)
    exported = client.get(reverse("insights:forecast"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["Currency", "Week", "Week from", "Expected", "Came in"]
    this_week = [row for row in rows if row[:2] == ["EUR", "0"]]
    assert this_week == [["EUR", "0", "2026-06-29", "1100.00", "300.00"]]
    assert ["EUR", "Disputed", "", "400.00", ""] in rows


def test_a_bad_format_is_refused_with_its_reason(client, alice, ledger):
    client.force_login(alice)
    response = client.get(reverse("insights:forecast"), {"format": "pdf"})
    assert response.status_code == 400
    assert "must be csv or xlsx" in response.content.decode()


def test_an_entity_the_user_does_not_see_is_not_found(client, bob, ledger):
    other = EntityFactory(slug="acme-de", name="Acme Deutschland")
    client.force_login(bob)
    assert client.get(reverse("insights:forecast"), {"entity": other.pk}).status_code == 404
    assert client.get(reverse("insights:steps"), {"entity": other.pk}).status_code == 404


def test_the_forecast_filtered_by_collector_drills_down_to_the_invoices(client, alice, acme):
    """Martin is alice's: his open invoices alone (D 500 and G 600 in week 0, I 700 in week
    1, F 400 disputed); each week's amount links to the invoices behind it."""
    ledger = build(acme, collector=alice)
    client.force_login(alice)
    page = client.get(reverse("insights:forecast"), {"collector": alice.pk}).content.decode()
    start = page.index('<script id="forecast-data" type="application/json">')
    data = json.loads(page[start:].split(">", 1)[1].split("</script>", 1)[0])
    [eur] = data["currencies"]  # Dupont's USD invoice L is not Martin's
    assert eur["expected"][13:15] == ["1100.00", "700.00"]
    assert "€1,700.00" not in page and "€2,200.00" in page  # 500 + 600 + 700 + 400 open
    link = f"collector={alice.pk}&amp;currency=EUR&amp;week=0"
    assert link in page
    items = client.get(
        reverse("insights:forecast-items"),
        {"entity": acme.pk, "collector": alice.pk, "currency": "EUR", "week": "0"},
    ).content.decode()
    table = items.split('id="forecast-items"', 1)[1]
    assert [n for n in "DGIFJK" if f"<td>{n}</td>" in table] == ["D", "G"]
    assert ledger["martin"].name in table
    disputed = client.get(
        reverse("insights:forecast-items"), {"currency": "EUR", "week": "-1"}
    ).content.decode()
    assert "<td>F</td>" in disputed and "<td>D</td>" not in disputed
    bad = client.get(reverse("insights:forecast-items"), {"currency": "EUR", "week": "99"})
    assert bad.status_code == 400


def test_the_steps_page_filters_by_segment(client, alice, acme, steps):  # noqa: F811
    from relance.scenarios.tests.factories import ScenarioFactory
    from relance.segments.models import Segment

    scenario = ScenarioFactory(name="Other", steps=[{"name": "mail"}])
    empty = Segment.objects.create(name="Nobody", entity=acme, scenario=scenario)
    client.force_login(alice)
    assert "1. first" in client.get(reverse("insights:steps")).content.decode()
    page = client.get(reverse("insights:steps"), {"segment": empty.pk}).content.decode()
    assert "1. first" not in page
    assert 'id="insights-filters"' in page
