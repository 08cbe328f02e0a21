from django.db import migrations, models
from django.db.models.functions import TruncDate


def settled_items_from_last_change(apps, schema_editor):
    """Items already settled: their last change is the best date known (what the "collected
    after each step" chart read before this field), in one UPDATE."""
    Item = apps.get_model("ledger", "Item")
    Item.objects.filter(open_amount=0).update(settled_on=TruncDate("updated_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0002_item_payment_announced_pending"),
    ]

    operations = [
        migrations.AddField(
            model_name="item",
            name="settled_on",
            field=models.DateField(blank=True, null=True, verbose_name="settled on"),
        ),
        migrations.RunPython(settled_items_from_last_change, migrations.RunPython.noop),
    ]
