"""Customer snapshots as runs of days with the same figures (docs/insights.md, "Storage"):
each daily row becomes [day, next day written) (the last one open-ended), then consecutive
rows of a customer and currency with the same figures are merged into the first, set-based
(window functions: PostgreSQL, and SQLite from 3.25)."""

from django.db import migrations, models

OPEN_END = "9999-12-31"
AMOUNTS = ["open_amount", "overdue", "not_due", "d1_30", "d31_60", "d61_90", "d90_plus", "credits"]
TABLE = "insights_customersnapshot"
MERGE = "insights_snapshot_merge"


def _date(vendor: str, value: str) -> str:
    return f"CAST('{value}' AS date)" if vendor == "postgresql" else f"'{value}'"


def snapshots_to_runs(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    same = " AND ".join(f"LAG({a}) OVER w = {a}" for a in AMOUNTS)
    statements = [
        f"UPDATE {TABLE} SET until = COALESCE((SELECT MIN(d.day) FROM insights_snapshotday d "
        f"WHERE d.entity_id = {TABLE}.entity_id AND d.day > {TABLE}.since), "
        f"{_date(vendor, OPEN_END)})",
        f"""CREATE TEMPORARY TABLE {MERGE} AS
        WITH flagged AS (
            SELECT id, customer_id, currency, since, until,
                   CASE WHEN LAG(until) OVER w = since AND {same} THEN 0 ELSE 1 END AS head
            FROM {TABLE} WINDOW w AS (PARTITION BY customer_id, currency ORDER BY since)
        ), numbered AS (
            SELECT id, customer_id, currency, until, head,
                   SUM(head) OVER (PARTITION BY customer_id, currency ORDER BY since
                                   ROWS UNBOUNDED PRECEDING) AS run
            FROM flagged
        )
        SELECT id, head, MAX(until) OVER (PARTITION BY customer_id, currency, run) AS run_until
        FROM numbered""",
        f"UPDATE {TABLE} SET until = (SELECT m.run_until FROM {MERGE} m WHERE m.id = {TABLE}.id) "
        f"WHERE id IN (SELECT id FROM {MERGE} WHERE head = 1)",
        f"DELETE FROM {TABLE} WHERE id IN (SELECT id FROM {MERGE} WHERE head = 0)",
        f"DROP TABLE {MERGE}",
    ]
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_entity_reporting_currency"),
        ("customers", "0008_credit_cover"),
        ("insights", "0006_risk_foreign_keys_unchecked"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="customersnapshot",
            options={
                "ordering": ["since", "customer", "currency"],
                "verbose_name": "customer snapshot",
                "verbose_name_plural": "customer snapshots",
            },
        ),
        migrations.RemoveConstraint(
            model_name="customersnapshot",
            name="snapshot_unique_per_customer_day_currency",
        ),
        migrations.RemoveIndex(model_name="customersnapshot", name="snapshot_by_entity_day"),
        migrations.RenameField(model_name="customersnapshot", old_name="day", new_name="since"),
        migrations.AlterField(
            model_name="customersnapshot",
            name="since",
            field=models.DateField(verbose_name="since"),
        ),
        migrations.AddField(
            model_name="customersnapshot",
            name="until",
            field=models.DateField(
                null=True, help_text="The first day it no longer holds.", verbose_name="until"
            ),
        ),
        migrations.RunPython(snapshots_to_runs, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="customersnapshot",
            name="until",
            field=models.DateField(
                help_text="The first day it no longer holds.", verbose_name="until"
            ),
        ),
        migrations.AddIndex(
            model_name="customersnapshot",
            index=models.Index(
                fields=["entity", "until", "currency", "-overdue"], name="snapshot_by_entity_until"
            ),
        ),
        migrations.AddConstraint(
            model_name="customersnapshot",
            constraint=models.UniqueConstraint(
                fields=("customer", "currency", "since"),
                name="snapshot_unique_per_customer_currency_since",
                violation_error_message="This customer already has a snapshot from that day.",
            ),
        ),
        migrations.AddConstraint(
            model_name="customersnapshot",
            constraint=models.CheckConstraint(
                condition=models.Q(("since__lt", models.F("until"))),
                name="snapshot_since_before_until",
                violation_error_message="A snapshot ends after it begins.",
            ),
        ),
    ]
