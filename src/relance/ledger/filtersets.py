"""The item FilterSet, shared by the item list, its exports and (later) the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from relance.core.models import Entity
from relance.customers.filtersets import StyledFilterSet, YesNoFilter
from relance.customers.selectors import visible_entity_todays
from relance.ledger.choices import ItemKind
from relance.ledger.models import Item
from relance.ledger.selectors import overdue_condition


class ItemStatus:
    OPEN = "open"
    SETTLED = "settled"
    CHOICES = [(OPEN, _("Open")), (SETTLED, _("Settled"))]


class ItemFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(
        field_name="number",
        lookup_expr="icontains",
        label=_("Number"),
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Item number")}),
    )
    entity = django_filters.ModelChoiceFilter(
        queryset=Entity.objects.none(), label=_("Entity"), empty_label=_("All entities")
    )
    customer = django_filters.CharFilter(
        method="filter_customer",
        label=_("Customer"),
        widget=forms.TextInput(attrs={"placeholder": _("Customer name or number")}),
    )
    kind = django_filters.ChoiceFilter(
        choices=ItemKind.choices, label=_("Kind"), empty_label=_("All kinds")
    )
    # A text field: the currencies in use would need a DISTINCT over every item.
    currency = django_filters.CharFilter(
        method="filter_currency",
        label=_("Currency"),
        widget=forms.TextInput(attrs={"placeholder": "EUR", "maxlength": 3, "size": 4}),
    )
    status = django_filters.ChoiceFilter(
        choices=ItemStatus.CHOICES,
        method="filter_status",
        label=_("Status"),
        empty_label=_("Open and settled"),
    )
    overdue = YesNoFilter(method="filter_overdue", label=_("Overdue"))
    disputed = YesNoFilter(label=_("Disputed"))
    blocked = YesNoFilter(label=_("Blocked"))
    due_date = django_filters.DateFromToRangeFilter(
        label=_("Due between"),
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )

    class Meta:
        model = Item
        fields = [
            "q",
            "entity",
            "customer",
            "kind",
            "currency",
            "status",
            "overdue",
            "disputed",
            "blocked",
            "due_date",
        ]

    def __init__(self, data=None, queryset=None, *, user, request=None, prefix=None, todays=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.user = user
        self.filters["entity"].queryset = Entity.objects.visible_to(user)
        self.todays = todays

    def filter_customer(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(customer__external_id__iexact=value) | Q(customer__name__icontains=value)
        )

    def filter_currency(self, queryset, name, value):
        value = value.strip().upper()
        return queryset.filter(currency=value) if value else queryset

    def filter_status(self, queryset, name, value):
        if value == ItemStatus.OPEN:
            return queryset.filter(open_amount__gt=0)
        if value == ItemStatus.SETTLED:
            return queryset.filter(open_amount=0)
        return queryset

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        if self.todays is None:
            self.todays = visible_entity_todays(self.user)
        condition = overdue_condition(self.todays)
        return queryset.filter(condition if value else ~condition)
