import shutil
import subprocess

import pytest

from relance.customers.models import Customer
from relance.customers.tests.factories import CustomerFactory
from relance.ledger.tests.factories import ItemFactory
from relance.templating.letters import default_processes, letters_pdf
from relance.templating.render import render, render_context
from relance.templating.selectors import build_contexts
from relance.templating.tests.conftest import TODAY
from relance.templating.tests.factories import MessageTemplateFactory

XSS = "<script>alert(1)</script>"


def pdf_text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF")
    result = subprocess.run(
        ["/usr/bin/pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout.decode().replace("\u202f", " ").replace("\xa0", " ")


@pytest.fixture
def notice(db):
    return MessageTemplateFactory(
        name="Formal notice",
        channel="letter",
        letter_type="registered",
        variants={
            "fr": (
                "Mise en demeure",
                "<p>Madame, Monsieur,</p><p>Nous vous mettons en demeure de régler "
                "#total_due, dont #overdue_amount échus.</p>",
            )
        },
    )


def test_letter_pdf_has_the_address_the_invoices_and_the_totals(notice, dupont):
    rendered = render(notice, dupont, today=TODAY)
    text = pdf_text(rendered.pdf)
    assert "Dupont SA" in text
    assert "12 rue des Lilas" in text and "69003 LYON" in text
    for number in ("F-1001", "F-1002", "AV-1"):
        assert number in text  # the items table is added when the body has none
    assert "1 634,56 €" in text  # total due
    assert "1 234,56 €" in text  # overdue
    assert "Mise en demeure" in text
    assert "Acme France" in text and "SIRET 73282932000074" in text  # letterhead and footer
    assert "1/1" in text


def test_a_long_letter_counts_its_own_pages(notice, dupont):
    for n in range(60):
        ItemFactory(customer=dupont, number=f"F-LONG-{n:02d}")
    text = pdf_text(render(notice, dupont, today=TODAY).pdf)
    pages = text.count("\f")
    assert pages >= 2
    assert f"1/{pages}" in text and f"{pages}/{pages}" in text


def test_letters_merge_into_one_pdf_each_numbered_on_its_own(notice, dupont, acme_bank):
    for n in range(3):
        customer = CustomerFactory(entity=acme_bank, name=f"Client {n}")
        ItemFactory(customer=customer, number=f"F-C{n}")
    customers = list(Customer.objects.select_related("entity", "collector"))
    contexts = build_contexts(customers, TODAY)
    letters = [render_context(notice, contexts[c.pk]) for c in customers]
    text = pdf_text(letters_pdf(letters, chunk_size=2))  # two chunks
    assert text.count("\f") >= 4  # one page per letter
    assert text.count("1/1") == 4
    for n in range(3):
        assert f"Client {n}" in text and f"F-C{n}" in text


def test_data_in_a_letter_is_shown_as_text(notice, dupont):
    dupont.name = XSS
    dupont.address_line1 = XSS
    dupont.save()
    dupont.items.filter(number="F-1001").update(number="<b>F-1001</b>")
    text = pdf_text(render(notice, dupont, today=TODAY).pdf)
    assert XSS in text
    assert "<b>F-1001</b>" in text


def test_only_letters_get_a_pdf(dupont):
    email = MessageTemplateFactory(variants={"fr": ("s", "<p>b</p>")})
    assert render(email, dupont, today=TODAY).pdf is None


@pytest.mark.skipif(not shutil.which("pdfunite"), reason="poppler-utils not installed")
def test_big_batches_are_laid_out_in_parallel_and_joined_in_order(notice, dupont, acme_bank):
    for n in range(4):
        customer = CustomerFactory(entity=acme_bank, name=f"Client {n}")
        ItemFactory(customer=customer, number=f"F-C{n}")
    customers = list(Customer.objects.select_related("entity", "collector").order_by("name"))
    contexts = build_contexts(customers, TODAY)
    letters = [render_context(notice, contexts[c.pk]) for c in customers]
    text = pdf_text(letters_pdf(letters, chunk_size=2, processes=2))
    pages = text.split("\f")
    assert [c.name in page for c, page in zip(customers, pages, strict=False)] == [True] * 5
    assert text.count("1/1") == 5


def test_small_batches_stay_in_process():
    assert default_processes(10) == 1


def _fonts(pdf: bytes) -> str:
    return subprocess.run(
        ["/usr/bin/pdffonts", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


@pytest.mark.skipif(not shutil.which("pdffonts"), reason="poppler-utils not installed")
def test_the_items_are_a_table_in_the_body_font(notice, dupont):
    pdf = render(notice, dupont, today=TODAY).pdf
    assert "Mono" not in _fonts(pdf)  # no monospaced block any more
    lines = pdf_text(pdf).splitlines()
    # A table: the header's labels on one line, each invoice's cells on its own line.
    [head] = [line for line in lines if "Échéance" in line and "Reste dû" in line]
    assert head.index("N°") < head.index("Échéance") < head.index("Montant")
    [row] = [line for line in lines if "F-1001" in line]
    assert "1 234,56 €" in row and "31 janv. 2026" in row


def test_bank_details_are_printed_once(dupont):
    with_tag = MessageTemplateFactory(
        name="With bank details",
        channel="letter",
        variants={"fr": ("Relance", "<p>Vous devez #total_due. Virement : #bank_details</p>")},
    )
    without = MessageTemplateFactory(
        name="Without bank details",
        channel="letter",
        variants={"fr": ("Relance", "<p>Vous devez #total_due.</p>")},
    )
    for template in (with_tag, without):
        text = pdf_text(render(template, dupont, today=TODAY).pdf)
        assert text.count("FR76 3000 6000 0112 3456 7890 189") == 1, template.name


def test_the_letterhead_phone_is_written_for_the_readers_country(notice, dupont, acme_bank):
    assert "01 40 00 00 00" in pdf_text(render(notice, dupont, today=TODAY).pdf)
    abroad = CustomerFactory(
        entity=acme_bank,
        name="Smith Ltd",
        country="GB",
        language="fr",
        address_line1="1 High Street",
        postal_code="SW1A 1AA",
        city="London",
    )
    ItemFactory(customer=abroad, number="F-GB-1")
    assert "+33 1 40 00 00 00" in pdf_text(render(notice, abroad, today=TODAY).pdf)


def test_the_address_block_puts_a_uk_postcode_on_its_own_line(notice, dupont, acme_bank):
    """A French letter: "69003 LYON" on one line; to London, the town, then the postcode
    on a line of its own, then the country (the sender's is never named)."""
    text = [line.strip() for line in pdf_text(render(notice, dupont, today=TODAY).pdf).split("\n")]
    assert "69003 LYON" in text and "France" not in text
    abroad = CustomerFactory(
        entity=acme_bank,
        name="Smith Ltd",
        country="GB",
        language="fr",
        address_line1="1 High Street",
        postal_code="SW1A 1AA",
        city="London",
    )
    ItemFactory(customer=abroad, number="F-GB-1")
    lines = [line.strip() for line in pdf_text(render(notice, abroad, today=TODAY).pdf).split("\n")]
    start = lines.index("1 High Street")
    assert lines[start : start + 4] == ["1 High Street", "LONDON", "SW1A 1AA", "Royaume-Uni"]
