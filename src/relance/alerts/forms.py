from django import forms

from relance.alerts.models import AlertRule


class AlertRuleForm(forms.ModelForm):
    class Meta:
        model = AlertRule
        fields = ["name", "kind", "amount", "days"]
        widgets = {
            "name": forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            "kind": forms.Select(attrs={"class": "form-select form-select-sm"}),
            "amount": forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
            "days": forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
        }

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.owner = owner
