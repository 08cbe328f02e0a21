import factory

from relance.activity.choices import EventKind
from relance.activity.models import CustomerEvent
from relance.customers.tests.factories import CustomerFactory


class CustomerEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerEvent

    customer = factory.SubFactory(CustomerFactory)
    entity = factory.LazyAttribute(lambda event: event.customer.entity)
    day = factory.LazyAttribute(lambda event: event.customer.entity.today())
    kind = EventKind.ACTION_DONE
    data = factory.LazyFunction(lambda: {"step": "call", "channel": "call"})
