import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _

from relance.banking.choices import StatementFormat
from relance.core.forms import EntityUploadForm
from relance.customers.models import Customer

STATEMENT_EXTENSIONS = {".xml", ".sta", ".mt940", ".940", ".txt", ".csv"}
# A file is read whole in the request (then matched there or in the background): a month
# of a busy account is well under this.
MAX_STATEMENT_BYTES = 20 * 1024 * 1024


class StatementUploadForm(EntityUploadForm):
    format = forms.ChoiceField(
        choices=[("", _("Detect from the file")), *StatementFormat.choices],
        label=_("Format"),
        required=False,
    )
    file = forms.FileField(label=_("Statement file (camt.053, camt.054, MT940 or CSV)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in STATEMENT_EXTENSIONS:
            raise forms.ValidationError(_("Choose a .xml, .sta, .940, .txt or .csv file."))
        if upload.size > MAX_STATEMENT_BYTES:
            raise forms.ValidationError(_("This file is too large for a bank statement."))
        return upload


class AllocationForm(forms.Form):
    """A line allocated by hand: a customer, and items of theirs each with the amount paid
    (`item` names the ticked items, `amount_<id>` their amounts). The suggestions' buttons
    post the same fields."""

    customer = forms.ModelChoiceField(
        queryset=Customer.objects.none(), label=_("Customer"), required=False
    )

    def __init__(self, *args, line, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.visible_to(user).filter(
            entity_id=line.entity_id
        )

    def clean(self):
        cleaned = super().clean()
        amounts = {}
        for raw in self.data.getlist("item"):
            try:
                pk = int(raw)
            except ValueError:
                raise forms.ValidationError(_("Choose items from the list.")) from None
            text = re.sub(r"\s", "", self.data.get(f"amount_{pk}") or "").replace(",", ".")
            try:
                amounts[pk] = Decimal(text).quantize(Decimal("0.01"))
            except InvalidOperation:
                raise forms.ValidationError(_("Give an amount for each ticked item.")) from None
            if not amounts[pk].is_finite():
                raise forms.ValidationError(_("Give an amount for each ticked item."))
        if not amounts and cleaned.get("customer") is None:
            raise forms.ValidationError(_("Choose a customer, and the items the line pays."))
        cleaned["amounts"] = amounts
        return cleaned

    def errors_line(self) -> str:
        return " ".join(str(error) for errors in self.errors.values() for error in errors)
