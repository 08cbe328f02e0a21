"""The audit trail's filters: who, what type, which action, between which dates."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from relance.accounts.models import User
from relance.audit import selectors
from relance.customers.filtersets import StyledFilterSet, user_label


class LogEntryFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(
        field_name="object_repr",
        lookup_expr="icontains",
        label=_("Object"),
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name or number")}),
    )
    actor = django_filters.ModelChoiceFilter(
        queryset=User.objects.all(), label=_("Who"), empty_label=_("Everyone")
    )
    content_type = django_filters.ChoiceFilter(label=_("Type"), empty_label=_("All types"))
    action = django_filters.ChoiceFilter(
        choices=list(selectors.ACTION_LABELS.items()),
        label=_("Action"),
        empty_label=_("All actions"),
    )
    timestamp = django_filters.DateFromToRangeFilter(
        label=_("Between"),
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )

    def __init__(self, data=None, queryset=None, *, user, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.user = user
        self.filters["content_type"].extra["choices"] = [
            (content_type.pk, selectors.type_label(content_type))
            for content_type in selectors.tracked_content_types()
        ]

    @property
    def form(self):
        form = super().form
        form.fields["actor"].label_from_instance = user_label
        return form
