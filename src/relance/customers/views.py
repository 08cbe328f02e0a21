"""Customer pages: the list (with CSV/XLSX exports), the customer page, its contacts."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from relance.core.views import ObjectListView
from relance.customers import selectors, services
from relance.customers.filtersets import CustomerFilterSet
from relance.customers.forms import ContactForm, CreditCoverForm
from relance.customers.models import Contact, Customer
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


def contact_edit(request, pk: int, contact_pk: int | None = None):
    """Add or correct a contact of a customer the user sees, then back to `next` (the
    action whose reminder failed on it) or to the customer page."""
    customer = Customer.objects.get_for_user(request.user, pk=pk)
    contact = None
    if contact_pk is not None:
        contact = Contact.objects.get_for_user(request.user, pk=contact_pk, customer=customer)
    back = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    form = ContactForm(request.POST or None, instance=contact, customer=customer)
    if request.method == "POST":
        if not request.user.can_edit:
            raise PermissionDenied(_("Read-only users cannot change contacts."))
        if form.is_valid():
            services.contact_save(form=form, customer=customer, acting_user=request.user)
            messages.success(request, _("Contact saved."))
            return redirect(back or customer.get_absolute_url())
    context = {"customer": customer, "contact": contact, "form": form, "next": back}
    return render(
        request, "customers/contact_form.html", context, status=400 if form.errors else 200
    )


def credit_cover_edit(request, pk: int):
    """The customer's credit insurance and guarantee, edited by a user who may edit."""
    customer = selectors.customer_detail(request.user, pk)
    form = CreditCoverForm(request.POST or None, instance=customer)
    if request.method == "POST":
        if not request.user.can_edit:
            raise PermissionDenied(_("Read-only users cannot change customers."))
        if form.is_valid():
            try:
                services.customer_credit_cover_update(
                    customer=customer, acting_user=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Credit insurance and guarantee saved."))
                return redirect(customer.get_absolute_url())
    context = {"customer": customer, "form": form}
    return render(
        request, "customers/credit_cover_form.html", context, status=400 if form.errors else 200
    )
