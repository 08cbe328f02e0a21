"""The risk score worked out by hand on 31 March 2026 (docs/insights.md, "Risk score")."""

import datetime
from decimal import Decimal

from django.urls import reverse

from relance.customers.tests.factories import CustomerFactory
from relance.insights.models import CustomerRisk
from relance.insights.risk import customer_risk, risk_take
from relance.insights.services import snapshot_take
from relance.insights.tests.conftest import TODAY, D, day, invoice


def test_the_risk_score_and_its_parts_by_hand(acme, risky, prudent):
    assert risk_take(entity=acme, day=TODAY) == 2
    risk = CustomerRisk.objects.get(customer=risky)
    # Days late weighted by amount: (1000 × 10 + 3000 × 40 + 1000 × 0) / 5000 = 26.0 days;
    # lateness 26 / 60 × 100 = 43.33…
    assert risk.days_late == D("26.0")
    assert risk.lateness == D("43.3")
    # Overdue share: R4 2000 / (R4 + R5) 4000 = 50.0; disputes 4000 / 4000 = 100.0.
    assert risk.overdue_share == D("50.0")
    assert risk.disputes == D("100.0")
    # Trend: last 90 days (since 31 Dec) 120000 / 4000 = 30 days late, before 10000 / 1000
    # = 10 days: 20 days later, 20 / 30 × 100 = 66.66…
    assert risk.trend == D("66.7")
    # Credit limit use: outstanding 4000 − 500 = 3500 / 4000 = 87.5.
    assert risk.credit_use == D("87.5")
    # DSO over 90 days: open 4000 / sales since 31 Dec (R3 1000 + R4 2000 + R5 2000) × 90
    # = 72.0.
    assert risk.dso == D("72.0")
    # Score: (30 × 43.33 + 25 × 50 + 15 × 66.67 + 10 × 100 + 20 × 87.5) / 100
    #      = (1300 + 1250 + 1000 + 1000 + 1750) / 100 = 63.
    assert risk.score == 63


def test_parts_without_data_are_left_out_of_the_score(acme, prudent):
    risk_take(entity=acme, day=TODAY)
    risk = CustomerRisk.objects.get(customer=prudent)
    # Only paid in the last 90 days: no trend; no credit limit: no credit use. The score
    # is (30 × 0 + 25 × 0 + 10 × 0) / (30 + 25 + 10) = 0; DSO 1000 / 1000 × 90.
    assert (risk.trend, risk.credit_use) == (None, None)
    assert (risk.lateness, risk.overdue_share, risk.disputes) == (D("0.0"), D("0.0"), D("0.0"))
    assert (risk.score, risk.days_late, risk.dso) == (0, D("0.0"), D("90.0"))


def test_a_customer_with_nothing_in_its_currency_has_no_score(acme):
    dupont = CustomerFactory(entity=acme, name="Dupont SA", currency="EUR")
    invoice(dupont, day(1, 5), day(1, 20), "1000", currency="USD")
    assert risk_take(entity=acme, day=TODAY) == 0
    assert customer_risk(dupont) is None


def test_the_daily_snapshot_writes_the_scores_and_the_page_reads_the_latest(acme, risky):
    snapshot_take(entity=acme, day=TODAY - datetime.timedelta(days=1))
    snapshot_take(entity=acme, day=TODAY)
    snapshot_take(entity=acme, day=TODAY)  # idempotent
    assert CustomerRisk.objects.filter(customer=risky).count() == 2
    risk = customer_risk(risky)
    assert (risk.day, risk.score, risk.level) == (TODAY, 63, "high")
    assert [(p.name, p.weight, p.value) for p in risk.parts] == [
        ("lateness", 30, D("43.3")),
        ("overdue_share", 25, D("50.0")),
        ("trend", 15, D("66.7")),
        ("disputes", 10, D("100.0")),
        ("credit_use", 20, D("87.5")),
    ]
    assert sum(p.weight for p in risk.parts) == 100
    assert isinstance(risk.days_late, Decimal)


def test_the_customer_page_shows_the_risk_card_with_its_parts(client, alice, acme, risky, prudent):
    client.force_login(alice)
    url = reverse("customers:detail", args=[risky.pk])
    assert "No risk score yet" in client.get(url).content.decode()
    snapshot_take(entity=acme, day=TODAY)
    page = client.get(url).content.decode()
    card = page[page.index('id="risk-title"') : page.index('id="identity-title"')]
    assert "63 / 100" in card
    for label, value in [("Payment lateness", "43.3"), ("Trend", "66.7"), ("Disputes", "100.0")]:
        row = card[card.index(label) :]
        assert value in row[: row.index("</tr>")]
    assert "Average days late: 26.0" in card and "DSO (90 days): 72.0" in card
    prudent_page = client.get(reverse("customers:detail", args=[prudent.pk])).content.decode()
    assert "No data: left out of the score" in prudent_page  # no trend, no credit limit
