import pytest
from django.core.exceptions import ValidationError

from relance.core.models import Entity
from relance.customers.models import Customer, CustomField
from relance.customers.selectors import entity_todays
from relance.segments.criteria import criteria_clean, criteria_queryset, describe_rule


@pytest.fixture
def custom_fields(db):
    CustomField.objects.create(name="segment_code", label="Code", type="select", choices=["A", "B"])
    CustomField.objects.create(name="employees", label="Employees", type="integer")
    CustomField.objects.create(name="revenue", label="Revenue", type="decimal")
    CustomField.objects.create(name="since", label="Customer since", type="date")
    CustomField.objects.create(name="vip", label="VIP", type="boolean")
    CustomField.objects.create(name="note", label="Note", type="text")


def matching(criteria) -> set[str]:
    cleaned = criteria_clean(criteria)
    todays = entity_todays(Entity.objects.all())
    return set(
        criteria_queryset(cleaned, Customer.objects.all(), todays).values_list("name", flat=True)
    )


def rule(field, lookup, value=None):
    return {"op": "and", "rules": [{"field": field, "lookup": lookup, "value": value}]}


ALL = {"Dupont SA", "Martin SARL", "Initech Ltd"}


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        ({}, ALL),
        ({"op": "or", "rules": []}, ALL),
        (rule("entity", "eq", "acme-fr"), {"Dupont SA", "Martin SARL"}),
        (rule("entity", "ne", "acme-fr"), {"Initech Ltd"}),
        (rule("entity", "in", ["globex-uk", "nowhere"]), {"Initech Ltd"}),
        (rule("name", "contains", "sarl"), {"Martin SARL"}),
        (rule("country", "eq", "GB"), {"Initech Ltd"}),
        (rule("language", "in", "fr"), {"Dupont SA", "Martin SARL"}),
        (rule("category", "eq", "retail"), {"Dupont SA"}),
        (rule("category", "is_empty", True), {"Martin SARL"}),
        (rule("category", "is_empty", False), {"Dupont SA", "Initech Ltd"}),
        (rule("tags", "eq", "Key account"), {"Dupont SA"}),
        (rule("tags", "ne", "Key account"), {"Martin SARL", "Initech Ltd"}),
        (rule("tags", "in", ["Export", "Key account"]), {"Dupont SA"}),
        (rule("tags", "is_empty"), {"Martin SARL", "Initech Ltd"}),
        (rule("collector", "eq", "carol"), {"Dupont SA"}),
        (rule("collector", "ne", "carol"), {"Martin SARL", "Initech Ltd"}),
        (rule("collector", "is_empty"), {"Martin SARL", "Initech Ltd"}),
        (rule("on_hold", "eq", "false"), ALL),
        (rule("credit_limit", "gte", "2000"), {"Dupont SA"}),
        (rule("credit_limit", "is_empty"), {"Martin SARL", "Initech Ltd"}),
        (rule("total_open", "gte", "1200"), {"Dupont SA", "Initech Ltd"}),
        (rule("total_open", "lt", "1000"), {"Martin SARL"}),
        (rule("outstanding", "eq", "300"), {"Martin SARL"}),
        (rule("overdue_amount", "gt", "0"), {"Dupont SA", "Initech Ltd"}),
        (rule("overdue_amount", "lte", "1000"), {"Martin SARL", "Initech Ltd"}),
        (rule("days_overdue", "gt", 60), {"Initech Ltd"}),
        (rule("days_overdue", "gte", 40), {"Dupont SA", "Initech Ltd"}),
        (rule("days_overdue", "gt", 40), {"Initech Ltd"}),
        (rule("days_overdue", "lt", 41), {"Dupont SA", "Martin SARL"}),
        (rule("days_overdue", "lte", 40), {"Dupont SA", "Martin SARL"}),
        (rule("days_overdue", "eq", 0), {"Martin SARL"}),
        (rule("days_overdue", "eq", 40), {"Dupont SA"}),
        (rule("days_overdue", "ne", 40), {"Martin SARL", "Initech Ltd"}),
        (rule("open_invoice_count", "eq", 2), {"Initech Ltd"}),
        (rule("open_invoice_count", "lte", 1), {"Dupont SA", "Martin SARL"}),
        (rule("credit_limit_use", "gte", "60"), {"Dupont SA"}),
        (rule("credit_limit_use", "is_empty"), {"Martin SARL", "Initech Ltd"}),
    ],
)
def test_every_customer_field_compiles(customers, criteria, expected):
    assert matching(criteria) == expected


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        (rule("cf_segment_code", "eq", "A"), {"Dupont SA"}),
        (rule("cf_segment_code", "in", ["A", "B"]), {"Dupont SA"}),
        (rule("cf_segment_code", "is_empty"), {"Martin SARL", "Initech Ltd"}),
        (rule("cf_employees", "gt", 100), {"Dupont SA"}),
        (rule("cf_employees", "lte", 12), {"Martin SARL"}),
        (rule("cf_employees", "eq", 12), {"Martin SARL"}),
        (rule("cf_employees", "is_empty"), {"Initech Ltd"}),
        (rule("cf_revenue", "gte", "1000000"), {"Dupont SA"}),
        (rule("cf_since", "lt", "2020-01-01"), {"Dupont SA"}),
        (rule("cf_since", "gte", "2020-01-01"), set()),
        (rule("cf_vip", "eq", "yes"), {"Dupont SA"}),
        (rule("cf_vip", "eq", False), {"Initech Ltd"}),
        (rule("cf_vip", "is_empty"), {"Martin SARL"}),
        (rule("cf_note", "is_empty"), ALL),
        (rule("cf_note", "contains", "x"), set()),
    ],
)
def test_custom_fields_compile(customers, custom_fields, criteria, expected):
    assert matching(criteria) == expected


def test_and_or_trees(customers):
    acme_or_big = {
        "op": "or",
        "rules": [
            {"field": "entity", "lookup": "eq", "value": "acme-fr"},
            {"field": "days_overdue", "lookup": "gt", "value": 90},
        ],
    }
    assert matching(acme_or_big) == ALL
    acme_and_overdue = {
        "op": "and",
        "rules": [
            {"field": "entity", "lookup": "eq", "value": "acme-fr"},
            {"field": "overdue_amount", "lookup": "gt", "value": "0"},
        ],
    }
    assert matching(acme_and_overdue) == {"Dupont SA"}
    nested = {
        "op": "and",
        "rules": [
            {"field": "overdue_amount", "lookup": "gt", "value": "0"},
            {
                "op": "or",
                "rules": [
                    {"field": "tags", "lookup": "eq", "value": "Key account"},
                    {"field": "country", "lookup": "eq", "value": "GB"},
                ],
            },
        ],
    }
    assert matching(nested) == {"Dupont SA", "Initech Ltd"}


def test_days_overdue_with_entities_on_different_days(customers, monkeypatch):
    import datetime

    todays = entity_todays(Entity.objects.all())
    acme_id = customers["dupont"].entity_id
    shifted = {
        pk: day + datetime.timedelta(days=1 if pk == acme_id else 0) for pk, day in todays.items()
    }
    cleaned = criteria_clean(rule("days_overdue", "eq", 41))
    found = criteria_queryset(cleaned, Customer.objects.all(), shifted)
    assert set(found.values_list("name", flat=True)) == {"Dupont SA"}


@pytest.mark.parametrize(
    ("criteria", "message"),
    [
        (rule("overdu", "gt", 1), "Rule 1: no field is called 'overdu'."),
        (rule("tags", "gt", 1), "Tags: the comparison 'gt' does not apply (use “is”"),
        (rule("days_overdue", "gt", "ten"), "Days overdue: 'ten' is not a whole number."),
        (rule("total_open", "gte", "lots"), "Total open invoices: 'lots' is not an amount."),
        (rule("language", "eq", "xx"), "Language: 'xx' is not one of en, fr, de, es,"),
        (rule("category", "eq", ""), "Category: a value is required."),
        (rule("entity", "in", []), "Entity (slug): “is one of” needs at least one value."),
        ({"op": "xor", "rules": []}, "The rules: 'xor' is not an operator (use and, or)."),
        ({"op": "and", "rules": "x"}, "The rules: the rules must be a list."),
        ([], "The rules must be a group of rules."),
        (
            {
                "op": "and",
                "rules": [
                    {"field": "country", "lookup": "eq", "value": "FR"},
                    {"op": "or", "rules": [{"field": "nope", "lookup": "eq", "value": 1}]},
                ],
            },
            "Rule 2.1: no field is called 'nope'.",
        ),
    ],
)
def test_validation_names_the_rule(db, criteria, message):
    with pytest.raises(ValidationError) as caught:
        criteria_clean(criteria)
    assert any(text.startswith(message) for text in caught.value.messages), caught.value.messages


def test_every_error_is_reported_at_once(db):
    criteria = {
        "op": "and",
        "rules": [
            {"field": "overdu", "lookup": "gt", "value": 1},
            {"field": "country", "lookup": "eq", "value": "FR"},
            {"field": "days_overdue", "lookup": "contains", "value": 1},
        ],
    }
    with pytest.raises(ValidationError) as caught:
        criteria_clean(criteria)
    assert [m.split(":")[0] for m in caught.value.messages] == ["Rule 1", "Days overdue"]


def test_clean_types_values(db):
    cleaned = criteria_clean(
        {
            "rules": [
                {"field": "total_open", "lookup": "gte", "value": "1 000,50"},
                {"field": "days_overdue", "lookup": "gt", "value": "30"},
                {"field": "country", "lookup": "in", "value": "FR, BE"},
            ]
        }
    )
    assert cleaned == {
        "op": "and",
        "rules": [
            {"field": "total_open", "lookup": "gte", "value": "1000.5"},
            {"field": "days_overdue", "lookup": "gt", "value": 30},
            {"field": "country", "lookup": "in", "value": ["FR", "BE"]},
        ],
    }


def test_describe_rule(db):
    from relance.segments.criteria import criterion_fields

    fields = criterion_fields()
    assert (
        describe_rule({"field": "tags", "lookup": "eq", "value": "Key account"}, fields)
        == "Tags is Key account"
    )
    assert (
        describe_rule({"field": "country", "lookup": "in", "value": ["FR", "BE"]}, fields)
        == "Country is one of FR, BE"
    )


def test_a_date_rule_reads_in_the_readers_date_format(custom_fields):
    from django.utils import translation

    from relance.segments.criteria import criterion_fields

    rule = {"field": "cf_since", "lookup": "lt", "value": "2020-01-03"}
    assert describe_rule(rule, criterion_fields()).endswith(" 3 Jan 2020")
    with translation.override("fr"):
        assert describe_rule(rule, criterion_fields()).endswith(" 3 janvier 2020")


def test_new_fields_are_cleaned_with_their_reason(db):
    cleaned = criteria_clean(
        {
            "op": "and",
            "rules": [
                {"field": "outstanding", "lookup": "gt", "value": "1 000,50 eur"},
                {"field": "insured_amount", "lookup": "lt", "value": "2000"},
                {"field": "item_status", "lookup": "eq", "value": "disputed"},
                {"field": "guarantee_kind", "lookup": "in", "value": "deposit,bank_guarantee"},
            ],
        }
    )
    assert [leaf["value"] for leaf in cleaned["rules"]] == [
        "1000.5 EUR",
        "2000",
        "disputed",
        ["deposit", "bank_guarantee"],
    ]
    with pytest.raises(ValidationError) as error:
        criteria_clean(
            {
                "op": "and",
                "rules": [
                    {"field": "item_status", "lookup": "eq", "value": "lost"},
                    {"field": "item_status", "lookup": "gt", "value": "overdue"},
                    {"field": "guarantee_amount", "lookup": "gt", "value": "12 ABC"},
                ],
            }
        )
    # One message per faulty rule, in order, each naming what is wrong.
    first, second, third = error.value.messages
    assert "Status of an open invoice" in first and "'lost'" in first and "promise_broken" in first
    assert "Status of an open invoice" in second and "'gt'" in second
    assert third == "Guarantee amount: 'ABC' is not a currency code."


def test_an_amount_in_a_currency_leaves_other_currencies_out(acme, globex):
    from decimal import Decimal

    from relance.customers.tests.factories import CustomerFactory

    CustomerFactory(entity=acme, name="Euro", credit_limit=Decimal("5000"))
    CustomerFactory(entity=globex, name="Pound", credit_limit=Decimal("5000"), currency="GBP")
    assert matching(rule("credit_limit", "gte", "5000")) == {"Euro", "Pound"}
    assert matching(rule("credit_limit", "gte", "5000 GBP")) == {"Pound"}
    assert matching(rule("credit_limit", "ne", "5000 GBP")) == {"Euro"}
