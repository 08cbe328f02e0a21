"""The charts page: the numbers drawn (data attributes) are the data's, scoped to the user."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from relance.agenda.tests.test_views import make_action
from relance.analytics import selectors
from relance.analytics.charts import stacked_bars
from relance.core.templatetags.money import money
from relance.customers.selectors import visible_entity_todays
from relance.scenarios.tests.factories import ScenarioFactory
from relance.segments.models import Segment, SegmentMembership

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def scenario(acme):
    return ScenarioFactory(
        name="Standard",
        steps=[{"name": "call", "channel": "call", "mode": "manual"}, {"name": "mail"}],
    )


def chart_html(html: str, name: str) -> str:
    return html.split(f'data-chart="{name}"', 1)[1].split("</figure>", 1)[0]


def svg_geometry(html: str) -> list[str]:
    """Every value of a numeric attribute (geometry, transform, size) of the page's charts."""
    names = r"(?:x|y|x1|y1|x2|y2|width|height|viewBox|transform|font-size)"
    charts = re.findall(r"<svg.*?</svg>", html, re.S)
    return [value for chart in charts for value in re.findall(rf' {names}="([^"]*)"', chart)]


def segments(html: str) -> dict[tuple[str, str], str]:
    """{(bar key, series): value} of a chart's drawn segments."""
    found = {}
    for bar in re.finditer(r'<g class="bar" data-key="([^"]+)"(.*?)</g>', html, re.S):
        for series, value in re.findall(r'data-series="(\w+)" data-value="([^"]+)"', bar[2]):
            found[(bar[1], series)] = value
    return found


def test_stacked_bars_geometry():
    chart = stacked_bars(
        "t",
        [("a", "A"), ("b", "B")],
        [("x", "X", "red"), ("y", "Y", "blue")],
        {("a", "x"): 2, ("a", "y"): 2, ("b", "x"): 1},
    )
    assert chart.maximum == 4
    first, second = chart.bars
    assert first.total == 4 and second.total == 1
    assert first.segments[0].height == pytest.approx(2 * second.segments[0].height)


def test_day_and_channel_charts_match_the_actions(client, alice, acme, globex, scenario):
    today = acme.today()
    make_action(acme, scenario, due_offset=-2, name="Late")
    make_action(acme, scenario, due_offset=0, name="Today")
    make_action(acme, scenario, due_offset=3, name="Soon", channel="email", mode="auto")
    make_action(acme, scenario, status="done", name="Done", finished_on=today - DAY)
    make_action(acme, scenario, due_offset=40, name="Far")  # out of the window
    client.force_login(alice)
    html = client.get(reverse("analytics:index")).content.decode()
    days = segments(chart_html(html, "per-day"))
    key = lambda offset: str(today + offset * DAY)  # noqa: E731
    if globex.today() == today:
        assert days == {
            (key(-2), "todo"): "1",
            (key(0), "todo"): "1",
            (key(3), "upcoming"): "1",
            (key(-1), "done"): "1",
        }
    channels = segments(chart_html(html, "per-channel"))
    assert channels == {("call", "todo"): "2", ("call", "done"): "1", ("email", "upcoming"): "1"}


def test_charts_are_scoped_to_the_users_entities(client, bob, acme, globex, scenario):
    make_action(acme, scenario, name="Mine")
    make_action(globex, scenario, name="Theirs")
    make_action(globex, scenario, name="Theirs too")
    client.force_login(bob)
    html = client.get(reverse("analytics:index")).content.decode()
    assert segments(chart_html(html, "per-channel")) == {("call", "todo"): "1"}


def test_collected_per_step(client, alice, acme, scenario):
    today = acme.today()
    paid = make_action(acme, scenario, status="done", name="Paid", finished_on=today - 5 * DAY)
    paid.reference.open_amount = Decimal("0")
    paid.reference.settled_on = today - 2 * DAY
    paid.reference.save()
    unpaid = make_action(acme, scenario, status="sent", name="Unpaid", finished_on=today - DAY)
    # Settled before its step (updated since, as any item an import touches): not collected.
    before = make_action(acme, scenario, status="sent", name="Before", finished_on=today - DAY)
    before.reference.open_amount = Decimal("0")
    before.reference.settled_on = today - 3 * DAY
    before.reference.save()
    make_action(acme, scenario, status="skipped", name="Skipped", finished_on=today - DAY)
    rows = selectors.collected_per_step(
        selectors.chart_actions(alice), visible_entity_todays(alice)
    )
    assert len(rows) == 1
    row = rows[0]
    assert row["steps"] == 3
    at_stake = paid.reference.amount + unpaid.reference.amount + before.reference.amount
    assert row["at_stake"] == at_stake
    assert row["collected"] == paid.reference.amount
    client.force_login(alice)
    html = client.get(reverse("analytics:index")).content.decode()
    drawn = segments(chart_html(html, f"per-step-{paid.reference.currency}"))
    key = f"{scenario.pk}-1"
    assert Decimal(drawn[(key, "collected")]) == paid.reference.amount
    assert Decimal(drawn[(key, "open")]) == unpaid.reference.amount + before.reference.amount


def test_labels_in_french(client, alice, acme, scenario):
    make_action(acme, scenario, name="Late")
    client.force_login(alice)
    html = client.get(reverse("analytics:index"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Actions par jour" in html and "À faire" in html


def test_french_charts_draw_with_svg_numbers(client, alice, acme, scenario):
    """French writes "51,07", which SVG rejects: the bars vanished and the labels piled up.
    Numbers in SVG attributes are the language's no matter; amounts written out are."""
    late = make_action(acme, scenario, due_offset=-2, name="Late")
    make_action(acme, scenario, due_offset=3, name="Soon", channel="email", mode="auto")
    for name in ("Paid", "Unpaid", "Also unpaid"):
        done = make_action(acme, scenario, status="done", name=name, finished_on=acme.today())
        done.reference.amount = done.reference.open_amount = Decimal("1234.56")
        done.reference.save()
    client.force_login(alice)
    html = client.get(reverse("analytics:index"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    geometry = svg_geometry(html)
    assert len(geometry) > 50
    assert [value for value in geometry if "," in value] == []
    for name in ("per-day", "per-channel", f"per-step-{late.reference.currency}"):
        assert '<rect class="segment"' in chart_html(html, name)
    with translation.override("fr"):
        total = money(Decimal("3703.68"), late.reference.currency)
    assert "3\u202f703,68" in total and total in chart_html(html, "per-step-EUR")


def test_one_chart_per_currency(client, alice, acme, scenario):
    make_action(acme, scenario, status="done", name="Euro", finished_on=acme.today())
    pounds = make_action(acme, scenario, status="done", name="Pound", finished_on=acme.today())
    pounds.reference.currency = "GBP"
    pounds.reference.amount = pounds.reference.open_amount = Decimal("250000.00")
    pounds.reference.save()
    client.force_login(alice)
    html = client.get(reverse("analytics:index")).content.decode()
    key = f"{scenario.pk}-1"
    assert segments(chart_html(html, "per-step-EUR")) == {(key, "open"): "1000.00"}
    assert segments(chart_html(html, "per-step-GBP")) == {(key, "open"): "250000.00"}
    eur, gbp = chart_html(html, "per-step-EUR"), chart_html(html, "per-step-GBP")
    assert "(EUR)" in eur and "(GBP)" in gbp
    # Each axis is its own currency's, scaled to it: euros never measured against pounds.
    assert "£" not in eur and ">€1K<" in eur and ">€2K<" not in eur
    assert "€" not in gbp and ">£300K<" in gbp


def test_no_step_yet(client, alice, acme, scenario):
    make_action(acme, scenario, name="Late")
    client.force_login(alice)
    html = client.get(reverse("analytics:index")).content.decode()
    assert "Nothing to show yet." in chart_html(html, "per-step")


def test_one_query_per_chart(alice, acme, scenario, django_assert_num_queries):
    make_action(acme, scenario, name="Late")
    todays = visible_entity_todays(alice)
    with django_assert_num_queries(1):
        selectors.actions_per_day(selectors.chart_actions(alice), todays)
    with django_assert_num_queries(1):
        selectors.actions_per_channel(selectors.chart_actions(alice), todays)
    with django_assert_num_queries(1):
        selectors.collected_per_step(selectors.chart_actions(alice), todays)


def test_charts_filter_by_entity_collector_segment_scenario_and_channel(
    client, alice, bob, acme, globex, scenario
):
    other = ScenarioFactory(name="Other", steps=[{"name": "mail"}])
    mine = make_action(acme, scenario, name="Mine", responsible=bob)
    make_action(acme, scenario, name="Unassigned", channel="email", mode="auto")
    make_action(acme, other, name="Other scenario")
    make_action(globex, scenario, name="Globex")
    segment = Segment.objects.create(name="Key accounts", scenario=scenario)
    SegmentMembership.objects.create(segment=segment, customer=mine.customer)
    client.force_login(alice)

    def channels(**query):
        response = client.get(reverse("analytics:index"), query)
        assert response.status_code == 200
        counts = segments(chart_html(response.content.decode(), "per-channel"))
        return {key: int(value) for key, value in counts.items()}

    assert channels() == {("call", "todo"): 3, ("email", "todo"): 1}
    assert channels(entity=globex.pk) == {("call", "todo"): 1}
    assert channels(collector=bob.pk) == {("call", "todo"): 1}
    assert channels(segment=segment.pk) == {("call", "todo"): 1}
    assert channels(scenario=other.pk) == {("call", "todo"): 1}
    assert channels(channel="email") == {("email", "todo"): 1}
    assert channels(entity=acme.pk, scenario=scenario.pk) == {
        ("call", "todo"): 1,
        ("email", "todo"): 1,
    }


def test_a_chart_filter_that_does_not_hold_is_refused(client, alice, acme, scenario):
    client.force_login(alice)
    response = client.get(reverse("analytics:index"), {"channel": "pigeon"})
    assert response.status_code == 400
    assert "Channel" in response.content.decode()
