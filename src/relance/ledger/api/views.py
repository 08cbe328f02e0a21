from relance.core.api.views import VisibleReadOnlyViewSet
from relance.ledger.api.serializers import ItemSerializer
from relance.ledger.filtersets import ItemFilterSet
from relance.ledger.models import Item


class ItemViewSet(VisibleReadOnlyViewSet):
    """Invoices, credit notes and payments, filtered as on the item list."""

    queryset = Item.objects.all()
    serializer_class = ItemSerializer
    filterset_class = ItemFilterSet
