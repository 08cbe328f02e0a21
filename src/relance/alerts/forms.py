"""The alert form: its name and switches; the rules come from the segments' rule builder
(segments/forms.py: criteria_from_post)."""

from django import forms
from django.core.exceptions import ValidationError

from relance.alerts.models import AlertRule
from relance.customers.filtersets import bootstrap_form


class AlertRuleForm(forms.ModelForm):
    class Meta:
        model = AlertRule
        fields = ["name", "is_active", "send_digest"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap_form(self)

    def _post_clean(self):
        """Model validation is the service's job (see views)."""


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """The errors a service raised, on the form's fields when it has them (the rules'
    errors on the form)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)
