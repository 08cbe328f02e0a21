"""Customer pages: the list (with CSV/XLSX exports) and the customer page."""

from django.shortcuts import render
from django.utils.functional import cached_property

from relance.core.views import ObjectListView
from relance.customers import selectors
from relance.customers.filtersets import CustomerFilterSet
from relance.customers.tables import customer_table
from relance.scenarios.selectors import customers_collection_panel


class CustomerListView(ObjectListView):
    filterset_class = CustomerFilterSet
    template_name = "customers/customer_list.html"
    partial_template_name = "customers/_customer_results.html"
    export_name = "customers"

    @cached_property
    def todays(self):
        return selectors.visible_entity_todays(self.request.user)

    def get_queryset(self):
        return selectors.customer_list_queryset(self.request.user)

    def get_filterset_kwargs(self) -> dict:
        return {"todays": self.todays}

    def get_table(self, queryset, *, export: bool):
        return customer_table(
            queryset,
            todays=self.todays,
            annotate=lambda customers: selectors.with_figures(customers, self.todays),
            export=export,
        )


def customer_detail(request, pk: int):
    customer = selectors.customer_detail(request.user, pk)
    today = customer.entity.today()
    context = {
        "customer": customer,
        "today": today,
        "summary": selectors.customer_account_summary(customer, today),
        "open_items": selectors.customer_open_items(customer, today),
        "contacts": customer.contacts.all(),
        "custom_fields": selectors.customer_custom_fields(customer),
        "items_limit": selectors.OPEN_ITEMS_LIMIT,
        "panel": customers_collection_panel(customer, today),
    }
    return render(request, "customers/customer_detail.html", context)
