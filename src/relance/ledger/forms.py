from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _

from relance.core.models import Entity
from relance.ledger.choices import ImportKind
from relance.ledger.importers.detect import SNIFF_BYTES, detect_kind

IMPORT_EXTENSIONS = {".csv", ".txt", ".xlsx", ".pdf", ".xml"}
AUTO = "auto"


class ImportUploadForm(forms.Form):
    entity = forms.ModelChoiceField(queryset=Entity.objects.none(), label=_("Entity"))
    kind = forms.ChoiceField(
        choices=[(AUTO, _("Detect from the file")), *ImportKind.choices],
        label=_("What the file holds"),
        initial=AUTO,
    )
    file = forms.FileField(label=_("File (CSV, XLSX, FEC, Factur-X PDF, UBL or CII XML)"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        entities = Entity.objects.visible_to(user)
        self.fields["entity"].queryset = entities
        if len(entities) == 1:
            self.fields["entity"].initial = entities[0]

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
