import pytest
from django.http import QueryDict
from django.urls import reverse

from relance.scenarios.models import Scenario
from relance.segments.forms import builder_from_criteria, criteria_from_post
from relance.segments.models import Segment, SegmentMembership
from relance.segments.services import segment_create, segments_recompute

HTMX = {"HTTP_HX_REQUEST": "true"}
KEY = {"op": "and", "rules": [{"field": "tags", "lookup": "eq", "value": "Key account"}]}


def form_data(scenario, **extra):
    data = {
        "name": "Overdue",
        "priority": 50,
        "scenario": scenario.pk,
        "is_active": "on",
        "op": "and",
        "group": ["0"],
        "g0-op": "and",
        "g0-field": ["overdue_amount"],
        "g0-lookup": ["gt"],
        "g0-value": ["0"],
    }
    data.update(extra)
    return data


def test_criteria_from_post_and_back():
    data = QueryDict(mutable=True)
    data.setlist("group", ["0", "3"])
    data["op"] = "or"
    data["g0-op"] = "and"
    data.setlist("g0-field", ["country", "", "tags"])
    data.setlist("g0-lookup", ["in", "eq", "is_empty"])
    data.setlist("g0-value", ["FR, BE", "", ""])
    data["g3-op"] = "or"
    data.setlist("g3-field", ["days_overdue"])
    data.setlist("g3-lookup", ["gt"])
    data.setlist("g3-value", [" 60 "])
    criteria = criteria_from_post(data)
    assert criteria == {
        "op": "or",
        "rules": [
            {
                "op": "and",
                "rules": [
                    {"field": "country", "lookup": "in", "value": "FR, BE"},
                    {"field": "tags", "lookup": "is_empty", "value": ""},
                ],
            },
            {"op": "or", "rules": [{"field": "days_overdue", "lookup": "gt", "value": "60"}]},
        ],
    }
    builder = builder_from_criteria(criteria)
    assert builder.op == "or" and len(builder.groups) == 2 and not builder.too_deep
    flat = builder_from_criteria(
        {"op": "or", "rules": [{"field": "country", "lookup": "in", "value": ["FR", "BE"]}]}
    )
    assert flat.groups[0].op == "or"
    assert flat.groups[0].rules[0]["value"] == "FR, BE"
    deep = {"op": "and", "rules": [{"op": "or", "rules": [KEY]}]}
    assert builder_from_criteria(deep).too_deep
    assert criteria_from_post(QueryDict()) == {"op": "and", "rules": []}


def test_list_with_member_counts_scoped_to_the_user(client, customers, scenario, alice, bob):
    segment_create(name="Everyone", scenario=scenario)
    segments_recompute()
    client.force_login(alice)
    response = client.get(reverse("segments:list"))
    assert [(s.name, s.member_count) for s in response.context["segments"]] == [("Everyone", 3)]
    client.force_login(bob)  # limited to Acme: Initech is not counted
    response = client.get(reverse("segments:list"))
    assert [(s.name, s.member_count) for s in response.context["segments"]] == [("Everyone", 2)]
    assert "every customer" in response.content.decode()


def test_bob_sees_no_segment_restricted_to_globex(client, customers, bob, globex):
    uk = Scenario.objects.create(name="UK", entity=globex)
    segment = segment_create(name="UK", scenario=uk, entity=globex)
    client.force_login(bob)
    assert list(client.get(reverse("segments:list")).context["segments"]) == []
    assert client.get(reverse("segments:edit", args=[segment.pk])).status_code == 404


def test_create_through_the_rule_builder(client, customers, scenario, alice):
    client.force_login(alice)
    assert client.get(reverse("segments:create")).status_code == 200
    response = client.post(reverse("segments:create"), form_data(scenario))
    assert response.status_code == 302
    segment = Segment.objects.get(name="Overdue")
    assert segment.criteria == {
        "op": "and",
        "rules": [{"field": "overdue_amount", "lookup": "gt", "value": "0"}],
    }
    response = client.get(reverse("segments:edit", args=[segment.pk]))
    assert 'value="overdue_amount" selected' in response.content.decode()


def test_invalid_rules_are_shown_and_nothing_saved(client, customers, scenario, alice):
    client.force_login(alice)
    data = form_data(scenario, **{"g0-field": ["days_overdue"], "g0-value": ["ten"]})
    response = client.post(reverse("segments:create"), data)
    assert response.status_code == 200
    assert "Days overdue: &#x27;ten&#x27; is not a whole number." in response.content.decode()
    assert not Segment.objects.exists()


def test_each_bad_rule_reads_as_a_sentence_naming_its_field(client, customers, scenario, alice):
    client.force_login(alice)
    rows = {
        "g0-field": ["days_overdue", "language", "on_hold", "total_open"],
        "g0-lookup": ["gt", "eq", "eq", "contains"],
        "g0-value": ["abc", "xx", "maybe", "1"],
    }
    response = client.post(reverse("segments:create"), form_data(scenario, **rows))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Days overdue: 'abc' is not a whole number.",
        "Language: 'xx' is not one of en, fr, de, es, it, nl, pt, pt-br, pl, ro, hr, sv, tr, "
        "ja, zh-hans.",
        "On hold: 'maybe' is not yes or no.",
        "Total open invoices: the comparison 'contains' does not apply (use “is”, “is not”, "
        "“greater than”, “at least”, “less than”, “at most”).",
    ]
    assert not Segment.objects.exists()


def test_edit_and_delete(client, customers, scenario, alice):
    segment = segment_create(name="Key", scenario=scenario, criteria=KEY)
    client.force_login(alice)
    data = form_data(scenario, name="Key accounts", priority=5)
    client.post(reverse("segments:edit", args=[segment.pk]), data)
    segment.refresh_from_db()
    assert (segment.name, segment.priority) == ("Key accounts", 5)
    client.post(reverse("segments:delete", args=[segment.pk]))
    assert not Segment.objects.exists()


def test_collector_cannot_edit(client, customers, scenario, bob):
    segment = segment_create(name="Key", scenario=scenario, criteria=KEY)
    client.force_login(bob)
    assert client.get(reverse("segments:edit", args=[segment.pk])).status_code == 200
    assert client.get(reverse("segments:create")).status_code == 403
    assert client.post(reverse("segments:create"), form_data(scenario)).status_code == 403
    assert (
        client.post(reverse("segments:edit", args=[segment.pk]), form_data(scenario)).status_code
        == 403
    )
    assert client.post(reverse("segments:delete", args=[segment.pk])).status_code == 403
    assert client.post(reverse("segments:recompute")).status_code == 403


def test_a_collector_reads_the_rules_without_controls_to_change_them(
    client, customers, scenario, alice, bob
):
    segment = segment_create(name="Key", scenario=scenario, criteria=KEY)
    url = reverse("segments:edit", args=[segment.pk])
    client.force_login(bob)
    html = client.get(url).content.decode()
    assert '<div class="segment-criteria" inert>' in html
    assert "only a credit manager can change it" in html
    add_rule = 'class="btn btn-sm btn-link rule-add"'
    for control in ('id="group-add"', add_rule, "×</button>", ">Save<"):
        assert control not in html
    client.force_login(alice)
    html = client.get(url).content.decode()
    assert '<div class="segment-criteria">' in html and 'id="group-add"' in html
    assert "×</button>" in html and ">Save<" in html


def test_live_count(client, customers, scenario, alice, bob, acme):
    client.force_login(alice)
    response = client.post(reverse("segments:count"), form_data(scenario), **HTMX)
    assert response.context["count"] == 2
    assert "2 customers match now" in response.content.decode()
    response = client.post(reverse("segments:count"), form_data(scenario, entity=acme.pk), **HTMX)
    assert response.context["count"] == 1
    client.force_login(bob)  # over the customers bob may see only
    response = client.post(reverse("segments:count"), form_data(scenario), **HTMX)
    assert response.context["count"] == 1
    data = form_data(scenario, **{"g0-field": ["overdu"]})
    response = client.post(reverse("segments:count"), data, **HTMX)
    assert response.context["errors"] == ["Rule 1: no field is called 'overdu'."]


def test_recompute_button(client, customers, scenario, alice):
    segment_create(name="Key", scenario=scenario, criteria=KEY)
    client.force_login(alice)
    response = client.post(reverse("segments:recompute"), follow=True)
    assert "1 segment recomputed. 1 membership." in response.content.decode()
    assert SegmentMembership.objects.count() == 1


@pytest.mark.parametrize("source", ["hand", "segment", "entity", "none"])
def test_customer_page_collection_panel(client, customers, scenario, alice, source):
    dupont = customers["dupont"]
    other = Scenario.objects.create(name="Pinned")
    if source == "hand":
        dupont.scenario = other
        dupont.save()
    if source in ("hand", "segment"):
        segment_create(name="Key accounts", scenario=scenario, criteria=KEY)
        segments_recompute()
    if source == "entity":
        dupont.entity.default_scenario = other
        dupont.entity.save()
    client.force_login(alice)
    response = client.get(reverse("customers:detail", args=[dupont.pk]))
    panel = response.context["panel"]
    html = response.content.decode()
    assert "Collection" in html
    expected = {
        "hand": ("Pinned", "set by hand"),
        "segment": ("Standard", "segment Key accounts"),
        "entity": ("Pinned", "entity default"),
        "none": (None, ""),
    }[source]
    assert (panel.scenario.name if panel.scenario else None, panel.source) == expected
    if source in ("hand", "segment"):
        assert panel.segment.name == "Key accounts"
    assert panel.reference == dupont.items.get()


def test_list_counts_the_customers_each_segment_routes_and_its_overlaps(
    client, customers, scenario, alice
):
    """Dupont and Martin (Acme) and Initech (Globex) match "Everyone"; Dupont and Initech
    are overdue, so "Overdue" (priority 10) routes them; Martin's scenario is set by hand."""
    everyone = segment_create(name="Everyone", scenario=scenario, priority=50)
    overdue = segment_create(
        name="Overdue",
        scenario=scenario,
        priority=10,
        criteria={
            "op": "and",
            "rules": [{"field": "overdue_amount", "lookup": "gt", "value": "0"}],
        },
    )
    segment_create(name="Dormant", scenario=scenario, priority=5, is_active=False)
    segments_recompute()
    customers["martin"].scenario = scenario
    customers["martin"].save()
    client.force_login(alice)
    response = client.get(reverse("segments:list"))
    listed = {s.name: s for s in response.context["segments"]}
    assert [s.name for s in response.context["segments"]] == ["Dormant", "Overdue", "Everyone"]
    assert listed["Overdue"].member_count == 2 and listed["Overdue"].overlaps == []
    assert listed["Everyone"].member_count == 0
    assert [(o.count, o.segment, o.by_hand) for o in listed["Everyone"].overlaps] == [
        (2, overdue, False),
        (1, None, True),
    ]
    html = response.content.decode()
    assert "2 by “Overdue”" in html and "1 with a scenario set by hand" in html
    assert everyone.pk
