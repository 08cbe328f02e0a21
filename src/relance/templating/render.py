"""Rendering: a template and a customer's context in, the message out.

Pure apart from reading data: `build_contexts` loads what many customers need in a few
queries, `render_context` then fills a template from one context with no query at all, and
`render` is the one-customer convenience over the same path. A template's text is split once
(and cached) into literal parts and hashtags, so rendering is a join of strings.
"""

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from relance.templating.choices import Channel
from relance.templating.context import CustomerContext
from relance.templating.formatting import formatter
from relance.templating.hashtags import HASHTAGS, HTML_HASHTAG, TEXT_HASHTAG, Hashtag
from relance.templating.models import MessageTemplate, TemplateVariant
from relance.templating.sms import SmsLength, sms_length
from relance.templating.text import html_to_text

Parts = tuple[str | Hashtag, ...]
NO_BREAK_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " "})
BLANK_LINES = re.compile(r"\n{3,}")


@dataclass
class Rendered:
    """A message ready to send: `html` is the body (sanitized template, escaped values; for a
    letter, as printed), `text` the plain text (email text part, SMS, call script), `pdf` a
    letter's PDF."""

    template: MessageTemplate
    variant: TemplateVariant
    context: CustomerContext
    subject: str
    html: str
    text: str
    pdf: bytes | None = None
    wanted_language: str = ""  # the language asked for (the customer's), when it has no text

    @property
    def language(self) -> str:
        return self.variant.language

    @property
    def is_fallback(self) -> bool:
        """The template has no text in the language asked for: another one is used (the
        entity's language, else English), which a preview says."""
        return bool(self.wanted_language) and self.wanted_language != self.variant.language

    @property
    def channel(self) -> str:
        return self.template.channel

    @property
    def sms(self) -> SmsLength | None:
        return sms_length(self.text) if self.channel == Channel.SMS else None


class RenderError(Exception):
    """The template cannot be rendered (it has no variant at all)."""


@lru_cache(maxsize=1024)
def compile_text(text: str, is_html: bool) -> Parts:
    """`text` split into literal strings and the Hashtag objects to put between them; a
    `#name` not in the catalogue stays as it is written."""
    parts: list[str | Hashtag] = []
    pattern, group = (HTML_HASHTAG, 2) if is_html else (TEXT_HASHTAG, 1)
    position = 0
    for match in pattern.finditer(text):
        known = HASHTAGS.get(match.group(group) or "")
        if known is not None:
            parts += [text[position : match.start()], known]
            position = match.end()
    parts.append(text[position:])
    return tuple(part for part in parts if part != "")


def fill(
    parts: Parts, ctx: CustomerContext, language: str, *, is_html: bool, for_print: bool = False
) -> str:
    """The parts joined, each hashtag replaced by its value (escaped when `is_html`)."""
    fmt = formatter(language, ctx.region)
    out = []
    for part in parts:
        if part.__class__ is str:
            out.append(part)
        elif for_print:
            out.append(part.print_html(ctx, fmt))
        elif is_html:
            out.append(part.html(ctx, fmt))
        else:
            out.append(part.text(ctx, fmt))
    return "".join(out)


def choose_variant(
    template: MessageTemplate, customer, language: str | None = None
) -> TemplateVariant:
    """The variant in `language`, else the customer's language, falling back to its
    entity's, then English, then any (MessageTemplate.variant_for)."""
    variant = template.variant_for(wanted_language(customer, language), customer.entity.language)
    if variant is None:
        raise RenderError(f"template {template.name!r} has no text in any language")
    return variant


def wanted_language(customer, language: str | None = None) -> str:
    return language or customer.language or customer.entity.language


def render_context(
    template: MessageTemplate,
    ctx: CustomerContext,
    *,
    language: str | None = None,
    pdf: bool = False,
) -> Rendered:
    """`template` filled for the customer of `ctx`; with `pdf`, a letter's PDF too."""
    variant = choose_variant(template, ctx.customer, language)
    lang = variant.language
    subject = fill(compile_text(variant.subject, False), ctx, lang, is_html=False)
    if template.is_rich:
        # A letter's HTML is what its PDF shows; an email's is what the customer reads.
        for_print = template.channel == Channel.LETTER
        html = fill(compile_text(variant.body, True), ctx, lang, is_html=True, for_print=for_print)
        text = fill(compile_text(html_to_text(variant.body), False), ctx, lang, is_html=False)
        # A hashtag empty for this customer (no QR code, no phone) leaves no blank lines.
        text = BLANK_LINES.sub("\n\n", text).strip()
    else:
        text = fill(compile_text(variant.body, False), ctx, lang, is_html=False)
        html = ""
    if template.channel == Channel.SMS:
        # Babel's no-break spaces would turn a GSM-7 message into a costlier UCS-2 one.
        text = text.translate(NO_BREAK_SPACES)
    rendered = Rendered(
        template,
        variant,
        ctx,
        subject.strip(),
        html,
        text,
        wanted_language=wanted_language(ctx.customer, language),
    )
    if pdf and template.channel == Channel.LETTER:
        from relance.templating.letters import letters_pdf

        rendered.pdf = letters_pdf([rendered])
    return rendered


def render(
    template: MessageTemplate,
    customer,
    *,
    action=None,
    user=None,
    language: str | None = None,
    today: date | None = None,
    pdf: bool = True,
    issue_links: bool = False,
) -> Rendered:
    """`template` rendered for one `customer` (a letter with its PDF unless `pdf=False`).
    `issue_links`: the message leaves (sent, printed), so its #interactive_* hashtags get
    a real link to the customer's page rather than the preview's placeholder."""
    from relance.templating.selectors import customer_context

    ctx = customer_context(customer, today, user=user, action=action, issue_links=issue_links)
    return render_context(template, ctx, language=language, pdf=pdf)
