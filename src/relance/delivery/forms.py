"""The forms of letters handed to the print-and-mail and e-registered mail connectors."""

from django import forms
from django.utils.translation import gettext_lazy as _

from relance.scenarios.choices import StepChannel


def recipient_choices(contacts) -> list[tuple[int, str]]:
    """A customer's contacts that can receive an e-registered letter: those with an email
    address that did not bounce, the collection contacts first."""
    usable = [c for c in contacts if c.email and c.email_invalid_at is None]
    usable.sort(key=lambda c: (not c.is_collection, c.last_name, c.pk))
    return [(c.pk, f"{c.full_name or c.email} <{c.email}>") for c in usable]


class HandOverForm(forms.Form):
    """The letters to hand over (`actions`, in the screen's order), and for each
    e-registered letter its recipient among the customer's contacts (`recipient_<id>`)."""

    def __init__(self, *args, actions, contacts: dict[int, list], **kwargs):
        self.actions = list(actions)
        super().__init__(*args, **kwargs)
        for action in self.actions:
            if action.channel != StepChannel.E_REGISTERED_LETTER:
                continue
            choices = recipient_choices(contacts.get(action.customer_id, []))
            self.fields[f"recipient_{action.pk}"] = forms.TypedChoiceField(
                label=_("Recipient of the letter to %(customer)s")
                % {"customer": action.customer.name},
                choices=choices,
                coerce=int,
                required=True,
                initial=choices[0][0] if choices else None,
                error_messages={
                    "required": _("Choose the recipient among the customer's contacts."),
                    "invalid_choice": _("Choose the recipient among the customer's contacts."),
                },
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )

    def rows(self) -> list[tuple]:
        """(action, its recipient field or None) per letter."""
        return [
            (a, self[f"recipient_{a.pk}"] if f"recipient_{a.pk}" in self.fields else None)
            for a in self.actions
        ]

    def recipients(self) -> dict[int, int]:
        return {
            a.pk: self.cleaned_data[f"recipient_{a.pk}"]
            for a in self.actions
            if f"recipient_{a.pk}" in self.cleaned_data
        }
