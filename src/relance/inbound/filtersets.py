"""The filters of the Unassigned list: entity (those the user sees), kind, date received,
and a search on the sender and the subject. Filtering never widens the queryset given."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from relance.core.models import Entity
from relance.customers.filtersets import StyledFilterSet
from relance.inbound.choices import InboundKind
from relance.inbound.models import InboundEmail


class InboundEmailFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Sender or subject"))
    entity = django_filters.ModelChoiceFilter(
        queryset=Entity.objects.none(), label=_("Entity"), empty_label=_("All entities")
    )
    kind = django_filters.ChoiceFilter(
        choices=InboundKind.choices, label=_("Kind"), empty_label=_("All kinds")
    )
    received_at = django_filters.DateFromToRangeFilter(
        field_name="received_at__date",
        label=_("Received between"),
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )

    class Meta:
        model = InboundEmail
        fields = ["q", "entity", "kind", "received_at"]

    def __init__(self, data=None, queryset=None, *, user, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.user = user
        self.filters["entity"].queryset = Entity.objects.visible_to(user)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(sender__icontains=value)
            | Q(sender_name__icontains=value)
            | Q(subject__icontains=value)
        )
