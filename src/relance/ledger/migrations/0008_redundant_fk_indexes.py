"""Drop the single-column indexes of two foreign keys that a composite index already leads
with: Item.entity (unique entity, kind, number) and ItemAmountChange.item (item, day).
Each imported row wrote one more index entry for nothing. Only the indexes go: Django's
AlterField would drop and re-add the foreign key constraints too (re-checking every row)."""

import django.db.models.deletion
from django.db import migrations, models


def drop_index(name: str, table: str, column: str):
    return migrations.RunSQL(
        f'DROP INDEX IF EXISTS "{name}"',
        reverse_sql=f'CREATE INDEX "{name}" ON "{table}" ("{column}")',
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0009_entity_statutory_late_terms"),
        ("ledger", "0007_columnmapping_kinds"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                drop_index("ledger_item_entity_id_e9f7a78b", "ledger_item", "entity_id"),
                drop_index(
                    "ledger_itemamountchange_item_id_09069393",
                    "ledger_itemamountchange",
                    "item_id",
                ),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="item",
                    name="entity",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="items",
                        to="core.entity",
                        verbose_name="entity",
                    ),
                ),
                migrations.AlterField(
                    model_name="itemamountchange",
                    name="item",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="amount_changes",
                        to="ledger.item",
                        verbose_name="item",
                    ),
                ),
            ],
        )
    ]
