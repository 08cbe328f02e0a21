from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from relance.agenda.forms import BootstrapForm
from relance.assistant.choices import DisputeReason, Document, Intent


class ItemChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, item):
        due = date_format(item.due_date, "SHORT_DATE_FORMAT") if item.due_date else "—"
        return f"{item.number} · {item.open_amount} {item.currency} · {due}"


class CorrectForm(BootstrapForm):
    """The collector's reading of a response (`items`: the customer's open items)."""

    intent = forms.ChoiceField(label=_("The customer means"), choices=Intent.choices)
    dispute_reason = forms.ChoiceField(
        label=_("Dispute category"),
        choices=[("", "—"), *DisputeReason.choices],
        required=False,
    )
    document = forms.ChoiceField(
        label=_("Document asked for"), choices=[("", "—"), *Document.choices], required=False
    )
    day = forms.DateField(
        label=_("Date (promised or paid)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    items = ItemChoiceField(
        label=_("Items"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = items
        self.fields["items"].widget.attrs.pop("class", None)
