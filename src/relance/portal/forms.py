"""The customer's answers: one small form per kind, each limited to their own open items."""

from django import forms
from django.utils.translation import gettext_lazy as _

from relance.portal.choices import CallbackSlot, DisputeReason
from relance.portal.selectors import open_items
from relance.portal.uploads import validate_upload

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ItemChoice(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, item):
        return item.number


def _styled(form: forms.Form) -> None:
    """Bootstrap classes, so the page reads well at 390 px as on a desktop."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class PortalForm(forms.Form):
    def __init__(self, *args, customer=None, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)


class ItemsForm(forms.Form):
    """A form about some of the customer's open items: an id of anyone else's is invalid."""

    items_required = True
    items = ItemChoice(queryset=None, label=_("Items"))

    def __init__(self, *args, customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = open_items(customer)
        self.fields["items"].required = self.items_required
        _styled(self)

    def item_ids(self) -> list[int]:
        return [item.pk for item in self.cleaned_data.get("items") or []]


class FileField(forms.FileField):
    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        return validate_upload(value) if value else value


class PaidForm(ItemsForm):
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)
    amount = forms.DecimalField(label=_("Amount"), min_value=0, decimal_places=2, required=False)
    reference = forms.CharField(label=_("Payment reference"), max_length=100, required=False)
    proof = FileField(label=_("Proof of payment (PDF, PNG, JPEG, 10 MB)"), required=False)


class PromiseForm(ItemsForm):
    promise_date = forms.DateField(label=_("I will pay on"), widget=DATE)
    amount = forms.DecimalField(label=_("Amount"), min_value=0, decimal_places=2, required=False)


class DisputeForm(ItemsForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=DisputeReason.choices)
    text = forms.CharField(
        label=_("Explain"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    attachment = FileField(label=_("Document (PDF, PNG, JPEG, 10 MB)"), required=False)


class CommentForm(ItemsForm):
    items_required = False
    body = forms.CharField(
        label=_("Your message"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CallbackForm(PortalForm):
    day = forms.DateField(label=_("Day"), widget=DATE)
    slot = forms.ChoiceField(label=_("Time"), choices=CallbackSlot.choices)
    phone = forms.CharField(label=_("Phone number"), max_length=30)


class ContactForm(PortalForm):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    address = forms.CharField(
        label=_("Postal address"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


FORMS = {
    "paid": PaidForm,
    "promise": PromiseForm,
    "dispute": DisputeForm,
    "comment": CommentForm,
    "callback": CallbackForm,
    "contact": ContactForm,
}
