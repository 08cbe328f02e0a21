"""The Insights filters (dashboard and drill-downs share them): every choice is among what
the user may see, and the form answers the dashboard's Scope and period."""

from datetime import date

from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from relance.accounts.models import User
from relance.core.models import Entity
from relance.customers.filtersets import bootstrap_form, user_label
from relance.customers.models import Customer
from relance.insights import dashboard, fx, selectors
from relance.scenarios.models import Scenario
from relance.segments.models import Segment, SegmentMembership

MONTH_FORMATS = ["%Y-%m"]
DEFAULT_MONTHS = 12
# The currency choice "every currency, converted into the reporting currency".
CONVERTED = "all"


class MonthInput(forms.DateInput):
    input_type = "month"

    def format_value(self, value):
        return value.strftime("%Y-%m") if isinstance(value, date) else value


def chosen_customers(entity_ids, segment=None, scenario=None, collector=None, no_collector=False):
    """The customers (a queryset of ids) of a segment, a scenario and a collector (or
    without one) among the entities', or None when none is chosen (every customer)."""
    if not (segment or scenario or collector or no_collector):
        return None
    customers = Customer.objects.filter(entity__in=entity_ids)
    if segment:
        members = SegmentMembership.objects.filter(segment=segment, customer=OuterRef("pk"))
        customers = customers.filter(Exists(members))
    if scenario:
        customers = customers.filter(scenario=scenario)
    if collector:
        customers = customers.filter(collector=collector)
    if no_collector:
        customers = customers.filter(collector__isnull=True)
    return customers.values("pk")


class InsightsFilterForm(forms.Form):
    entity = forms.ModelMultipleChoiceField(
        queryset=Entity.objects.none(),
        required=False,
        label=_("Entities"),
        help_text=_("None chosen: all those you may see."),
    )
    currency = forms.ChoiceField(choices=[], required=False, label=_("Currency"))
    segment = forms.ModelChoiceField(
        queryset=Segment.objects.none(),
        required=False,
        label=_("Segment"),
        empty_label=_("All segments"),
    )
    collector = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label=_("Collector"),
        empty_label=_("All collectors"),
    )
    no_collector = forms.BooleanField(required=False, label=_("Without a collector"))
    scenario = forms.ModelChoiceField(
        queryset=Scenario.objects.none(),
        required=False,
        label=_("Scenario"),
        empty_label=_("All scenarios"),
    )
    start = forms.DateField(
        required=False, input_formats=MONTH_FORMATS, widget=MonthInput, label=_("From")
    )
    end = forms.DateField(
        required=False, input_formats=MONTH_FORMATS, widget=MonthInput, label=_("To")
    )

    def __init__(self, data=None, *, user):
        super().__init__(data)
        self.user = user
        entities = Entity.objects.visible_to(user).order_by("name")
        self.visible_entities = list(entities)
        self.fields["entity"].queryset = entities
        self.fields["entity"].widget.attrs["data-searchable"] = ""
        visible_ids = [entity.pk for entity in self.visible_entities]
        currencies = dashboard.scope_currencies(visible_ids) or sorted(
            {entity.currency for entity in self.visible_entities}
        )
        self.fields["currency"].choices = [
            (CONVERTED, _("All, converted into %(currency)s") % {"currency": self._reporting()}),
            *((c, c) for c in currencies),
        ]
        self.fields["segment"].queryset = Segment.objects.visible_to(user).order_by(
            "priority", "name", "id"
        )
        self.fields["scenario"].queryset = Scenario.objects.visible_to(user).order_by("name")
        collected = Customer.objects.filter(entity__in=visible_ids, collector=OuterRef("pk"))
        self.fields["collector"].queryset = User.objects.filter(Exists(collected)).order_by(
            "first_name", "last_name", "username"
        )
        self.fields["collector"].label_from_instance = user_label
        bootstrap_form(self)

    def clean(self):
        data = super().clean()
        if data.get("no_collector") and data.get("collector"):
            self.add_error("no_collector", _("Choose a collector or none, not both."))
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("The end month is before the start month."))
        return data

    def scope(self) -> dashboard.Scope:
        """The entities, currency, collector and customers chosen (a valid form)."""
        data = self.cleaned_data
        entities = tuple(data.get("entity") or self.visible_entities)
        currency = data.get("currency") or self._default_currency(entities)
        converted = currency == CONVERTED
        if converted:
            currency = self._reporting(entities)
        customers = chosen_customers(
            [entity.pk for entity in entities], data.get("segment"), data.get("scenario")
        )
        return dashboard.Scope(
            entities=entities,
            currency=currency,
            collector=data.get("collector"),
            no_collector=bool(data.get("no_collector")),
            customers=customers,
            converted=converted,
        )

    def _reporting(self, entities=None) -> str:
        """The reporting currency: one entity's own, the group's for several."""
        entities = entities or self.visible_entities
        return fx.reporting_currency(entities[0] if len(entities) == 1 else None)

    def _default_currency(self, entities) -> str:
        """Entities in different currencies (a group): converted into the reporting
        currency; else the entities' currency."""
        if len({entity.currency for entity in entities}) > 1:
            return CONVERTED
        choices = [value for value, _label in self.fields["currency"].choices[1:]]
        for entity in entities:
            if entity.currency in choices:
                return entity.currency
        return choices[0] if choices else (entities[0].currency if entities else "EUR")

    def period(self, latest: date | None) -> tuple[date, date]:
        """The first and last day shown: the months chosen, by default the twelve months to
        the latest day written (to today without any)."""
        data = self.cleaned_data
        last = latest or date.today()
        end = selectors.month_end(data["end"]) if data.get("end") else last
        end = min(end, last) if latest else end
        start = data.get("start") or selectors.add_months(end, 1 - DEFAULT_MONTHS)
        return selectors.month_start(start), end


class PageFilterForm(InsightsFilterForm):
    """The filters of the forecast and steps pages: one entity (the first the user sees by
    default), a segment, a collector, a scenario, and for the steps page the months whose
    observations count; no currency (their amounts are per currency, never converted)."""

    entity = forms.ModelChoiceField(
        queryset=Entity.objects.none(), required=False, label=_("Entity"), empty_label=None
    )

    def __init__(self, data=None, *, user, with_period: bool = True):
        super().__init__(data, user=user)
        del self.fields["currency"]
        if not with_period:
            del self.fields["start"], self.fields["end"]

    def chosen_entity(self):
        return self.cleaned_data.get("entity") or (
            self.visible_entities[0] if self.visible_entities else None
        )

    def customers(self):
        data = self.cleaned_data
        entity = self.chosen_entity()
        return chosen_customers(
            [entity.pk] if entity else [],
            data.get("segment"),
            data.get("scenario"),
            data.get("collector"),
            bool(data.get("no_collector")),
        )
