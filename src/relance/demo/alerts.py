"""The demo's personal alerts: a few rules per persona, written in their language, over the
figures the demo fills (credit insurance, guarantees, promises, disputes), evaluated once
the replay is done so that "My alerts" and the menu's badge have customers to show. The
digest is not sent: the demo's emails stay in memory."""

from datetime import date

from django.contrib.auth import get_user_model

from relance.alerts.models import AlertRule
from relance.alerts.services import alert_rule_create, alert_rule_update, alerts_evaluate


def _rule(field: str, lookup: str, value) -> dict:
    return {"field": field, "lookup": lookup, "value": value}


DEMO_ALERTS = {
    "alice": [
        (
            "Encours non couvert au-delà de 20 000 €",
            {"op": "and", "rules": [_rule("uncovered", "gt", "20000 EUR")]},
        ),
        (
            "Assurance-crédit expirant sous 30 jours",
            {
                "op": "and",
                "rules": [
                    _rule("insurance_expires_in", "gte", 0),
                    _rule("insurance_expires_in", "lte", 30),
                ],
            },
        ),
        (
            "Limite de crédit dépassée",
            {"op": "and", "rules": [_rule("credit_limit_use", "gt", "100")]},
        ),
    ],
    "bob": [
        (
            "Promesses non tenues",
            {"op": "and", "rules": [_rule("item_status", "eq", "promise_broken")]},
        ),
        (
            "Litiges sur un gros retard",
            {
                "op": "and",
                "rules": [
                    _rule("item_status", "eq", "disputed"),
                    _rule("overdue_amount", "gt", "5000"),
                ],
            },
        ),
    ],
    "carol": [
        (
            "Over 60 days late without a guarantee",
            {
                "op": "and",
                "rules": [
                    _rule("days_overdue", "gt", 60),
                    _rule("guarantee_kind", "is_empty", True),
                ],
            },
        ),
        (
            "Insurance lapsed",
            {
                "op": "and",
                "rules": [_rule("insurance_expires_in", "lt", 0), _rule("outstanding", "gt", "0")],
            },
        ),
    ],
}


def demo_alerts(*, today: date) -> int:
    """Create (or reset) the personas' demo alerts and evaluate every alert as of the
    demo's `today`; the number of demo rules."""
    users = get_user_model().objects.filter(username__in=list(DEMO_ALERTS))
    count = 0
    for user in users:
        existing = {rule.name: rule for rule in AlertRule.objects.filter(owner=user)}
        for name, criteria in DEMO_ALERTS[user.username]:
            if name in existing:
                alert_rule_update(rule=existing[name], criteria=criteria, is_active=True)
            else:
                alert_rule_create(owner=user, name=name, criteria=criteria)
            count += 1
    alerts_evaluate(day=today)
    return count
