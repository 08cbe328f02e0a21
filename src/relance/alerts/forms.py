"""The alert form: its name and switches; the rules come from the segments' rule builder
(segments/forms.py: criteria_from_post)."""

from django import forms

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
