"""The customer FilterSet, shared by the list page, its exports and (later) the API and segments.

Every choice it offers comes from what the user may see: the entities, the collectors of
visible customers, the categories in use there. Filtering never widens the queryset it is
given, which the views take from `Customer.objects.visible_to(user)`.
"""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from relance.accounts.models import User
from relance.core.models import Entity
from relance.customers.choices import CustomFieldType
from relance.customers.models import Contact, Customer, CustomField, Tag
from relance.customers.selectors import (
    customer_categories,
    overdue_invoices_exist,
    visible_entity_todays,
)

YES_NO = [("", _("Any")), ("true", _("Yes")), ("false", _("No"))]


def bootstrap_form(form: forms.Form) -> None:
    """Bootstrap classes on a filter form's widgets (small controls, as on the list pages)."""
    for bound_field in form:
        widget = bound_field.field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select form-select-sm"
        else:
            css = "form-control form-control-sm"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


def user_label(user) -> str:
    return user.get_full_name() or user.username


class StyledFilterSet(django_filters.FilterSet):
    """A filter set whose form is built once, with Bootstrap classes, and collectors shown
    by their names."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A filter builds its form field once and keeps it (`Filter.field`): built on the
        # class's filters (the API schema reads them), it would freeze their empty choices
        # into every copy. Each filter set builds its own, from the choices it sets.
        for filter_ in self.filters.values():
            filter_.__dict__.pop("_field", None)

    @property
    def form(self):
        if not hasattr(self, "_form"):
            super().form  # noqa: B018 - builds self._form
            bootstrap_form(self._form)
            if "collector" in self._form.fields:
                self._form.fields["collector"].label_from_instance = user_label
        return self._form


class YesNoFilter(django_filters.BooleanFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.Select(choices=YES_NO))
        super().__init__(*args, **kwargs)


def category_choices(user) -> list[tuple[str, str]]:
    """The category filter's choices: the categories of the customers `user` may see."""
    entity_ids = Entity.objects.visible_to(user).values_list("pk", flat=True)
    return [(category, category) for category in customer_categories(entity_ids)]


def custom_field_filters(filterset, prefix: str = "") -> None:
    """One filter per custom field (`cf_<name>`) on `<prefix>custom_field_data`, added to
    `filterset`: a choice for choice and yes/no fields, a search for text, the exact value
    (typed as imports type it) for numbers and dates."""
    for field in CustomField.objects.all():
        path = f"{prefix}custom_field_data__{field.name}"
        if field.type == CustomFieldType.SELECT:
            choices = [(choice, choice) for choice in field.choices]
            added = django_filters.ChoiceFilter(
                field_name=path, choices=choices, label=field.label, empty_label=_("Any")
            )
        elif field.type == CustomFieldType.BOOLEAN:
            added = YesNoFilter(field_name=path, label=field.label)
        elif field.type == CustomFieldType.TEXT:
            added = django_filters.CharFilter(
                field_name=path, lookup_expr="icontains", label=field.label
            )
        else:
            added = django_filters.CharFilter(
                method=_exact_custom_value(field, path),
                label=field.label,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
                if field.type == CustomFieldType.DATE
                else forms.TextInput(attrs={"size": 8}),
            )
        added.parent = filterset
        filterset.filters[f"cf_{field.name}"] = added


def _exact_custom_value(field, path: str):
    def filter_value(queryset, name, value):
        try:
            typed = field.to_python(value)
        except ValueError:
            return queryset.none()  # a value no customer can hold
        return queryset if typed is None else queryset.filter(**{path: typed})

    return filter_value


class CustomerFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(
        method="search",
        label=_("Search"),
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name, number or legal id"), "size": 28}
        ),
    )
    entity = django_filters.ModelChoiceFilter(
        queryset=Entity.objects.none(), label=_("Entity"), empty_label=_("All entities")
    )
    collector = django_filters.ModelChoiceFilter(
        queryset=User.objects.none(), label=_("Collector"), empty_label=_("All collectors")
    )
    category = django_filters.ChoiceFilter(
        choices=[], label=_("Category"), empty_label=_("All categories")
    )
    tag = django_filters.ModelChoiceFilter(
        field_name="tags", queryset=Tag.objects.all(), label=_("Tag"), empty_label=_("All tags")
    )
    overdue = YesNoFilter(method="filter_overdue", label=_("Overdue"))
    on_hold = YesNoFilter(label=_("On hold"))

    class Meta:
        model = Customer
        fields = ["q", "entity", "collector", "category", "tag", "overdue", "on_hold"]

    def __init__(self, data=None, queryset=None, *, user, request=None, prefix=None, todays=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.user = user
        visible = Customer.objects.visible_to(user)
        self.filters["entity"].queryset = Entity.objects.visible_to(user)
        self.filters["collector"].queryset = User.objects.filter(
            Exists(visible.filter(collector=OuterRef("pk")))
        ).order_by("first_name", "last_name", "username")
        self.filters["category"].extra["choices"] = category_choices(user)
        self.todays = todays  # each entity's today, for "overdue"; computed when missing
        custom_field_filters(self)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        matches = (
            Q(name__icontains=value)
            | Q(external_id__icontains=value)
            | Q(legal_id__icontains=value)
        )
        return queryset.filter(matches)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        if self.todays is None:
            self.todays = visible_entity_todays(self.user)
        has_overdue = overdue_invoices_exist(self.todays)
        return queryset.filter(has_overdue if value else ~has_overdue)


class ContactFilterSet(django_filters.FilterSet):
    """Contacts of one customer (the API's contact list)."""

    class Meta:
        model = Contact
        fields = ["customer"]

    def __init__(self, data=None, queryset=None, *, user, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.filters["customer"].queryset = Customer.objects.visible_to(user)
