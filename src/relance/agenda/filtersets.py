"""The agenda's FilterSets: one for actions (shared by the three action tabs, their counters
and the history export), one for customers' responses.

Every choice comes from what the user may see; filtering never widens the queryset it is
given, which the views take from `Action.objects.visible_to(user)`.
"""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from relance.accounts.models import User
from relance.agenda.choices import ActionStatus, ResponseChannel, ResponseKind
from relance.agenda.models import Action, CustomerResponse
from relance.core.models import Entity
from relance.customers.filtersets import StyledFilterSet, category_choices, custom_field_filters
from relance.customers.models import Tag
from relance.scenarios.choices import StepChannel
from relance.scenarios.models import Scenario
from relance.segments.models import Segment, SegmentMembership

HIDDEN, ONLY = "hidden", "only"
UNASSIGNED_CHOICES = ((HIDDEN, _("Hidden")), (ONLY, _("Only them")))


class ActionFilterSet(StyledFilterSet):
    collector = django_filters.ModelChoiceFilter(
        field_name="responsible",
        queryset=User.objects.none(),
        method="filter_collector",
        label=_("Collector"),
        empty_label=_("All collectors"),
    )
    # Actions nobody is responsible for (their customer has no collector, their step no
    # responsible): shown beside a collector's own unless hidden, so they never disappear.
    unassigned = django_filters.ChoiceFilter(
        choices=UNASSIGNED_CHOICES,
        method="filter_unassigned",
        label=_("Unassigned"),
        empty_label=_("Shown"),
    )
    entity = django_filters.ModelChoiceFilter(
        queryset=Entity.objects.none(), label=_("Entity"), empty_label=_("All entities")
    )
    # A segment's id (the API's schema cannot guess it from a filter method).
    segment = extend_schema_field(OpenApiTypes.INT)(
        django_filters.ModelChoiceFilter(
            queryset=Segment.objects.none(),
            method="filter_segment",
            label=_("Segment"),
            empty_label=_("All segments"),
        )
    )
    scenario = django_filters.ModelChoiceFilter(
        queryset=Scenario.objects.none(), label=_("Scenario"), empty_label=_("All scenarios")
    )
    channel = django_filters.ChoiceFilter(
        choices=StepChannel.choices, label=_("Channel"), empty_label=_("All channels")
    )
    status = django_filters.ChoiceFilter(
        choices=ActionStatus.choices, label=_("Status"), empty_label=_("All statuses")
    )
    due_date = django_filters.DateFromToRangeFilter(
        label=_("Due between"),
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )
    category = django_filters.ChoiceFilter(
        field_name="customer__category",
        choices=[],
        label=_("Category"),
        empty_label=_("All categories"),
    )
    tag = django_filters.ModelChoiceFilter(
        field_name="customer__tags",
        queryset=Tag.objects.all(),
        label=_("Tag"),
        empty_label=_("All tags"),
    )

    class Meta:
        model = Action
        fields = [
            "collector",
            "unassigned",
            "entity",
            "segment",
            "scenario",
            "channel",
            "status",
            "due_date",
            "category",
            "tag",
        ]

    def __init__(self, data=None, queryset=None, *, user, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.user = user
        visible = Action.objects.visible_to(user)
        self.filters["entity"].queryset = Entity.objects.visible_to(user)
        self.filters["collector"].queryset = User.objects.filter(
            Exists(visible.filter(responsible=OuterRef("pk")))
        ).order_by("first_name", "last_name", "username")
        self.filters["segment"].queryset = Segment.objects.visible_to(user).order_by(
            "priority", "name", "id"
        )
        self.filters["scenario"].queryset = Scenario.objects.visible_to(user).order_by("name")
        self.filters["category"].extra["choices"] = category_choices(user)
        custom_field_filters(self, prefix="customer__")

    def filter_collector(self, queryset, name, value):
        if value is None:
            return queryset
        if self.form.cleaned_data.get("unassigned") == HIDDEN:
            return queryset.filter(responsible=value)
        return queryset.filter(Q(responsible=value) | Q(responsible__isnull=True))

    def filter_unassigned(self, queryset, name, value):
        if value == HIDDEN:
            return queryset.filter(responsible__isnull=False)
        if value == ONLY:
            return queryset.filter(responsible__isnull=True)
        return queryset

    def filter_segment(self, queryset, name, value):
        if value is None:
            return queryset
        members = SegmentMembership.objects.filter(segment=value, customer=OuterRef("customer"))
        return queryset.filter(Exists(members))


RESPONSE_STATES = (("unhandled", _("To handle")), ("handled", _("Handled")))


class ResponseFilterSet(StyledFilterSet):
    entity = django_filters.ModelChoiceFilter(
        queryset=Entity.objects.none(), label=_("Entity"), empty_label=_("All entities")
    )
    kind = django_filters.ChoiceFilter(
        choices=ResponseKind.choices, label=_("Kind"), empty_label=_("All kinds")
    )
    # No state chosen lists them all, the unhandled first (selectors.response_queryset).
    state = django_filters.ChoiceFilter(
        choices=RESPONSE_STATES,
        method="filter_state",
        label=_("Handled"),
        empty_label=_("Handled or not"),
    )
    channel = django_filters.ChoiceFilter(
        choices=ResponseChannel.choices, label=_("Channel"), empty_label=_("All channels")
    )
    customer = django_filters.CharFilter(
        field_name="customer__name", lookup_expr="icontains", label=_("Customer")
    )
    received_at = django_filters.DateFromToRangeFilter(
        field_name="received_at__date",
        label=_("Received between"),
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )

    class Meta:
        model = CustomerResponse
        fields = ["entity", "kind", "state", "channel", "customer", "received_at"]

    def __init__(self, data=None, queryset=None, *, user, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.user = user
        self.filters["entity"].queryset = Entity.objects.visible_to(user)

    def filter_state(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(handled_at__isnull=value == "unhandled")
