"""Drop the index of CustomerEvent.customer, which the index (customer, at) already leads
with: every import wrote one more index entry per event for nothing. Only the index goes:
Django's AlterField would drop and re-add the foreign key constraint too."""

import django.db.models.deletion
from django.db import migrations, models

INDEX = "activity_customerevent_customer_id_8bfac1d9"


class Migration(migrations.Migration):
    dependencies = [
        ("activity", "0007_credit_cover_event"),
        ("customers", "0008_credit_cover"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{INDEX}"',
                    reverse_sql=f'CREATE INDEX "{INDEX}" ON "activity_customerevent" ("customer_id")',
                )
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="customerevent",
                    name="customer",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="customers.customer",
                    ),
                )
            ],
        )
    ]
