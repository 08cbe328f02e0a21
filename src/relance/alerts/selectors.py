"""Reads of alerts: which customers a rule matches (one query per rule, reusing the segment
criteria for the figures), and the "My alerts" lists."""

from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from relance.alerts.choices import RuleKind
from relance.alerts.models import AlertHit, AlertRule
from relance.customers.models import Customer
from relance.customers.selectors import today_expression
from relance.ledger.choices import ItemKind
from relance.ledger.models import Item
from relance.segments.criteria import STATIC_FIELDS, criteria_queryset

_FIELDS = {criterion.key: criterion for criterion in STATIC_FIELDS}  # no custom fields needed


def _criteria(rule: AlertRule) -> dict:
    rule_of = {
        RuleKind.OVERDUE_ABOVE: ("overdue_amount", "gt", str(rule.amount)),
        RuleKind.OVER_CREDIT_LIMIT: ("credit_limit_use", "gt", "100"),
        RuleKind.INVOICE_LATE: ("days_overdue", "gt", rule.days),
    }
    field, lookup, value = rule_of[rule.kind]
    return {"op": "and", "rules": [{"field": field, "lookup": lookup, "value": value}]}


def _broken_promise(todays) -> Exists:
    """The customer has an open invoice whose promised payment date has passed."""
    return Exists(
        Item.objects.filter(
            customer=OuterRef("pk"),
            kind=ItemKind.INVOICE,
            open_amount__gt=0,
            promise_date__lt=today_expression(todays),
        )
    )


def rule_customers(rule: AlertRule, todays: dict[int, date] | date) -> QuerySet:
    """The customers the owner may see that match `rule` on `todays` (one query)."""
    customers = Customer.objects.visible_to(rule.owner)
    if rule.kind == RuleKind.BROKEN_PROMISE:
        return customers.filter(_broken_promise(todays))
    return criteria_queryset(_criteria(rule), customers, todays, fields=_FIELDS)


def rules_for_user(user) -> QuerySet:
    """The user's rules, each with `hit_count`: customers matched at its last evaluation."""
    return AlertRule.objects.filter(owner=user).annotate(
        hit_count=Count("hits", filter=Q(hits__evaluated_on=F("last_evaluated_on")))
    )


def rule_for_user(user, pk: int) -> AlertRule:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(AlertRule, owner=user, pk=pk)


def latest_hits(rule: AlertRule) -> QuerySet:
    """The customers of the rule's last evaluation, still visible to its owner."""
    return (
        AlertHit.objects.filter(
            rule=rule,
            evaluated_on=rule.last_evaluated_on,
            customer__in=Customer.objects.visible_to(rule.owner),
        )
        .select_related("customer", "customer__entity")
        .order_by("customer__name", "pk")
    )
