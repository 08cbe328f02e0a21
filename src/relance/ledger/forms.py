from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _

from relance.core.forms import EntityUploadForm
from relance.ledger.choices import DateOrder, DecimalSeparator, ImportKind
from relance.ledger.importers import IMPORTERS
from relance.ledger.importers.detect import SNIFF_BYTES, detect_kind
from relance.ledger.importers.mapping import ColumnMapping, mapping_problems
from relance.ledger.importers.readers import column_letter
from relance.ledger.importers.synonyms import FIELD_LABELS, FIELDS

IMPORT_EXTENSIONS = {".csv", ".txt", ".xlsx", ".pdf", ".xml"}
AUTO = "auto"
SELECT = {"class": "form-select"}


class ImportUploadForm(EntityUploadForm):
    kind = forms.ChoiceField(
        choices=[(AUTO, _("Detect from the file")), *ImportKind.choices],
        label=_("What the file holds"),
        initial=AUTO,
    )
    file = forms.FileField(label=_("File (CSV, XLSX, FEC, Factur-X PDF, UBL or CII XML)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in IMPORT_EXTENSIONS:
            raise forms.ValidationError(_("Choose a .csv, .txt, .xlsx, .pdf or .xml file."))
        return upload

    def clean(self):
        """A kind to detect is told from the file's first bytes, or asked for."""
        cleaned = super().clean()
        upload = cleaned.get("file")
        if cleaned.get("kind") == AUTO and upload is not None:
            head = upload.read(SNIFF_BYTES)
            upload.seek(0)
            kind = detect_kind(head)
            if kind is None:
                self.add_error(
                    "kind", _("What this file holds cannot be told from it: choose its kind.")
                )
            else:
                cleaned["kind"] = kind
        return cleaned


class ColumnMappingForm(forms.Form):
    """The smart upload's mapping: one select per column of the file (a field of Relance or
    nothing), and how the file writes dates and amounts. Valid only when every required
    field has a column and no field has two."""

    date_order = forms.ChoiceField(
        choices=DateOrder.choices, label=_("Dates are written"), widget=forms.Select(SELECT)
    )
    decimal_separator = forms.ChoiceField(
        choices=DecimalSeparator.choices,
        label=_("Amounts are written with"),
        widget=forms.Select(SELECT),
    )

    def __init__(self, *args, kind: str, headers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.kind, self.headers = kind, headers
        choices = [("", _("— ignore this column —"))]
        choices += [(name, f"{FIELD_LABELS.get(name, name)} · {name}") for name in FIELDS[kind]]
        for index, header in enumerate(headers):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                choices=choices,
                required=False,
                label=header or column_letter(index),
                widget=forms.Select({"class": "form-select form-select-sm"}),
            )

    def column_fields(self):
        """(index, bound field) of each column, in the file's order."""
        return [(index, self[f"column_{index}"]) for index in range(len(self.headers))]

    def clean(self):
        data = super().clean()
        chosen = [data.get(f"column_{index}", "") for index in range(len(self.headers))]
        required = IMPORTERS[self.kind].required_columns
        for problem, name in mapping_problems(self.kind, chosen, required):
            label = f"{FIELD_LABELS.get(name, name)} ({name})"
            if problem == "twice":
                message = _("%(field)s is chosen for more than one column.")
            else:
                message = _("%(field)s is required: choose the column that holds it.")
            self.add_error(None, message % {"field": label})
        data["mapping"] = ColumnMapping(
            fields=chosen,
            date_order=data.get("date_order") or DateOrder.DAY_FIRST,
            decimal_separator=data.get("decimal_separator") or DecimalSeparator.POINT,
        )
        return data
