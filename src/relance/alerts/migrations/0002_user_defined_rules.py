"""Alert rules become user-defined criteria trees (segments/criteria.py); each former kind
is rewritten as the rule it meant, and hits keep the figures that matched."""

from django.db import migrations, models


def _kind_criteria(kind: str, amount, days) -> dict:
    rules = {
        "overdue_above": {"field": "overdue_amount", "lookup": "gt", "value": str(amount)},
        "over_credit_limit": {"field": "credit_limit_use", "lookup": "gt", "value": "100"},
        "invoice_late": {"field": "days_overdue", "lookup": "gt", "value": days},
        "broken_promise": {"field": "item_status", "lookup": "eq", "value": "promise_broken"},
    }
    rule = rules.get(kind)
    return {"op": "and", "rules": [rule] if rule else []}


def kinds_to_criteria(apps, schema_editor):
    AlertRule = apps.get_model("alerts", "AlertRule")
    rules = list(AlertRule.objects.all())
    for rule in rules:
        amount = rule.amount.normalize() if rule.amount is not None else 0
        rule.criteria = _kind_criteria(rule.kind, format(amount, "f"), rule.days or 0)
    AlertRule.objects.bulk_update(rules, ["criteria"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="alerthit",
            name="figures",
            field=models.JSONField(blank=True, default=dict, verbose_name="figures"),
        ),
        migrations.AddField(
            model_name="alertrule",
            name="criteria",
            field=models.JSONField(blank=True, default=dict, verbose_name="rules"),
        ),
        migrations.AddField(
            model_name="alertrule",
            name="digest_sent_on",
            field=models.DateField(blank=True, null=True, verbose_name="digest sent on"),
        ),
        migrations.AddField(
            model_name="alertrule",
            name="send_digest",
            field=models.BooleanField(
                default=True,
                help_text="Send me the customers of this alert by email each morning.",
                verbose_name="daily email",
            ),
        ),
        migrations.AddField(
            model_name="alertrule",
            name="updated_at",
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.RunPython(kinds_to_criteria, migrations.RunPython.noop),
        migrations.RemoveField(model_name="alertrule", name="amount"),
        migrations.RemoveField(model_name="alertrule", name="days"),
        migrations.RemoveField(model_name="alertrule", name="kind"),
    ]
