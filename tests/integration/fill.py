"""Fill the integration test's database: one entity working every day, a scenario with one
automatic email step due now (its default), N customers each with one collection contact
and one overdue invoice. Prints the entity id and its today. Run with DATABASE_URL set."""

import os
import sys
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relance.config.settings")
django.setup()

from relance.core.tests.factories import EntityFactory  # noqa: E402
from relance.customers.models import Contact, Customer  # noqa: E402
from relance.customers.tests.factories import ContactFactory, CustomerFactory  # noqa: E402
from relance.ledger.models import Item  # noqa: E402
from relance.ledger.tests.factories import ItemFactory  # noqa: E402
from relance.scenarios.tests.factories import ScenarioFactory  # noqa: E402
from relance.templating.tests.factories import MessageTemplateFactory  # noqa: E402


def fill(n: int) -> None:
    entity = EntityFactory(
        slug="acme-fr",
        name="Acme France",
        country="FR",
        currency="EUR",
        language="fr",
        time_zone="Europe/Paris",
        working_days="mon,tue,wed,thu,fri,sat,sun",
        holidays_country="",
        email="recouvrement@acme.example",
    )
    today = entity.today()
    template = MessageTemplateFactory(
        name="Reminder",
        channel="email",
        variants={"fr": ("Relance #customer_name", "<p>Vous devez #total_due.</p>")},
    )
    scenario = ScenarioFactory(name="One email", steps=[{"name": "first", "offset_days": 0}])
    scenario.steps.update(template=template)
    entity.default_scenario = scenario
    entity.save()
    customers = Customer.objects.bulk_create(
        CustomerFactory.build(entity=entity, external_id=f"C{i:05d}", name=f"Client {i}")
        for i in range(n)
    )
    Contact.objects.bulk_create(
        ContactFactory.build(customer=c, email=f"compta{c.pk}@client.example") for c in customers
    )
    due = today - timedelta(days=10)
    Item.objects.bulk_create(
        ItemFactory.build(
            customer=c, number=f"F{c.pk}", issue_date=due - timedelta(30), due_date=due
        )
        for c in customers
    )
    print(entity.pk, today.isoformat())


if __name__ == "__main__":
    fill(int(sys.argv[1]))
