"""Ledger pages: the item list with its CSV/XLSX exports (the import pages are import_views)."""

from django.utils.functional import cached_property

from relance.core.views import ObjectListView
from relance.customers.selectors import visible_entity_todays
from relance.ledger import selectors
from relance.ledger.filtersets import ItemFilterSet, ItemStatus
from relance.ledger.tables import item_table


class ItemListView(ObjectListView):
    filterset_class = ItemFilterSet
    template_name = "ledger/item_list.html"
    partial_template_name = "ledger/_item_results.html"
    export_name = "items"

    @cached_property
    def todays(self):
        return visible_entity_todays(self.request.user)

    def get_queryset(self):
        return selectors.item_list_queryset(self.request.user)

    def get_filter_data(self):
        # Open items unless the user chose otherwise ("status=" means open and settled).
        data = self.request.GET
        if "status" not in data:
            data = data.copy()
            data["status"] = ItemStatus.OPEN
        return data

    def get_filterset_kwargs(self) -> dict:
        return {"todays": self.todays}

    def get_table(self, queryset, *, export: bool):
        return item_table(queryset, todays=self.todays, export=export)
