"""The form of "Attach to a customer": a customer of the email's entity that the user sees
(the chooser offers them by search), and whether the sender becomes one of its contacts."""

from django import forms
from django.utils.translation import gettext_lazy as _

from relance.customers.models import Customer


class AssignForm(forms.Form):
    customer = forms.ModelChoiceField(
        queryset=Customer.objects.none(),
        label=_("Customer"),
        error_messages={
            "required": _("Choose the customer who wrote (search by name or number)."),
            "invalid_choice": _("Choose a customer of the email's entity."),
        },
    )
    add_contact = forms.BooleanField(
        label=_("Add the sender as a contact"),
        required=False,
        help_text=_("A collection contact of the customer, unless the address is there already."),
    )

    def __init__(self, *args, email, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.visible_to(user).filter(
            entity_id=email.entity_id
        )

    def errors_line(self) -> str:
        """The errors as one line naming their field, for a message after a redirect."""
        parts = []
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else ""
            parts.extend(f"{label}: {error}" if label else str(error) for error in errors)
        return " ".join(parts)
