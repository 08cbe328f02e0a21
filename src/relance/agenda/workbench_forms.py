"""Forms of the customer page's workbench: each parses one operation's input for one service.
Each has its own prefix, so that the page's fields never share an HTML id."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from relance.agenda.forms import DATE_INPUT, BootstrapForm
from relance.scenarios.models import Scenario


class HoldForm(BootstrapForm):
    prefix = "hold"

    reason = forms.CharField(label=_("Reason for the hold"), max_length=200)
    until = forms.DateField(
        label=_("Until (optional)"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Leave empty to hold the customer until someone releases it."),
    )


class ScenarioForm(BootstrapForm):
    """The scenario set by hand; empty: back to the segment's."""

    prefix = "scenario"

    scenario = forms.ModelChoiceField(
        queryset=None,
        label=_("Scenario"),
        required=False,
        empty_label=_("The segment's scenario"),
    )

    def __init__(self, *args, customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scenario"].queryset = Scenario.objects.for_entity(customer.entity)
        self.initial.setdefault("scenario", customer.scenario_id)


class ItemIdsField(forms.Field):
    """Ids of items ticked in the open items table (whose they are is the service's check)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        try:
            return sorted({int(v) for v in values})
        except (TypeError, ValueError):
            raise ValidationError(_("Choose items from the list."), code="invalid") from None

    def validate(self, value):
        if not value:
            raise ValidationError(_("Tick at least one item."), code="required")


class ItemsOperation:
    DISPUTE = "dispute"
    CLEAR = "clear"
    PROMISE = "promise"


class ItemsForm(BootstrapForm):
    """One operation on the ticked open items: open or clear a dispute, record a promise."""

    prefix = "items"

    items = ItemIdsField(label=_("Items"))
    operation = forms.ChoiceField(
        label=_("Operation"),
        choices=[
            (ItemsOperation.DISPUTE, _("Open a dispute")),
            (ItemsOperation.CLEAR, _("Clear the dispute")),
            (ItemsOperation.PROMISE, _("Record a promise to pay")),
        ],
    )
    reason = forms.CharField(label=_("Dispute reason"), required=False, max_length=200)
    promise_date = forms.DateField(
        label=_("Promised payment date"), required=False, widget=DATE_INPUT
    )

    def clean(self):
        data = super().clean()
        operation = data.get("operation")
        if operation == ItemsOperation.DISPUTE and not (data.get("reason") or "").strip():
            self.add_error("reason", _("A dispute needs a reason."))
        if operation == ItemsOperation.PROMISE and not data.get("promise_date"):
            self.add_error("promise_date", _("A promise needs a date."))
        return data


class MessageTemplateForm(BootstrapForm):
    """The template of a one-off message (any channel that leaves as a message)."""

    prefix = "message"

    template = forms.ModelChoiceField(
        queryset=None, label=_("Template"), empty_label=_("Choose a template")
    )

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates
        self.fields["template"].label_from_instance = lambda template: (
            f"{template.name} ({template.get_channel_display()})"
        )


class OneOffForm(BootstrapForm):
    """A one-off message as the user will send it: an email's subject and HTML body, an
    SMS's text, a letter's HTML body (its subject is the template's)."""

    template = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput)
    subject = forms.CharField(label=_("Subject"), max_length=255)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 12}))

    def __init__(self, *args, templates, channel: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates
        body = self.fields["body"].widget
        if channel in ("email", "letter"):
            body.attrs.update({"class": f"{body.attrs['class']} rich-editor", "data-lang": "msg"})
        else:
            body.attrs.update({"rows": 5, "class": f"{body.attrs['class']} sms-text"})
        if channel != "email":
            del self.fields["subject"]
