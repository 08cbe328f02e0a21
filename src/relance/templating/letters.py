"""Letters as PDF: an A4 layout for a windowed envelope, made with WeasyPrint.

Many letters are laid out as one HTML document per chunk (a page group per letter, so that
each counts its own pages: "1/2"), then their pages are written as one PDF: one WeasyPrint run
per chunk instead of one per letter. Big batches spread the chunks over the cores.
"""

import multiprocessing
import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from relance.templating.choices import LetterType
from relance.templating.formatting import formatter
from relance.templating.hashtags import HASHTAGS, find_hashtags
from relance.templating.render import Rendered

CHUNK_SIZE = 50
MAX_PROCESSES = 4
PDFUNITE = "pdfunite"  # poppler-utils, as pdftotext
ITEM_TABLES = {"items_list", "overdue_items_list"}
BANK_TAGS = {"bank_details"}


# Letters load nothing from outside: only data: URIs (the logo, the QR code) are read.
_DATA_ONLY = URLFetcher(allowed_protocols={"data"})


def _formatter(rendered: Rendered):
    return formatter(rendered.language, rendered.context.region)


def _text(name: str, rendered: Rendered) -> str:
    return HASHTAGS[name].text(rendered.context, _formatter(rendered))


def _print_html(name: str, rendered: Rendered) -> str:
    return HASHTAGS[name].print_html(rendered.context, _formatter(rendered))


def letter_context(rendered: Rendered, number: int) -> dict:
    """What the letter layout shows around the rendered body."""
    ctx, template = rendered.context, rendered.template
    used = set(find_hashtags(rendered.variant.body, is_html=True))
    uses_table = bool(ITEM_TABLES & used)
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
        # Printed once: below the signature, unless the body already has them.
        "bank_details": "" if BANK_TAGS & used else _text("bank_details", rendered),
        "phone": _formatter(rendered).phone(ctx.entity.phone, ctx.entity.country),
        "today": _formatter(rendered).long_date(ctx.today),
        "user_name": _text("user_name", rendered),
        "items_table": "" if uses_table else _print_html("items_list", rendered),
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


def _chunk_pdf(html: str) -> bytes:
    """One chunk's PDF; runs in a worker process (WeasyPrint only, no database)."""
    return HTML(string=html, url_fetcher=_DATA_ONLY).render().write_pdf()


def _parallel_pdf(chunks: list[str], processes: int) -> bytes:
    """Chunks laid out in `processes` forked workers, joined with poppler's pdfunite."""
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(processes, mp_context=context) as pool:
        parts = list(pool.map(_chunk_pdf, chunks))
    with tempfile.TemporaryDirectory(prefix="relance-letters-") as folder:
        paths = []
        for number, part in enumerate(parts):
            path = Path(folder) / f"{number:05d}.pdf"
            path.write_bytes(part)
            paths.append(str(path))
        target = Path(folder) / "letters.pdf"
        subprocess.run([PDFUNITE, *paths, str(target)], check=True, capture_output=True)
        return target.read_bytes()


def default_processes(letter_count: int, chunk_size: int = CHUNK_SIZE) -> int:
    """Worker processes for a batch: one per core when the batch has several chunks and
    pdfunite (poppler-utils) is there to join their PDFs; else 1, in this process."""
    if letter_count <= 2 * chunk_size or not shutil.which(PDFUNITE):
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_PROCESSES))


def letters_pdf(
    letters: list[Rendered], *, chunk_size: int = CHUNK_SIZE, processes: int | None = None
) -> bytes:
    """One PDF of all `letters`, in order, each with its own page numbers.

    Letters are laid out a chunk at a time (one WeasyPrint run per chunk, not per letter);
    big batches use a worker process per core (`default_processes`).
    """
    if not letters:
        raise ValueError("no letter to print")
    chunks = [
        letters_html(letters[start : start + chunk_size], start=start + 1)
        for start in range(0, len(letters), chunk_size)
    ]
    processes = default_processes(len(letters), chunk_size) if processes is None else processes
    if processes > 1 and len(chunks) > 1:
        return _parallel_pdf(chunks, processes)
    documents = [HTML(string=html, url_fetcher=_DATA_ONLY).render() for html in chunks]
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()
