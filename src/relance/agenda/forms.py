"""Forms of the action page: each parses one operation's input for one service."""

from django import forms
from django.utils.translation import gettext_lazy as _

from relance.agenda.choices import CallOutcome
from relance.agenda.selectors import users_seeing_entity
from relance.customers.filtersets import bootstrap_form, user_label
from relance.scenarios.choices import StepChannel

# A date input reads and writes ISO dates only, whatever the language: without `format`,
# French pages would fill it with "23/11/2026", which the browser drops.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BootstrapForm(forms.Form):
    # The action page shows several of these forms at once, some with the same field
    # ("note"): each names its fields' HTML ids after itself so that no id repeats.
    auto_id = "id_%s"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", self.auto_id)
        super().__init__(*args, **kwargs)
        bootstrap_form(self)


class CompleteForm(BootstrapForm):
    auto_id = "id_complete_%s"
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SendForm(BootstrapForm):
    """A manual email or SMS as the user will send it: an email's subject and HTML body
    (the rich editor of templates), an SMS's text."""

    subject = forms.CharField(label=_("Subject"), max_length=255)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 12}))

    def __init__(self, *args, channel: str, **kwargs):
        super().__init__(*args, **kwargs)
        body = self.fields["body"].widget
        if channel == StepChannel.EMAIL:
            body.attrs.update({"class": f"{body.attrs['class']} rich-editor", "data-lang": "msg"})
        else:
            del self.fields["subject"]
            body.attrs.update({"rows": 5, "class": f"{body.attrs['class']} sms-text"})


class SkipForm(BootstrapForm):
    auto_id = "id_skip_%s"
    note = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class RescheduleForm(BootstrapForm):
    auto_id = "id_reschedule_%s"
    due_date = forms.DateField(label=_("New date"), widget=DATE_INPUT)
    note = forms.CharField(label=_("Note"), required=False)


class ReassignForm(BootstrapForm):
    responsible = forms.ModelChoiceField(queryset=None, label=_("Give to"))

    def __init__(self, *args, entity, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["responsible"]
        field.queryset = users_seeing_entity(entity)
        field.label_from_instance = user_label


class CallOutcomeForm(BootstrapForm):
    auto_id = "id_call_%s"
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=CallOutcome.choices, widget=forms.RadioSelect
    )
    promise_date = forms.DateField(
        label=_("Promised payment date"), required=False, widget=DATE_INPUT
    )
    dispute_reason = forms.CharField(label=_("Dispute reason"), required=False, max_length=200)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].widget.attrs["class"] = "form-check-input"

    def clean(self):
        data = super().clean()
        outcome = data.get("outcome")
        if outcome == CallOutcome.PROMISE and not data.get("promise_date"):
            self.add_error("promise_date", _("A promise needs a date."))
        if outcome == CallOutcome.DISPUTE and not (data.get("dispute_reason") or "").strip():
            self.add_error("dispute_reason", _("A dispute needs a reason."))
        return data


class LettersDoneForm(BootstrapForm):
    """The tracking number of each posted letter (`actions`, in the order of the screen):
    one field per letter, `tracking_<id>`, wanted for a registered letter (the service
    checks it and says which is missing)."""

    def __init__(self, *args, actions, **kwargs):
        self.actions = list(actions)
        super().__init__(*args, **kwargs)
        for action in self.actions:
            registered = action.channel == StepChannel.REGISTERED_LETTER
            attrs = {
                "autocomplete": "off",
                "spellcheck": "false",
                "autocapitalize": "characters",
                "data-scan-next": "",
                "class": "form-control form-control-sm font-monospace tracking-input",
            }
            if registered:
                attrs["required"] = True
            self.fields[f"tracking_{action.pk}"] = forms.CharField(
                label=_("Tracking number of the letter to %(customer)s")
                % {"customer": action.customer.name},
                required=False,
                max_length=60,
                widget=forms.TextInput(attrs=attrs),
            )

    def rows(self) -> list[tuple]:
        """(action, its tracking number field) per letter; a field in error says so."""
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] += " is-invalid"
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"id_{name}-error"
        return [(action, self[f"tracking_{action.pk}"]) for action in self.actions]

    def tracking_numbers(self) -> dict[int, str]:
        return {a.pk: self.cleaned_data.get(f"tracking_{a.pk}", "") for a in self.actions}


def add_service_errors(form: forms.Form, exc) -> None:
    """A service's ValidationError shown on the form: on its field when the form has it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# Customers' responses ----------------------------------------------------------------------


class AnswerForm(BootstrapForm):
    """The email template that answers a response (`templates`: selectors.answer_templates)."""

    template = forms.ModelChoiceField(
        queryset=None, label=_("Email template"), empty_label=_("Choose a template")
    )

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates


class CommentForm(BootstrapForm):
    body = forms.CharField(
        label=_("Internal comment"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
