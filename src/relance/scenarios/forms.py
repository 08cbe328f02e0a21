"""Forms of the scenario pages: they parse and display; the services validate and save."""

import json

from django import forms
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from relance.accounts.choices import Role
from relance.accounts.models import User
from relance.accounts.selectors import users_taking_work
from relance.core.forms import IdsMultipleChoiceField
from relance.core.models import Entity
from relance.customers.choices import ContactRole
from relance.customers.filtersets import bootstrap_form, user_label
from relance.scenarios.choices import MANUAL_ONLY_CHANNELS, FallbackChannel, StepMode
from relance.scenarios.models import Scenario, Step
from relance.scenarios.services import TEMPLATE_CHANNEL
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


class TemplateSelect(forms.Select):
    """Each template option says its channel (data-channel): the page shows those of the
    step's channel only (relance.js)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-channel"] = instance.channel
        return option


class StepForm(forms.ModelForm):
    position = forms.IntegerField(
        label=_("Position"),
        min_value=1,
        max_value=32767,  # the model's PositiveSmallIntegerField
        required=False,
        help_text=_(
            "Steps on the same date keep their order in time: when you change the days, "
            "give the step its new place too. Empty: last (a new step) or unchanged."
        ),
    )
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
            "fallback_channel",
            "instructions",
        ]
        widgets = {"instructions": forms.Textarea(attrs={"rows": 3}), "template": TemplateSelect}
        field_classes = dict.fromkeys(
            ["responsible_users", "responsible_groups", "cc_users"], IdsMultipleChoiceField
        )

    field_order = ["name", "channel", "mode", "anchor", "offset_days", "position"]

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
        # Responsibles: those who may work the scenario's actions, and the current ones (the
        # service says what is wrong with them rather than the form dropping them).
        current = self.instance.responsible_users.all() if self.instance.pk else User.objects.none()
        # Administrators run the installation and read-only users only read: neither is
        # offered (a current one stays listed, for the service to say what is wrong).
        workers = (
            users_taking_work(scenario.entity)
            .exclude(role=Role.ADMINISTRATOR)
            .exclude(is_superuser=True)
            .values("pk")
        )
        self.fields["responsible_users"].queryset = users.filter(
            Q(pk__in=workers) | Q(pk__in=current.values("pk"))
        )
        self.fields["cc_users"].queryset = users
        for name in ("responsible_users", "cc_users"):
            self.fields[name].label_from_instance = user_label
            self.fields[name].widget.attrs["size"] = 4
        for name in ("responsible_users", "cc_users", "responsible_groups"):
            self.fields[name].widget.attrs["data-searchable"] = ""
        self.fields["channel"].widget.attrs["data-template-channels"] = json.dumps(TEMPLATE_CHANNEL)
        self.fields["fallback_channel"].choices = [
            ("", _("None: the action stays in error")),
            *FallbackChannel.choices,
        ]
        self.fields["fallback_channel"].help_text = _(
            "Email steps only: when the email bounces, an action on this channel is "
            "created at once, with the step's mode."
        )
        self.fields["responsible_groups"].queryset = Group.objects.order_by("name")
        self.fields["responsible_groups"].widget.attrs["size"] = 3
        if not self.instance.pk and not self.initial.get("mode"):
            self.initial["mode"] = StepMode.AUTO_CONFIRM  # a new step, as the seeds' are
        if self.instance.pk:
            self.initial["position"] = self.instance.position
            self.initial["cc_contact_roles"] = [
                role for role in self.instance.cc_contact_roles.split(",") if role
            ]
        bootstrap_form(self)
        self.fields["cc_contact_roles"].widget.attrs["class"] = "form-check-input"

    def _post_clean(self):
        """Model validation is the service's job (see views)."""

    def clean(self):
        cleaned = super().clean()
        # The default mode was left as it came for a call or a task: they are manual.
        if (
            not self.instance.pk
            and "mode" not in self.changed_data
            and cleaned.get("channel") in MANUAL_ONLY_CHANNELS
        ):
            cleaned["mode"] = StepMode.MANUAL
        return cleaned

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("responsible_users", "responsible_groups", "cc_users"):
            data[name] = list(data.get(name) or [])
        return data
