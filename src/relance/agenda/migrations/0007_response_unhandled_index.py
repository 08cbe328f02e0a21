from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("agenda", "0006_customer_response_page_answers"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="customerresponse",
            index=models.Index(
                condition=models.Q(("handled_at__isnull", True)),
                fields=["entity", "customer"],
                name="response_unhandled",
            ),
        ),
    ]
