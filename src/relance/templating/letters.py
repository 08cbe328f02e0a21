"""Letters as PDF: an A4 layout for a windowed envelope, made with WeasyPrint.

Many letters are laid out as one HTML document (a page group per letter, so that each counts
its own pages: "1/2"), in chunks, then their pages are written as one PDF: one WeasyPrint run
per chunk instead of one per letter.
"""

from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from relance.templating.choices import LetterType
from relance.templating.formatting import formatter
from relance.templating.hashtags import HASHTAGS, find_hashtags
from relance.templating.render import Rendered

CHUNK_SIZE = 250
ITEM_TABLES = {"items_list", "overdue_items_list"}


# Letters load nothing from outside: only data: URIs (the logo, the QR code) are read.
_DATA_ONLY = URLFetcher(allowed_protocols={"data"})


def _text(name: str, rendered: Rendered) -> str:
    return HASHTAGS[name].text(rendered.context, formatter(rendered.language))


def _html(name: str, rendered: Rendered) -> str:
    return HASHTAGS[name].html(rendered.context, formatter(rendered.language))


def letter_context(rendered: Rendered, number: int) -> dict:
    """What the letter layout shows around the rendered body."""
    ctx, template = rendered.context, rendered.template
    uses_table = bool(ITEM_TABLES & set(find_hashtags(rendered.variant.body, is_html=True)))
    contact = ctx.contact.full_name if ctx.contact else ""
    return {
        "number": number,
        "rendered": rendered,
        "entity": ctx.entity,
        "customer": ctx.customer,
        "contact_name": contact,
        "logo": ctx.logo_data_uri if template.show_logo else "",
        "company_address": _text("company_address", rendered),
        "footer_address": _text("company_address", rendered).replace("\n", ", "),
        "customer_address": _text("customer_address", rendered),
        "company_legal_id": _text("company_legal_id", rendered),
        "bank_details": _text("bank_details", rendered),
        "today": formatter(rendered.language).long_date(ctx.today),
        "user_name": _text("user_name", rendered),
        "items_table": "" if uses_table else _html("items_list", rendered),
        "registered": template.letter_type in (LetterType.REGISTERED, LetterType.E_REGISTERED),
        "letter_type": template.get_letter_type_display() if template.letter_type else "",
    }


def letter_section(rendered: Rendered, number: int) -> str:
    """One letter as an HTML <section>, its fixed words in the letter's language."""
    with translation.override(rendered.language):
        return render_to_string("templating/letter.html", letter_context(rendered, number))


def letters_html(letters: list[Rendered], *, start: int = 1) -> str:
    """A whole HTML document with every letter, each starting on a new page."""
    sections = [letter_section(rendered, start + i) for i, rendered in enumerate(letters)]
    language = letters[0].language if letters else "fr"
    return render_to_string("templating/letters.html", {"sections": sections, "language": language})


def letters_pdf(letters: list[Rendered], *, chunk_size: int = CHUNK_SIZE) -> bytes:
    """One PDF of all `letters`, in order, each with its own page numbers."""
    if not letters:
        raise ValueError("no letter to print")
    documents = []
    for start in range(0, len(letters), chunk_size):
        chunk = letters[start : start + chunk_size]
        html = HTML(string=letters_html(chunk, start=start + 1), url_fetcher=_DATA_ONLY)
        documents.append(html.render())
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()
