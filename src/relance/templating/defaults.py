"""The message templates that `relance setup` creates, in every language that has a file
of texts in default_templates/ (<language>.json: {"COURTESY": {"subject", "body"}, …}, the
language's code with "_" for "-", as its catalogue: pt_BR.json, zh_Hans.json).

A default is created only when no template has its key or its name; it is never changed
afterwards, so that what a credit manager edited (or deleted and rewrote) stays as it is.
The one exception is additive: a language whose file arrived after the template was created
is added to it, as long as the template has no text in that language yet.
"""

import json
from functools import cache
from pathlib import Path

from django.db.models import Q
from django.utils.translation import to_locale

from relance.core.choices import Language
from relance.core.defaults import register
from relance.templating.choices import Channel, LetterType
from relance.templating.models import MessageTemplate, TemplateVariant
from relance.templating.services import clean_variants, template_create

TEXTS_DIR = Path(__file__).resolve().parent / "default_templates"
TEXT_KEYS = ("COURTESY", "FIRST", "SECOND", "SMS", "CALL", "NOTICE", "ESCALATION")


@cache
def default_texts() -> dict[str, dict[str, dict[str, str]]]:
    """{language: {"COURTESY": {"subject": …, "body": …}, …}} for every language of
    Language that has a file; a file missing a key or with extra keys is an error, said
    when `relance setup` runs rather than half-created."""
    texts = {}
    for code in Language.values:
        path = TEXTS_DIR / f"{to_locale(code)}.json"
        if not path.exists():
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        if set(data) != set(TEXT_KEYS):
            raise ValueError(f"{path.name}: expected the keys {', '.join(TEXT_KEYS)}")
        texts[code] = {key: {"subject": data[key]["subject"], "body": data[key]["body"]}
                       for key in TEXT_KEYS}  # fmt: skip
    return texts


def default_text(key: str, language: str) -> tuple[str, str]:
    """(subject, body) of one default in one language, e.g. ("NOTICE", "en")."""
    text = default_texts()[language][key]
    return text["subject"], text["body"]


# (key, name, channel, letter type, description, key of its texts in the files)
DEFAULT_TEMPLATES = [
    ("courtesy-reminder", "Courtesy reminder", Channel.EMAIL, "",
     "Email sent a few days before the due date.", "COURTESY"),
    ("first-reminder", "First reminder", Channel.EMAIL, "",
     "First email once invoices are overdue.", "FIRST"),
    ("second-reminder", "Second reminder", Channel.EMAIL, "",
     "Firmer email mentioning penalties, with a payment QR code.", "SECOND"),
    ("sms-reminder", "SMS reminder", Channel.SMS, "",
     "Short text message to the collection contact.", "SMS"),
    ("call-script", "Call script", Channel.CALL, "",
     "What the collector says on the phone.", "CALL"),
    ("formal-notice", "Formal notice", Channel.LETTER, LetterType.REGISTERED,
     "Mise en demeure, registered letter with acknowledgement of receipt.", "NOTICE"),
    ("escalation-task", "Escalation task", Channel.TASK, "",
     "Internal task for the credit manager after the formal notice.", "ESCALATION"),
]  # fmt: skip


@register(order=200)
def default_templates() -> list[str]:
    """The reminder templates of a new installation, each created once, in every language
    that has a file; and the languages added since, to the defaults that lack them."""
    texts = default_texts()
    created = []
    for key, name, channel, letter_type, description, text_key in DEFAULT_TEMPLATES:
        variants = {language: texts[language][text_key] for language in texts}
        existing = MessageTemplate.objects.filter(Q(default_key=key) | Q(name=name)).first()
        if existing is None:
            template_create(
                name=name,
                channel=channel,
                letter_type=letter_type,
                description=description,
                default_key=key,
                variants=variants,
            )
            created.append(f"template {name!r}")
        elif existing.default_key == key:
            created += _add_languages(existing, variants)
    return created


def _add_languages(template: MessageTemplate, variants: dict) -> list[str]:
    """The variants of languages the default template has no text in yet (a file dropped
    in after the installation), leaving every existing variant as it is."""
    have = set(template.variants.values_list("language", flat=True))
    missing = {code: texts for code, texts in variants.items() if code not in have}
    if not missing:
        return []
    cleaned = clean_variants(channel=template.channel, variants=missing)
    TemplateVariant.objects.bulk_create(
        TemplateVariant(template=template, language=code, **texts)
        for code, texts in cleaned.items()
    )
    return [f"template {template.name!r} in {', '.join(sorted(cleaned))}"]
