"""The Insights figures as segment criteria and alert conditions (segments/criteria.py):
the customers of conftest.py's `risky` (score 63) and `prudent` (score 0)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from relance.alerts.models import AlertHit
from relance.alerts.selectors import hit_figures, latest_hits
from relance.alerts.services import alert_rule_create, alert_rule_evaluate
from relance.customers.models import Customer
from relance.customers.tests.factories import CustomerFactory
from relance.insights.risk import risk_take
from relance.insights.services import snapshot_take
from relance.insights.tests.conftest import TODAY, D, invoice
from relance.scenarios.tests.factories import ScenarioFactory
from relance.segments.criteria import criteria_clean, criteria_queryset, criterion_fields
from relance.segments.models import SegmentMembership
from relance.segments.services import segment_create, segments_recompute


def rule(field, lookup, value=None):
    return {"op": "and", "rules": [{"field": field, "lookup": lookup, "value": value}]}


def matching(criteria, today=TODAY) -> set[str]:
    customers = criteria_queryset(criteria_clean(criteria), Customer.objects.all(), today)
    return set(customers.values_list("name", flat=True))


@pytest.fixture
def scored(acme, risky, prudent):
    """The two scored on TODAY, and a customer with no score (nothing in its currency)."""
    nobody = CustomerFactory(entity=acme, name="Nobody")
    invoice(nobody, TODAY, TODAY, "100", currency="USD")
    snapshot_take(entity=acme, day=TODAY)
    return {"risky": risky, "prudent": prudent, "nobody": nobody}


def test_a_segment_on_risk_score_at_least_60_picks_the_risky_customers(acme, scored):
    assert matching(rule("risk_score", "gte", 60)) == {"Risky SA"}
    assert matching(rule("risk_score", "lt", 60)) == {"Prudent SARL"}  # no score: no number
    assert matching(rule("risk_score", "is_empty", True)) == {"Nobody"}
    segment = segment_create(
        name="Risky", scenario=ScenarioFactory(), criteria=rule("risk_score", "gte", "60")
    )
    segments_recompute(entity=acme, today=TODAY)
    members = SegmentMembership.objects.filter(segment=segment)
    assert [m.customer.name for m in members] == ["Risky SA"]


def test_the_latest_day_written_counts_not_an_older_score(acme, scored):
    # The next day Risky pays everything: its new score replaces the 63.
    for item in scored["risky"].items.filter(open_amount__gt=0):
        item.open_amount, item.settled_on = D(0), TODAY
        item.save()
    risk_take(entity=acme, day=TODAY.replace(day=30).replace(month=4))
    assert matching(rule("risk_score", "gte", 60)) == set()


def test_overdue_ratio_dso_and_aging_as_criteria(acme, scored):
    # Risky: 2000 of 4000 overdue (50 %), R4 due on 1 March: 30 days late on 31 March;
    # DSO 72.0. Prudent: nothing overdue (0 %), DSO 90.0.
    assert matching(rule("overdue_ratio", "gte", "50")) == {"Risky SA"}
    assert matching(rule("overdue_ratio", "eq", "0")) == {"Prudent SARL"}
    assert matching(rule("dso", "gt", "80")) == {"Prudent SARL"}
    assert matching(rule("dso", "lte", "72")) == {"Risky SA"}
    assert matching(rule("aged_d1_30", "gte", "2000")) == {"Risky SA"}
    assert matching(rule("aged_d31_60", "gt", "0")) == set()
    assert matching(rule("aged_d1_30", "gte", "2000 USD")) == set()


@pytest.mark.parametrize(
    ("criteria", "message"),
    [
        (rule("risk_score", "gte", "high"), "Risk score: 'high' is not a whole number."),
        (rule("overdue_ratio", "contains", "5"), "Overdue ratio (%): the comparison 'contains'"),
        (rule("dso", "gt", "soon"), "DSO of the customer (days): 'soon' is not an amount."),
        (rule("aged_d90_plus", "gt", "5 XYZ"), "Overdue over 90 days: 'XYZ' is not a currency"),
    ],
)
def test_the_new_criteria_are_validated_naming_the_field_and_reason(db, criteria, message):
    with pytest.raises(ValidationError) as caught:
        criteria_clean(criteria)
    assert caught.value.messages[0].startswith(message), caught.value.messages


def test_labels_and_help_are_translated(db):
    fields = criterion_fields()
    with translation.override("fr"):
        assert str(fields["risk_score"].label) == "Score de risque"
        assert str(fields["overdue_ratio"].help).startswith("Factures ouvertes échues")
    assert all(str(fields[key].help) for key in ("risk_score", "overdue_ratio", "dso"))


def test_an_alert_on_the_risk_score_lists_the_customer_with_its_figures(acme, scored, alice):
    criteria = {
        "op": "and",
        "rules": [
            {"field": "risk_score", "lookup": "gte", "value": "60"},
            {"field": "overdue_ratio", "lookup": "gt", "value": "10"},
            {"field": "dso", "lookup": "gt", "value": "30"},
        ],
    }
    alert = alert_rule_create(owner=alice, name="Risk", criteria=criteria)
    assert alert_rule_evaluate(rule=alert, day=TODAY) == 1
    hit = AlertHit.objects.get()
    assert hit.customer == scored["risky"]
    assert hit.figures == {"risk_score": 63, "overdue_ratio": "50.00", "dso": "72.00"}
    fields = criterion_fields()
    with translation.override("en"):
        texts = [(f.label, f.text) for f in hit_figures(alert, latest_hits(alert)[0], fields)]
    assert sorted(texts) == [  # jsonb keeps its keys in its own order
        ("DSO of the customer (days)", "72.0 days"),
        ("Overdue ratio (%)", "50%"),
        ("Risk score", "63"),
    ]
