from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from relance.core.choices import LANGUAGE_MAX_LENGTH, Language
from relance.core.querysets import SharedOrEntityQuerySet
from relance.templating.choices import (
    DEFAULT_TEMPLATE_DESCRIPTIONS,
    DEFAULT_TEMPLATE_NAMES,
    RICH_CHANNELS,
    Channel,
    LetterType,
    default_template_description,
    default_template_name,
)


class MessageTemplateQuerySet(SharedOrEntityQuerySet):
    """Templates are shared by all entities unless restricted to one (`entity` set)."""


class MessageTemplate(models.Model):
    """A reminder written once, with #hashtags filled in for each customer; one variant per
    language. Global by default; `entity` restricts it to the customers of one entity."""

    name = models.CharField(_("name"), max_length=100)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    entity = models.ForeignKey(
        "core.Entity",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="message_templates",
        verbose_name=_("entity"),
        help_text=_("Leave empty to share the template with every entity."),
    )
    letter_type = models.CharField(
        _("letter type"), max_length=15, choices=LetterType.choices, blank=True
    )
    show_logo = models.BooleanField(_("show the logo"), default=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    # Set on the templates that `relance setup` created; setup never touches them again.
    default_key = models.SlugField(_("default"), max_length=50, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    objects = MessageTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        constraints = [
            models.UniqueConstraint(
                fields=["name"],
                name="template_name_unique",
                violation_error_message=_("A template with this name already exists."),
            ),
            models.UniqueConstraint(
                fields=["default_key"],
                condition=~Q(default_key=""),
                name="template_default_key_unique",
            ),
            models.CheckConstraint(
                condition=Q(channel=Channel.LETTER) | Q(letter_type=""),
                name="template_letter_type_only_for_letters",
                violation_error_message=_("Only letters have a letter type."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("templating:detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        """The name, in the reader's language while it is a default template's own."""
        default = DEFAULT_TEMPLATE_NAMES.get(self.default_key)
        if default is not None and self.name == default_template_name(self.default_key):
            return str(default)
        return self.name

    @property
    def display_description(self) -> str:
        """The description, in the reader's language while it is a default template's own."""
        default = DEFAULT_TEMPLATE_DESCRIPTIONS.get(self.default_key)
        if default is not None and self.description == default_template_description(
            self.default_key
        ):
            return str(default)
        return self.description

    @property
    def is_rich(self) -> bool:
        return self.channel in RICH_CHANNELS

    @cached_property
    def variants_by_language(self) -> dict[str, "TemplateVariant"]:
        """Read once per instance, so that rendering many customers reads them once."""
        return {variant.language: variant for variant in self.variants.all()}

    def variant_for(self, language: str, fallback: str = "") -> "TemplateVariant | None":
        """The variant in `language`, else in `fallback` (the entity's language), else in
        English, else any."""
        variants = self.variants_by_language
        for code in (language, fallback, "en"):
            if code in variants:
                return variants[code]
        return next(iter(variants.values()), None)


class TemplateVariant(models.Model):
    """The text of a template in one language. `body` is sanitized HTML for emails and
    letters and plain text for the other channels; `subject` is plain text."""

    template = models.ForeignKey(
        MessageTemplate,
        on_delete=models.CASCADE,
        related_name="variants",
        verbose_name=_("template"),
    )
    language = models.CharField(
        _("language"), max_length=LANGUAGE_MAX_LENGTH, choices=Language.choices
    )
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body = models.TextField(_("body"), blank=True)

    class Meta:
        ordering = ["template", "language"]
        verbose_name = _("template variant")
        verbose_name_plural = _("template variants")
        constraints = [
            models.UniqueConstraint(
                fields=["template", "language"],
                name="template_variant_one_per_language",
                violation_error_message=_("This template already has a variant in this language."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} ({self.language})"
