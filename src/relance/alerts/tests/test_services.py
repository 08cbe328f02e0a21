"""Alert rules: user-defined criteria match the right customers (scoped to the owner), with
the figures that matched, one query per rule; the digest mails each owner once."""

import datetime
import importlib

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from relance.alerts.models import AlertHit, AlertRule
from relance.alerts.services import (
    alert_rule_create,
    alert_rule_evaluate,
    alert_rule_update,
    alerts_evaluate,
)
from relance.alerts.tests.conftest import rules

pytestmark = pytest.mark.django_db


def hits(rule) -> dict[str, dict]:
    alert_rule_evaluate(rule=rule)
    return {
        hit.customer.name: hit.figures
        for hit in AlertHit.objects.filter(
            rule=rule, evaluated_on=rule.last_evaluated_on
        ).select_related("customer")
    }


def create(owner, *leaves, op="and", name="Alert"):
    return alert_rule_create(owner=owner, name=name, criteria=rules(*leaves, op=op))


def test_overdue_amount_with_its_figure(alice, customers):
    rule = create(alice, ("overdue_amount", "gt", "500"))
    assert hits(rule) == {
        "Big": {"overdue_amount": "1000.00"},
        "Abroad": {"overdue_amount": "2000.00"},
    }


def test_an_amount_with_a_currency_tests_that_currency_only(alice, customers):
    rule = create(alice, ("overdue_amount", "gt", "500 gbp"))
    assert rule.criteria["rules"][0]["value"] == "500 GBP"
    assert set(hits(rule)) == {"Abroad"}
    with pytest.raises(ValidationError, match="'XYZ' is not a currency code"):
        create(alice, ("overdue_amount", "gt", "500 XYZ"), name="Bad")


def test_over_the_credit_limit(alice, customers):
    rule = create(alice, ("credit_limit_use", "gt", "100"))
    assert hits(rule) == {
        "Big": {"credit_limit_use": "200.00"},
        "Abroad": {"credit_limit_use": "20000.00"},
    }


def test_days_overdue_figure_is_in_days(alice, customers):
    rule = create(alice, ("days_overdue", "gt", "30"))
    assert hits(rule) == {"Big": {"days_overdue": 50}, "Abroad": {"days_overdue": 60}}


def test_item_status_broken_promise_with_the_amount_promised(alice, customers):
    rule = create(alice, ("item_status", "eq", "promise_broken"))
    assert hits(rule) == {"Small": {"item_status": "200.00"}, "Abroad": {"item_status": "2000.00"}}


def test_disputed_and_next_due_date(alice, customers):
    rule = create(alice, ("item_status", "eq", "disputed"), ("next_due_in", "lte", "5"))
    assert hits(rule) == {"Insured": {"item_status": "12000.00", "next_due_in": 3}}


def test_credit_insurance_and_guarantee_fields(alice, customers):
    expiring = create(alice, ("insurance_expires_in", "lt", "30"), name="Expiring")
    assert hits(expiring) == {"Insured": {"insurance_expires_in": 20}}
    guaranteed = create(
        alice,
        ("guarantee_kind", "eq", "bank_guarantee"),
        ("guarantee_amount", "gte", "1500 EUR"),
        ("insurer", "eq", "Coface"),
        name="Guaranteed",
    )
    assert hits(guaranteed) == {
        "Insured": {
            "guarantee_kind": "bank_guarantee",
            "guarantee_amount": "1500.00",
            "insurer": "Coface",
        }
    }
    # 12000 owed, 8000 insured, 1500 guaranteed: 2500 not covered.
    uncovered = create(alice, ("uncovered", "gt", "2000"), name="Uncovered")
    assert hits(uncovered)["Insured"] == {"uncovered": "2500.00"}
    uninsured = create(alice, ("insurer", "is_empty", ""), ("overdue_amount", "gt", "0"), name="U")
    assert set(hits(uninsured)) == {"Big", "Small", "Abroad"}


def test_custom_fields_and_or(alice, customers, acme):
    from relance.customers.models import Customer, CustomField

    CustomField.objects.create(name="risk", label="Risk score", type="integer")
    Customer.objects.filter(name="Kept").update(custom_field_data={"risk": 9})
    rule = create(alice, ("cf_risk", "gte", "8"), ("days_overdue", "gt", "55"), op="or")
    assert hits(rule) == {
        "Kept": {"cf_risk": 9, "days_overdue": None},
        "Abroad": {"cf_risk": None, "days_overdue": 60},
    }


def test_scoped_to_the_customers_the_owner_sees(bob, customers):
    rule = create(bob, ("item_status", "eq", "promise_broken"))
    assert set(hits(rule)) == {"Small"}


def test_bad_rules_are_refused_with_their_reason(alice):
    with pytest.raises(ValidationError) as error:
        create(alice, ("overdu", "gt", "5"))
    assert "Rule 1: no field is called 'overdu'." in error.value.messages
    with pytest.raises(ValidationError, match="Add at least one rule"):
        alert_rule_create(owner=alice, name="Everyone", criteria={})
    assert not AlertRule.objects.exists()


def test_update_changes_the_rules(alice, customers):
    rule = create(alice, ("overdue_amount", "gt", "500"))
    alert_rule_update(rule=rule, criteria=rules(("overdue_amount", "gt", "1500")), name="Bigger")
    rule.refresh_from_db()
    assert rule.name == "Bigger"
    assert set(hits(rule)) == {"Abroad"}


def test_evaluate_all_is_one_query_per_rule_and_idempotent(
    alice, bob, customers, django_assert_max_num_queries
):
    create(alice, ("credit_limit_use", "gt", "100"), name="Limit")
    create(bob, ("item_status", "eq", "promise_broken"), name="Promises")
    alerts_evaluate()
    # Custom fields once; per owner its entities, then its badge (count, update); per rule:
    # its match, delete, insert, save (and the savepoints around them).
    with django_assert_max_num_queries(1 + 2 + 2 * 8 + 2 * 2):
        results = alerts_evaluate()
    assert sorted(results.values()) == [1, 2]
    assert AlertHit.objects.count() == 3  # the rerun replaced the day's hits

    # In 2030 Kept's promise is broken too.
    alerts_evaluate(day=datetime.date(2030, 1, 1))
    assert AlertHit.objects.filter(evaluated_on=datetime.date(2030, 1, 1)).count() == 4


def test_command(alice, customers, capsys):
    create(alice, ("credit_limit_use", "gt", "100"))
    call_command("alerts", "evaluate")
    assert "1 rules evaluated, 2 customers matched" in capsys.readouterr().out


def test_the_migration_rewrites_each_former_kind():
    migration = importlib.import_module("relance.alerts.migrations.0002_user_defined_rules")
    assert migration._kind_criteria("overdue_above", "500", 0)["rules"] == [
        {"field": "overdue_amount", "lookup": "gt", "value": "500"}
    ]
    assert migration._kind_criteria("invoice_late", "0", 30)["rules"] == [
        {"field": "days_overdue", "lookup": "gt", "value": 30}
    ]
    assert migration._kind_criteria("broken_promise", "0", 0)["rules"] == [
        {"field": "item_status", "lookup": "eq", "value": "promise_broken"}
    ]
    from relance.segments.criteria import criteria_clean

    for kind in ("overdue_above", "over_credit_limit", "invoice_late", "broken_promise"):
        criteria_clean(migration._kind_criteria(kind, "500", 30))  # each one valid


def test_the_badge_counts_each_customer_once_and_follows_deletion(bob, customers):
    from relance.alerts.services import alert_rule_delete

    late = create(bob, ("overdue_amount", "gt", "50"), name="Late")
    create(bob, ("item_status", "eq", "promise_broken"), name="Promises")
    alerts_evaluate()
    bob.refresh_from_db()
    assert bob.alert_customer_count == 2  # Big and Small, Small in both
    alert_rule_delete(rule=late)
    bob.refresh_from_db()
    assert bob.alert_customer_count == 1
