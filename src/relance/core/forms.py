"""Form fields shared by the apps."""

from django import forms
from django.core.exceptions import ValidationError

from relance.core.params import DIGITS


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
