from django import forms
from django.utils.translation import gettext_lazy as _

from relance.core.models import Entity
from relance.customers.filtersets import bootstrap_form
from relance.webhooks.choices import SUBSCRIBABLE


class SubscriptionForm(forms.Form):
    entity = forms.ModelChoiceField(label=_("Entity"), queryset=Entity.objects.none())
    url = forms.URLField(
        label=_("Receiver URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Relance POSTs each event there as JSON, signed (see the documentation)."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=SUBSCRIBABLE, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, user, subscription=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity"].queryset = Entity.objects.visible_to(user)
        if subscription is not None:
            del self.fields["entity"]  # a subscription stays with its entity
        bootstrap_form(self)
        self.fields["events"].widget.attrs["class"] = "form-check-input"
