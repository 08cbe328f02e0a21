"""Form fields shared by the apps."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from relance.core.models import Entity
from relance.core.params import DIGITS


class EntityUploadForm(forms.Form):
    """A file sent for one of the user's entities (an import, a bank statement): the entity
    to choose among those the user sees, chosen already when there is one."""

    entity = forms.ModelChoiceField(queryset=Entity.objects.none(), label=_("Entity"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        entities = Entity.objects.visible_to(user)
        self.fields["entity"].queryset = entities
        if len(entities) == 1:
            self.fields["entity"].initial = entities[0]


class IdsMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that checks its values are ids before querying them:
    Django sends an id beyond 64 bits to the database, which refuses it (a 500, not a form
    error)."""

    def _check_values(self, value):
        if self.to_field_name is None:
            for pk in value:
                if not DIGITS.fullmatch(str(pk)):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super()._check_values(value)
