from relance.core.api.views import VisibleReadOnlyViewSet
from relance.customers.api.serializers import ContactSerializer, CustomerSerializer
from relance.customers.filtersets import ContactFilterSet, CustomerFilterSet
from relance.customers.models import Contact, Customer


class CustomerViewSet(VisibleReadOnlyViewSet):
    """Customers, filtered as on the customer list (the same FilterSet)."""

    queryset = Customer.objects.prefetch_related("tags")
    serializer_class = CustomerSerializer
    filterset_class = CustomerFilterSet


class ContactViewSet(VisibleReadOnlyViewSet):
    queryset = Contact.objects.all()
    serializer_class = ContactSerializer
    filterset_class = ContactFilterSet
