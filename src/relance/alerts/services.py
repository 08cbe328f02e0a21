"""Writes of alerts: rules (create, delete) and the daily evaluation.

The evaluation is set-based: one query per rule for its customers, one delete and one
bulk insert of its hits. Evaluating a rule again the same day replaces that day's hits, so
a rerun is harmless; older days are kept as history."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from relance.alerts.models import AlertHit, AlertRule
from relance.alerts.selectors import rule_customers
from relance.customers.selectors import visible_entity_todays


def alert_rule_create(*, owner, name: str, kind: str, amount=None, days=None) -> AlertRule:
    rule = AlertRule(owner=owner, name=name, kind=kind, amount=amount, days=days)
    rule.full_clean()
    rule.save()
    return rule


def alert_rule_delete(*, rule: AlertRule) -> None:
    rule.delete()


@transaction.atomic
def alert_rule_evaluate(*, rule: AlertRule, day: date | None = None, todays=None) -> int:
    """Store the customers matching `rule` today (the owner's entities' today, or `day`)."""
    todays = todays if todays is not None else visible_entity_todays(rule.owner)
    if day is not None:
        todays = day
    evaluated_on = day or max(todays.values(), default=timezone.localdate())
    ids = list(rule_customers(rule, todays).values_list("pk", flat=True))
    AlertHit.objects.filter(rule=rule, evaluated_on=evaluated_on).delete()
    AlertHit.objects.bulk_create(
        AlertHit(rule=rule, customer_id=pk, evaluated_on=evaluated_on) for pk in ids
    )
    rule.last_evaluated_on = evaluated_on
    rule.save(update_fields=["last_evaluated_on"])
    return len(ids)


def alerts_evaluate(*, day: date | None = None) -> dict[int, int]:
    """Evaluate every active rule of active users; {rule id: customers matched}. What the
    daily beat (alerts.tasks.alerts_evaluate_daily) and `relance alerts evaluate` call."""
    results = {}
    todays_by_owner = {}
    rules = AlertRule.objects.filter(is_active=True, owner__is_active=True).select_related("owner")
    for rule in rules:
        if rule.owner_id not in todays_by_owner:
            todays_by_owner[rule.owner_id] = visible_entity_todays(rule.owner)
        todays = todays_by_owner[rule.owner_id]
        results[rule.pk] = alert_rule_evaluate(rule=rule, day=day, todays=todays)
    return results
