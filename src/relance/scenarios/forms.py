"""Forms of the scenario pages: they parse and display; the services validate and save."""

from django import forms
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from relance.accounts.models import User
from relance.core.models import Entity
from relance.customers.choices import ContactRole
from relance.customers.filtersets import bootstrap_form, user_label
from relance.scenarios.models import Scenario, Step
from relance.templating.models import MessageTemplate


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """The errors a service raised, on the form's fields when it has them."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


class ScenarioForm(forms.ModelForm):
    class Meta:
        model = Scenario
        fields = [
            "name",
            "description",
            "entity",
            "min_contact_days",
            "min_amount",
            "repeat_last_every_days",
            "lookahead_days",
            "promise_grace_days",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity"].queryset = Entity.objects.visible_to(user)
        self.fields["entity"].empty_label = _("All entities")
        bootstrap_form(self)

    def _post_clean(self):
        """Model validation is the service's job (see views)."""


class StepForm(forms.ModelForm):
    cc_contact_roles = forms.MultipleChoiceField(
        label=_("Copy to contacts with roles"),
        choices=ContactRole.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Step
        fields = [
            "name",
            "channel",
            "mode",
            "anchor",
            "offset_days",
            "template",
            "responsible_users",
            "responsible_groups",
            "cc_contact_roles",
            "cc_users",
            "cc_email",
            "attachments",
            "instructions",
        ]
        widgets = {"instructions": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, scenario, **kwargs):
        super().__init__(*args, **kwargs)
        templates = MessageTemplate.objects.visible_to(user)
        if scenario.entity_id:
            templates = templates.for_entity(scenario.entity)
        else:
            templates = templates.filter(entity__isnull=True)
        self.fields["template"].queryset = templates.order_by("channel", "name")
        self.fields["template"].label_from_instance = lambda t: (
            f"{t.name} ({t.get_channel_display()})"
        )
        users = User.objects.filter(is_active=True).order_by("first_name", "username")
        for name in ("responsible_users", "cc_users"):
            self.fields[name].queryset = users
            self.fields[name].label_from_instance = user_label
            self.fields[name].widget.attrs["size"] = 4
        self.fields["responsible_groups"].queryset = Group.objects.order_by("name")
        self.fields["responsible_groups"].widget.attrs["size"] = 3
        if self.instance.pk:
            self.initial["cc_contact_roles"] = [
                role for role in self.instance.cc_contact_roles.split(",") if role
            ]
        bootstrap_form(self)
        self.fields["cc_contact_roles"].widget.attrs["class"] = "form-check-input"

    def _post_clean(self):
        """Model validation is the service's job (see views)."""

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("responsible_users", "responsible_groups", "cc_users"):
            data[name] = list(data.get(name) or [])
        return data
