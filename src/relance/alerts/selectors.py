"""Reads of alerts: which customers a rule matches with the figures that matched (one query
per rule, through the segment criteria), the "My alerts" lists and the menu's count."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from relance.alerts.models import AlertHit, AlertRule
from relance.core.templatetags.money import money, percent
from relance.customers.models import Customer
from relance.segments.criteria import (
    BOOLEAN,
    DATE,
    INTEGER,
    CriterionField,
    criteria_leaves,
    criteria_matches,
    criterion_fields,
    describe_rule,
)

# Fields whose figure is a date turned into a number of days on the evaluation day.
DAYS_OVERDUE = "days_overdue"
PERCENT_FIELDS = {"credit_limit_use", "overdue_ratio"}
DAYS_FIELDS = {"dso"}  # a number of days with a decimal


def rule_matches(rule: AlertRule, todays, fields=None) -> tuple[QuerySet, dict[str, str]]:
    """The customers the owner may see that match `rule` on `todays` (one query), each with
    the figures of the fields the rule tests: ({field key: annotation name})."""
    customers = Customer.objects.visible_to(rule.owner)
    return criteria_matches(rule.criteria, customers, todays, fields=fields)


def rule_customers(rule: AlertRule, todays) -> QuerySet:
    return rule_matches(rule, todays)[0]


def figure_json(criterion: CriterionField | None, value, today: date | None):
    """A figure as stored with a hit: days for day counts, text for amounts, ISO dates."""
    if value is None:
        return None
    if criterion is not None and today is not None and isinstance(value, date):
        if criterion.key == DAYS_OVERDUE:
            return max((today - value).days, 0)
        if criterion.days_until:
            return (value - today).days
    if isinstance(value, Decimal) and criterion is not None and criterion.type == INTEGER:
        return int(value)
    if isinstance(value, Decimal):
        return format(value.quantize(Decimal("0.01")), "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _choice_label(criterion: CriterionField, value) -> str:
    if criterion.choices is None:
        return str(value)
    return dict(criterion.choices()).get(str(value), str(value))


def figure_text(criterion: CriterionField | None, value, currency: str) -> str:
    """A stored figure in words for the reader, in the active language."""
    if value is None or value == "":
        return "—"
    if criterion is None:
        return str(value)
    if criterion.key == DAYS_OVERDUE:
        return ngettext("%(days)s day", "%(days)s days", value) % {"days": value}
    if criterion.days_until:
        if value < 0:
            days = -value
            return ngettext("%(days)s day ago", "%(days)s days ago", days) % {"days": days}
        return ngettext("in %(days)s day", "in %(days)s days", value) % {"days": value}
    if criterion.key in PERCENT_FIELDS:
        return percent(value)
    if criterion.key in DAYS_FIELDS:
        days = number_format(Decimal(str(value)), 1)
        return _("%(days)s days") % {"days": days}
    if criterion.money or criterion.key == "item_status":
        return money(value, currency)
    if criterion.type == DATE:
        try:
            return date_format(date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if criterion.type == BOOLEAN or isinstance(value, bool):
        return _("Yes") if value in (True, "true") else _("No")
    return _choice_label(criterion, value)


@dataclass
class Figure:
    """What a hit shows for one field: its label and its figure in words."""

    label: str
    text: str


def _figure_label(rule: AlertRule, criterion: CriterionField | None, key: str) -> str:
    if criterion is None:
        return key
    if criterion.key == "item_status":
        for leaf in criteria_leaves(rule.criteria):
            if leaf.get("field") == key:
                return _choice_label(criterion, leaf.get("value"))
    return str(criterion.label)


def hit_figures(rule: AlertRule, hit: AlertHit, fields: dict) -> list[Figure]:
    currency = hit.customer.currency
    return [
        Figure(
            _figure_label(rule, fields.get(key), key), figure_text(fields.get(key), value, currency)
        )
        for key, value in hit.figures.items()
    ]


def rule_sentences(rule: AlertRule, fields: dict) -> list[str]:
    """The rule's conditions in words ("Overdue amount greater than 5000 EUR")."""
    sentences = []
    for item in (rule.criteria or {}).get("rules", []):
        if "rules" in item:
            joiner = f" {_('or')} " if item.get("op") == "or" else f" {_('and')} "
            inner = [describe_rule(leaf, fields) for leaf in criteria_leaves(item)]
            sentences.append(f"({joiner.join(inner)})")
        else:
            sentences.append(describe_rule(item, fields))
    return sentences


def rules_for_user(user) -> QuerySet:
    """The user's rules, each with `hit_count`: customers matched at its last evaluation."""
    return AlertRule.objects.filter(owner=user).annotate(
        hit_count=Count("hits", filter=Q(hits__evaluated_on=F("last_evaluated_on")))
    )


def rule_for_user(user, pk: int) -> AlertRule:
    """The user's own rule, or the same 404 when missing or someone else's."""
    rule = get_object_or_404(AlertRule, owner=user, pk=pk)
    rule.owner = user  # already loaded: the hits' visibility reads it
    return rule


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


def alert_customer_count(user) -> int:
    """The customers in the user's active alerts at their last evaluation, each counted
    once (the menu's badge): one query."""
    return (
        AlertHit.objects.filter(
            rule__owner=user,
            rule__is_active=True,
            evaluated_on=F("rule__last_evaluated_on"),
            customer__in=Customer.objects.visible_to(user),
        )
        .values("customer")
        .distinct()
        .count()
    )


def hit_rows(rule: AlertRule, hits, fields: dict | None = None) -> list[tuple[AlertHit, list]]:
    fields = criterion_fields() if fields is None else fields
    return [(hit, hit_figures(rule, hit, fields)) for hit in hits]
