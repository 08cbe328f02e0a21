"""Editing a customer's contacts in the UI: the same checks as the contacts import (numbers
in E.164 read in the contact's or the customer's country), so that a collector can fix the
address a reminder failed on and retry it."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from relance.customers.choices import GuaranteeKind
from relance.customers.filtersets import bootstrap_form
from relance.customers.models import Contact, Customer
from relance.customers.phones import e164
from relance.customers.selectors import address_problems

INVALID_PHONE = _(
    "%(value)s is not a valid phone number (write it with its country code, "
    "e.g. +33 6 12 34 56 78)."
)


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = [
            "first_name",
            "last_name",
            "job_title",
            "email",
            "phone",
            "mobile",
            "address_line1",
            "address_line2",
            "postal_code",
            "city",
            "country",
            "is_collection",
            "is_billing",
            "is_legal",
            "is_other",
        ]

    def __init__(self, *args, customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.customer = customer
        bootstrap_form(self)
        for name in ("phone", "mobile"):
            self.fields[name].help_text = _("International format, e.g. +33612345678.")

    def _region(self) -> str:
        return self.cleaned_data.get("country") or self.customer.country

    def clean_country(self) -> str:
        country = self.cleaned_data["country"].strip().upper()
        if country and (len(country) != 2 or not country.isalpha()):
            raise ValidationError(_("Two letters (ISO 3166), e.g. FR."))
        return country

    def clean(self):
        cleaned = super().clean()
        for name in ("phone", "mobile"):
            if name not in cleaned:
                continue
            number = e164(cleaned[name], self._region())
            if number is None:
                self.add_error(
                    name, ValidationError(INVALID_PHONE, params={"value": cleaned[name]})
                )
            else:
                cleaned[name] = number
        for problem in address_problems(self._region(), cleaned.get("postal_code", "")):
            self.add_error("postal_code", problem)
        if not any(
            cleaned.get(f"is_{role}") for role in ("collection", "billing", "legal", "other")
        ):
            self.add_error("is_collection", _("Give the contact at least one role."))
        return cleaned


class CreditCoverForm(forms.ModelForm):
    """The customer's credit insurance and guarantee (amounts in the customer's currency)."""

    class Meta:
        model = Customer
        fields = [
            "insurer",
            "insured_amount",
            "insurance_expires_on",
            "guarantee_kind",
            "guarantee_amount",
        ]
        widgets = {
            "insurance_expires_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guarantee_kind"].choices = [("", _("None")), *GuaranteeKind.choices]
        for name in ("insured_amount", "guarantee_amount"):
            self.fields[name].help_text = _("In %(currency)s.") % {
                "currency": self.instance.currency
            }
            self.fields[name].validators.append(MinValueValidator(0))
            self.fields[name].widget.attrs["min"] = "0"
        bootstrap_form(self)

    def _post_clean(self):
        """Model validation is the service's job (customer_credit_cover_update)."""
