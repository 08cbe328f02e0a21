from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from relance.core.choices import Language
from relance.core.models import Entity
from relance.templating.choices import RICH_CHANNELS, Channel, LetterType
from relance.templating.models import MessageTemplate

SETTINGS_FIELDS = ("name", "entity", "letter_type", "show_logo", "description")


class TemplateForm(forms.Form):
    """A template's settings and one subject + body per language (`fr_subject`, `fr_body`…);
    the service sanitizes and checks the texts, and its errors come back on those fields."""

    name = forms.CharField(label=_("Name"), max_length=100)
    entity = forms.ModelChoiceField(
        queryset=Entity.objects.none(),
        required=False,
        label=_("Entity"),
        empty_label=_("All entities"),
        help_text=_("Restrict the template to the customers of one entity."),
    )
    letter_type = forms.ChoiceField(
        choices=LetterType.choices, required=False, label=_("Letter type")
    )
    show_logo = forms.BooleanField(required=False, initial=True, label=_("Show the logo"))
    description = forms.CharField(max_length=200, required=False, label=_("Description"))

    def __init__(self, *args, user, channel: str, instance: MessageTemplate | None = None, **kw):
        if instance is not None and "initial" not in kw:
            kw["initial"] = self.initial_from(instance)
        super().__init__(*args, **kw)
        self.channel = channel
        self.fields["entity"].queryset = Entity.objects.visible_to(user)
        if channel != Channel.LETTER:
            del self.fields["letter_type"], self.fields["show_logo"]
        rich = channel in RICH_CHANNELS
        for code in Language.values:
            if channel != Channel.SMS:
                self.fields[f"{code}_subject"] = forms.CharField(
                    label=_("Subject") if channel != Channel.TASK else _("Title"),
                    max_length=255,
                    required=False,
                    widget=forms.TextInput(attrs={"data-hashtag-target": code}),
                )
            widget_class = "rich-editor" if rich else "plain-editor"
            if channel == Channel.SMS:
                widget_class += " sms-editor"
            self.fields[f"{code}_body"] = forms.CharField(
                label=_("Text in %(language)s")
                % {"language": translation.get_language_info(code)["name_translated"]},
                required=False,
                widget=forms.Textarea(
                    attrs={"class": f"form-control {widget_class}", "rows": 8, "data-lang": code}
                ),
            )

    @staticmethod
    def initial_from(template: MessageTemplate) -> dict:
        initial = {field: getattr(template, field) for field in SETTINGS_FIELDS}
        for code, variant in template.variants_by_language.items():
            initial[f"{code}_subject"] = variant.subject
            initial[f"{code}_body"] = variant.body
        return initial

    def languages(self) -> list[tuple[str, str, forms.BoundField | None, forms.BoundField]]:
        """(code, label, subject field, body field) per language, for the template."""
        return [
            (code, label, self[f"{code}_subject"] if f"{code}_subject" in self.fields else None,
             self[f"{code}_body"])
            for code, label in Language.choices
        ]  # fmt: skip

    def language_groups(self) -> tuple[list, list]:
        """The languages shown open (English, French, the user's, and any with a text or an
        error) and the others, folded away: fifteen editors side by side help nobody."""
        current = translation.get_language() or "en"
        shown, folded = [], []
        for entry in self.languages():
            code, _label, subject, body = entry
            fields = [field for field in (subject, body) if field is not None]
            used = any(field.value() or field.errors for field in fields)
            (shown if used or code in ("en", "fr", current) else folded).append(entry)
        return shown, folded

    def settings_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k in SETTINGS_FIELDS}

    def variants_data(self) -> dict:
        return {
            code: {
                "subject": self.cleaned_data.get(f"{code}_subject", ""),
                "body": self.cleaned_data.get(f"{code}_body", ""),
            }
            for code in Language.values
        }
