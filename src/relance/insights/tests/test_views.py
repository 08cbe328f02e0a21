"""The Insights pages over the ledger of conftest.py, backfilled: the figures shown are the
hand-worked ones of docs/insights.md (those test_selectors.py checks), the totals the
dashboard reads equal the customers' snapshots, a user sees only their entities, and
every table exports as CSV and XLSX."""

import csv
import io
import json
import re
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from relance.customers.tests.factories import CustomerFactory
from relance.insights import dashboard
from relance.insights.models import DailyTotal, MonthlySales
from relance.insights.selectors import aging_over_time, balances, monthly_figures
from relance.insights.services import snapshot_take, snapshots_backfill
from relance.insights.tests.conftest import TODAY, D, day
from relance.ledger.tests.factories import ItemFactory

pytestmark = pytest.mark.django_db
URL = reverse("insights:dashboard")
DRILL = reverse("insights:customers")


@pytest.fixture
def backfilled(acme, ledger, alice):
    ledger["dupont"].collector = alice
    ledger["dupont"].save()
    snapshots_backfill(entity=acme, start=day(12, 1, 2025), end=TODAY)
    return ledger


@pytest.fixture
def globex_ledger(globex):
    """Globex's own customer, overdue, in a snapshot of the same day."""
    customer = CustomerFactory(entity=globex, name="Globex Secret Ltd", currency="GBP")
    ItemFactory(
        customer=customer,
        number="G1",
        issue_date=day(1, 10),
        due_date=day(2, 9),
        amount=D("9999"),
        open_amount=D("9999"),
    )
    snapshot_take(entity=globex, day=TODAY)
    return customer


def chart(html: str, name: str) -> dict:
    found = re.search(
        rf'<script id="chart-data-{name}" type="application/json">(.*?)</script>', html, re.S
    )
    return json.loads(found[1])


def test_totals_equal_the_customers_snapshots(acme, backfilled, alice):
    scope = dashboard.Scope(entities=(acme,), currency="EUR")
    months = [day(1, 31), day(2, 28), TODAY]
    assert dashboard.scope_balances(scope, months) == balances(acme, months, currency="EUR")
    fast = dashboard.scope_months(scope, day(1, 1), TODAY)
    assert fast == monthly_figures(acme, day(1, 1), TODAY)
    assert dashboard.scope_aging(scope, day(1, 1), TODAY) == aging_over_time(acme, day(1, 1), TODAY)
    # Dupont is alice's: her portfolio on 31 March is F2 1200 + F4 500, all overdue.
    mine = dashboard.Scope(entities=(acme,), currency="EUR", collector=alice)
    assert dashboard.scope_balances(mine, [TODAY])[TODAY].open_amount == D("1700")
    # Sales by month are kept per collector: Dupont's March sales are 0, Martin's 3000.
    march = MonthlySales.objects.filter(entity=acme, month=day(3, 1), currency="EUR")
    assert {row.collector_id: row.sales for row in march} == {None: D("3000.00")}
    assert DailyTotal.objects.filter(entity=acme, day=TODAY, currency="USD").get().open_amount == D(
        "400"
    )


def test_dashboard_shows_the_hand_worked_figures(client, acme, backfilled, alice):
    client.force_login(alice)
    response = client.get(URL, {"entity": acme.pk, "start": "2026-01", "end": "2026-03"})
    html = response.content.decode()
    assert response.status_code == 200
    # March (docs/insights.md): countback 54.8, simple 48.6, best 31.0, ADD 17.6, CEI 46.9,
    # overdue ratio 36.2 %.
    for key, text in [
        ("dso_countback", "54.8"),
        ("dso_simple", "48.6"),
        ("best_possible_dso", "31.0"),
        ("add", "17.6"),
        ("cei", "46.9%"),
        ("overdue_ratio", "36.2%"),
    ]:
        card = html.split(f'id="figure-{key}"', 1)[1].split("</details>", 1)[0]
        assert f">{text}</a>" in card, key
    days = chart(html, "days")
    assert days["categories"] == ["2026-01-01", "2026-02-01", "2026-03-01"]
    assert days["series"][0]["values"] == [31.0, 40.4, 54.8]  # countback
    assert days["series"][1]["values"] == [31.0, 44.8, 48.6]  # simple
    assert chart(html, "percent")["series"][0]["values"] == [None, 60.0, 46.9]  # CEI
    aging = chart(html, "aging")
    march_31 = aging["categories"].index("2026-03-31")
    by_key = {serie["key"]: serie["values"][march_31] for serie in aging["series"]}
    assert by_key == {"not_due": 3000, "d1_30": 500, "d31_60": 1200, "d61_90": 0, "d90_plus": 0}
    # The top customer by overdue is Dupont (1,700), with a link to his page.
    top = html.split('id="top-table"', 1)[1].split("</table>", 1)[0]
    assert reverse("customers:detail", args=[backfilled["dupont"].pk]) in top
    assert "€1,700.00" in top


def test_dashboard_in_french_formats_numbers_the_french_way(client, acme, backfilled, alice):
    client.force_login(alice)
    with translation.override("fr"):
        response = client.get(
            URL, {"start": "2026-03", "end": "2026-03"}, HTTP_ACCEPT_LANGUAGE="fr"
        )
    html = response.content.decode()
    assert 'lang="fr"' in html
    assert ">48,6</a>" in html
    assert "1\u202f700,00\xa0€" in html or "1\xa0700,00\xa0€" in html
    assert chart(html, "days")["series"][1]["texts"] == ["48,6"]


def test_a_collector_of_acme_never_sees_globex(
    client, acme, globex, backfilled, globex_ledger, bob
):
    client.force_login(bob)
    html = client.get(URL).content.decode()
    assert "Globex" not in html
    assert 'value="GBP"' not in html  # not even as a currency to choose
    # Asked for Globex by id, the filter refuses it.
    assert client.get(URL, {"entity": globex.pk}).status_code == 400
    drill = client.get(DRILL, {"entity": globex.pk, "day": TODAY.isoformat()})
    assert drill.status_code == 400
    # Without an entity, a drill-down in GBP still lists nothing of Globex's.
    drill = client.get(DRILL, {"currency": "GBP", "day": TODAY.isoformat()})
    assert "Globex Secret" not in drill.content.decode()


def test_a_group_of_entities_adds_up_per_currency(
    client, acme, globex, backfilled, globex_ledger, alice
):
    client.force_login(alice)
    query = {
        "entity": [acme.pk, globex.pk],
        "currency": "GBP",
        "start": "2026-03",
        "end": "2026-03",
    }
    html = client.get(URL, query).content.decode()
    aging = chart(html, "aging")
    march_31 = aging["categories"].index("2026-03-31")
    assert {s["key"]: s["values"][march_31] for s in aging["series"]}["d31_60"] == 9999
    assert "Globex Secret Ltd" in html  # top customers by overdue, in GBP


def test_segment_filter_reads_the_members_snapshots(client, acme, backfilled, alice):
    from relance.scenarios.tests.factories import ScenarioFactory
    from relance.segments.models import Segment, SegmentMembership

    scenario = ScenarioFactory(name="Standard", steps=[{"name": "mail"}])
    segment = Segment.objects.create(name="Martin only", entity=acme, scenario=scenario)
    SegmentMembership.objects.create(segment=segment, customer=backfilled["martin"])
    client.force_login(alice)
    html = client.get(
        URL, {"segment": segment.pk, "start": "2026-03", "end": "2026-03"}
    ).content.decode()
    # Martin alone in March: DSO 31.0 by both methods, CEI 100.0 % (docs/insights.md).
    days = chart(html, "days")
    assert days["series"][0]["values"] == [31.0] and days["series"][1]["values"] == [31.0]
    assert chart(html, "percent")["series"][0]["values"] == [100.0]
    assert "Dupont SA" not in html  # Martin has nothing overdue: no top customer at all
    assert "Nothing overdue." in html


def test_drill_down_from_a_bucket_lists_its_customers(client, acme, backfilled, alice):
    client.force_login(alice)
    html = client.get(URL, {"start": "2026-03", "end": "2026-03"}).content.decode()
    link = re.search(r'id="bucket-d31_60" href="([^"]+)"', html)[1].replace("&amp;", "&")
    page = client.get(link)
    text = page.content.decode()
    assert page.status_code == 200
    # On 31 March only Dupont has something 31–60 days overdue (F2, 1,200).
    assert "Dupont SA" in text and "Boulangerie Martin" not in text
    assert reverse("customers:detail", args=[backfilled["dupont"].pk]) in text
    assert "overdue=true" in text  # the link to his overdue items
    # 28 February, 1–30 days: Dupont again (F2 9 days late); Martin owes F3, not due.
    late = client.get(DRILL, {"day": "2026-02-28", "amount": "d1_30"}).content.decode()
    assert "Dupont SA" in late and "Boulangerie Martin" not in late
    not_due = client.get(DRILL, {"day": "2026-02-28", "amount": "not_due"}).content.decode()
    assert "Boulangerie Martin" in not_due


def test_exports_hold_the_figures(client, acme, backfilled, alice):
    client.force_login(alice)
    query = {"start": "2026-01", "end": "2026-03", "table": "months", "export": "csv"}
    response = client.get(URL, query)
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    assert [row["dso_countback"] for row in rows] == ["31.0", "40.4", "54.8"]
    assert [row["cei"] for row in rows] == ["", "60.0", "46.9"]
    response = client.get(URL, {**query, "table": "collectors", "export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.values)
    assert values[0][:5] == ("collector", "customers", "currency", "open", "overdue")
    # Alice collects Dupont (1,700 open, all overdue); Martin has no collector (3,000).
    assert sorted(row[3:5] for row in values[1:]) == [(1700, 1700), (3000, 0)]
    drill = client.get(DRILL, {"day": TODAY.isoformat(), "amount": "overdue", "export": "csv"})
    lines = list(csv.reader(io.StringIO(b"".join(drill.streaming_content).decode("utf-8-sig"))))
    assert len(lines) == 2 and "Dupont SA" in lines[1]
    assert Decimal(lines[1][lines[0].index("Overdue")]) == D("1700.00")


def test_bad_filters_are_refused_with_their_reason(client, alice, acme):
    client.force_login(alice)
    response = client.get(URL, {"start": "2026-05", "end": "2026-01"})
    assert response.status_code == 400
    assert "The end month is before the start month." in response.content.decode()
    assert client.get(DRILL, {"day": "soon"}).status_code == 400


def test_no_snapshot_yet_says_so(client, alice, acme):
    client.force_login(alice)
    html = client.get(URL).content.decode()
    assert "No snapshot yet" in html
    assert "figure-dso_simple" not in html


def test_the_daily_snapshot_rewrites_its_totals_and_the_sales(acme, backfilled):
    snapshot_take(entity=acme, day=TODAY)
    snapshot_take(entity=acme, day=TODAY)  # again the same day: replaced, not added
    eur = DailyTotal.objects.filter(entity=acme, day=TODAY, currency="EUR")
    assert sum(row.open_amount for row in eur) == D("4700")
    assert sum(row.customers for row in eur) == 2
    # An invoice issued in March, imported since: the next snapshot counts it in the sales.
    ItemFactory(
        customer=backfilled["martin"],
        number="F8",
        issue_date=day(3, 30),
        due_date=day(4, 29),
        amount=D("250"),
        open_amount=D("250"),
    )
    snapshot_take(entity=acme, day=TODAY)
    march = MonthlySales.objects.filter(entity=acme, month=day(3, 1), currency="EUR")
    assert sum(row.sales for row in march) == D("3250")


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("currency", ["EUR", "GBP", "JPY", "CHF"])
def test_the_fast_money_formatter_writes_what_the_money_filter_writes(language, currency):
    from relance.core.templatetags.money import money
    from relance.insights.charts import money_formatter

    with translation.override(language):
        formatted = money_formatter(currency)
        for value in ("0", "0.5", "7", "999.99", "1000", "1234.56", "-1234.56", "98765432.1"):
            assert formatted(D(value)) == money(D(value), currency), value


@pytest.fixture
def company_rates(db):
    """The company's own rates (exact numbers to work by hand): GBP at 1.15 EUR from
    January, 1.20 from March; USD at 0.90 EUR from March."""
    from relance.insights.fx import rates_import

    rates_import(
        text="date,currency,quote,rate\n"
        "2026-01-01,GBP,EUR,1.15\n2026-03-01,GBP,EUR,1.20\n2026-03-01,USD,EUR,0.90\n"
    )


def test_a_group_in_two_currencies_is_shown_in_the_reporting_currency(
    client, acme, globex, backfilled, globex_ledger, company_rates, alice
):
    client.force_login(alice)
    query = {"entity": [acme.pk, globex.pk], "start": "2026-03", "end": "2026-03"}
    html = client.get(URL, query).content.decode()
    # Acme in EUR, Globex in GBP: by default converted into the group's currency, EUR.
    assert "Every currency converted at the rate of each day" in html
    # 31 March: Acme 4700 EUR (not due 3000, 1–30 500, 31–60 1200) + F6 400 USD not due ×
    # 0.90 = 360 + Globex's G1 9999 GBP, 50 days late, × 1.20 = 11998.80 (31–60).
    aging = chart(html, "aging")
    march_31 = aging["categories"].index("2026-03-31")
    by_key = {serie["key"]: serie["values"][march_31] for serie in aging["series"]}
    assert by_key == {"not_due": 3360, "d1_30": 500, "d31_60": 13198.8, "d61_90": 0, "d90_plus": 0}
    # Receivables 17058.80, March sales 3000 + 360 = 3360: DSO simple 17058.80 / 3360 × 31
    # = 157.39 → 157.4; ADD 13698.80 / 3360 × 31 = 126.39 → 126.4. Countback: 17058.80 −
    # 3360 (31 days) − 2000 (28) = 11698.80; January's sales 3000 + 9999 × 1.15 =
    # 14498.85 exceed it: 11698.80 / 14498.85 × 31 = 25.01 → 59 + 25.01 = 84.0.
    days = chart(html, "days")
    assert days["series"][0]["values"] == [84.0]
    assert days["series"][1]["values"] == [157.4]
    # The rate date beside every converted figure: the cards, the months, the aging days.
    card = html.split('id="figure-dso_simple"', 1)[1].split("</details>", 1)[0]
    assert "Rates of 01/03/2026" in card
    month_row = html.split('id="month-2026-03-01"', 1)[1].split("</tr>", 1)[0]
    assert '<td class="rate-day">01/03/2026</td>' in month_row
    assert "€17,058.80" in month_row
    export = client.get(URL, {**query, "table": "months", "export": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert (rows[0]["currency"], rows[0]["receivables"], rows[0]["rate_day"]) == (
        "EUR",
        "17058.80",
        "2026-03-01",
    )


def test_a_missing_rate_is_a_clear_message(client, acme, globex, backfilled, globex_ledger, alice):
    from relance.insights.models import ExchangeRate

    ExchangeRate.objects.all().delete()
    client.force_login(alice)
    # ECB has GBP rates since 1999: only an unknown currency fails. Globex's items in XTS
    # (the ISO testing code) have no rate at all.
    globex_ledger.items.update(currency="XTS")
    DailyTotal.objects.filter(entity=globex).update(currency="XTS")
    response = client.get(URL, {"entity": [acme.pk, globex.pk], "currency": "all"})
    assert response.status_code == 400
    assert "No ECB rate for XTS" in response.content.decode()


def test_converted_figures_read_the_same_from_the_totals_and_the_snapshots(
    acme, globex, backfilled, globex_ledger, company_rates
):
    from relance.customers.models import Customer

    totals = dashboard.Scope(entities=(acme, globex), currency="EUR", converted=True)
    everyone = dashboard.Scope(
        entities=(acme, globex),
        currency="EUR",
        converted=True,
        customers=Customer.objects.values("pk"),
    )
    assert dashboard.scope_months(totals, day(3, 1), TODAY) == dashboard.scope_months(
        everyone, day(3, 1), TODAY
    )
    portfolios = dashboard.collector_portfolios(totals, TODAY)
    assert sum(p.balance.open_amount for p in portfolios) == D("17058.80")
    top = dashboard.top_overdue(totals, TODAY)
    # Globex's 9999 GBP (11998.80 EUR) ranks before Dupont's 1700 EUR.
    assert [row.customer.name for row in top] == ["Globex Secret Ltd", "Dupont SA"]


def test_the_charts_words_come_in_the_readers_language(client, acme, backfilled, alice):
    """ECharts' own words (month names, legend selector, screen-reader descriptions) and the
    charts' axis names and tooltip line are Django's translations, French and English."""
    client.force_login(alice)
    english = client.get(URL, {"start": "2026-03", "end": "2026-03"}).content.decode()
    locale = chart(english.replace("chart-locale", "chart-data-locale"), "locale")
    assert locale["time"]["month"][0] == "January"
    assert locale["time"]["dayOfWeek"][0] == "Sunday"
    assert chart(english, "days")["axes"] == {"x": "Month", "y": "Days"}
    assert chart(english, "aging")["axes"]["y"] == "Amount (EUR)"
    with translation.override("fr"):
        french = client.get(
            URL, {"start": "2026-03", "end": "2026-03"}, HTTP_ACCEPT_LANGUAGE="fr"
        ).content.decode()
    locale = chart(french.replace("chart-locale", "chart-data-locale"), "locale")
    assert locale["time"]["month"][0] == "janvier"
    assert locale["time"]["dayOfWeek"][0].lower() == "dimanche"
    assert locale["legend"]["selector"] == {"all": "Toutes", "inverse": "Inverser"}
    assert locale["texts"]["line"] == "{name} : {value}"
    assert locale["aria"]["general"]["withoutTitle"] == "Ceci est un graphique"
    assert chart(french, "days")["axes"] == {"x": "Mois", "y": "Jours"}
    assert chart(french, "percent")["axes"]["y"] == "Pourcentage"
    assert chart(french, "aging")["axes"] == {"x": "Jour", "y": "Montant (EUR)"}


def test_the_no_collector_portfolio_lists_only_the_customers_without_one(
    client, acme, backfilled, alice
):
    # Dupont is alice's, Martin has no collector.
    client.force_login(alice)
    html = client.get(URL, {"start": "2026-03", "end": "2026-03"}).content.decode()
    table = html.split('id="portfolios-table"', 1)[1].split("</table>", 1)[0]
    link = re.search(r'<a href="([^"]+)">No collector</a>', table)[1].replace("&amp;", "&")
    assert "no_collector=on" in link
    page = client.get(link).content.decode()
    assert "Boulangerie Martin" in page and "Dupont SA" not in page
    both = client.get(URL, {"collector": alice.pk, "no_collector": "on"})
    assert both.status_code == 400


def test_items_of_a_past_day_show_that_days_open_amounts(client, acme, backfilled, alice):
    """Martin on 28 February: F3 (1,500, settled on 20 March, no history) was open in full;
    F1 (settled 20 February) and F5 (issued 15 March) were not. Today F3 owes 0."""
    client.force_login(alice)
    drill = client.get(DRILL, {"day": "2026-02-28", "amount": "not_due"}).content.decode()
    martin = backfilled["martin"].pk
    link = re.search(rf'<a href="(/insights/customers/items/\?customer={martin}&[^"]+)"', drill)[1]
    page = client.get(link.replace("&amp;", "&")).content.decode()
    table = page.split('id="items-on-day"', 1)[1]
    assert "<td>F3</td>" in table and "<td>F1</td>" not in table and "<td>F5</td>" not in table
    row = table.split("<td>F3</td>", 1)[1].split("</tr>", 1)[0]
    assert "€1,500.00</td>" in row and "€0.00</td>" in row  # that day, and today
    # Dupont on 28 February, overdue only: F2, 1,200 after the 800 paid that day.
    dupont = client.get(
        reverse("insights:customer-items"),
        {
            "customer": backfilled["dupont"].pk,
            "day": "2026-02-28",
            "currency": "EUR",
            "overdue": "true",
        },
    ).content.decode()
    table = dupont.split('id="items-on-day"', 1)[1]
    assert "<td>F2</td>" in table and "<td>F4</td>" not in table  # F4 not yet due
    assert "€1,200.00" in table
