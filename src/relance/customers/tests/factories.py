import factory

from relance.core.tests.factories import EntityFactory
from relance.customers.models import Contact, Customer


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    entity = factory.SubFactory(EntityFactory)
    external_id = factory.Sequence(lambda n: f"C{n:05d}")
    name = factory.Sequence(lambda n: f"Customer {n}")
    country = factory.LazyAttribute(lambda customer: customer.entity.country)
    language = factory.LazyAttribute(lambda customer: customer.entity.language)
    currency = factory.LazyAttribute(lambda customer: customer.entity.currency)
    address_line1 = "1 rue de la Paix"
    postal_code = "75002"
    city = "Paris"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    customer = factory.SubFactory(CustomerFactory)
    first_name = "Claire"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    email = factory.LazyAttribute(lambda contact: f"{contact.last_name.lower()}@example.fr")
    is_collection = True
