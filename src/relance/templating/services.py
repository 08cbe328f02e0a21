"""Writes of message templates: the body is sanitized and its hashtags checked before saving."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from relance.templating.choices import RICH_CHANNELS, Channel
from relance.templating.models import MessageTemplate, TemplateVariant
from relance.templating.sanitize import sanitize_html
from relance.templating.validation import hashtag_errors

# {language: {"subject": ..., "body": ...}}; a language left out or empty has no variant.
Variants = dict[str, dict[str, str]]


def clean_variants(*, channel: str, variants: Variants) -> Variants:
    """The variants as they will be stored: HTML sanitized, plain text trimmed.

    Raises ValidationError keyed "<language>_<field>" for unknown hashtags."""
    rich = channel in RICH_CHANNELS
    cleaned: Variants = {}
    errors: dict[str, list[str]] = {}
    for language, texts in variants.items():
        # An SMS has no subject; a letter's is its subject line, a task's its title.
        subject = "" if channel == Channel.SMS else (texts.get("subject") or "").strip()
        body = texts.get("body") or ""
        body = sanitize_html(body) if rich else body.strip().replace("\r\n", "\n")
        if not subject and not body:
            continue
        for field, value, is_html in (("subject", subject, False), ("body", body, rich)):
            messages = hashtag_errors(value, is_html=is_html)
            if messages:
                errors[f"{language}_{field}"] = messages
        cleaned[language] = {"subject": subject, "body": body}
    if errors:
        raise ValidationError(errors)
    if not cleaned:
        raise ValidationError(_("Write the template in at least one language."))
    return cleaned


def _save_variants(template: MessageTemplate, variants: Variants) -> None:
    template.variants.exclude(language__in=list(variants)).delete()
    for language, texts in variants.items():
        TemplateVariant.objects.update_or_create(
            template=template, language=language, defaults=texts
        )


def _normalize(template: MessageTemplate) -> None:
    if template.channel != Channel.LETTER:
        template.letter_type = ""
    elif not template.letter_type:
        template.letter_type = "standard"


@transaction.atomic
def template_create(
    *,
    name: str,
    channel: str,
    variants: Variants,
    entity=None,
    letter_type: str = "",
    show_logo: bool = True,
    description: str = "",
    default_key: str = "",
    acting_user=None,
) -> MessageTemplate:
    """Create a template with its variants, sanitized and checked."""
    variants = clean_variants(channel=channel, variants=variants)
    template = MessageTemplate(
        name=name.strip(),
        channel=channel,
        entity=entity,
        letter_type=letter_type,
        show_logo=show_logo,
        description=description,
        default_key=default_key,
        updated_by=acting_user,
    )
    _normalize(template)
    template.full_clean()
    template.save()
    _save_variants(template, variants)
    return template


@transaction.atomic
def template_update(
    *, template: MessageTemplate, variants: Variants, acting_user=None, **fields
) -> MessageTemplate:
    """Change a template's settings (`fields`) and replace its variants."""
    for name, value in fields.items():
        setattr(template, name, value)
    variants = clean_variants(channel=template.channel, variants=variants)
    template.updated_by = acting_user
    _normalize(template)
    template.full_clean()
    template.save()
    _save_variants(template, variants)
    return template


@transaction.atomic
def template_delete(*, template: MessageTemplate, acting_user=None) -> None:
    template.delete()
