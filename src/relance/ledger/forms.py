from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _

from relance.core.models import Entity
from relance.ledger.choices import ImportKind

IMPORT_EXTENSIONS = {".csv", ".txt", ".xlsx"}


class ImportUploadForm(forms.Form):
    entity = forms.ModelChoiceField(queryset=Entity.objects.none(), label=_("Entity"))
    kind = forms.ChoiceField(choices=ImportKind.choices, label=_("What the file holds"))
    file = forms.FileField(label=_("File (CSV or XLSX)"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        entities = Entity.objects.visible_to(user)
        self.fields["entity"].queryset = entities
        if len(entities) == 1:
            self.fields["entity"].initial = entities[0]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in IMPORT_EXTENSIONS:
            raise forms.ValidationError(_("Choose a .csv or .xlsx file."))
        return upload
