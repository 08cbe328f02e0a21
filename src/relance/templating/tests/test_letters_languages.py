"""A formal notice for one customer in every language Relance ships a catalogue and default
templates for, read back with pdftotext: its fixed words are in that language (the
catalogue's, not words written here) and its amounts as the reader's locale writes them.

A language is tested once its catalogue (locale/<ll>/LC_MESSAGES/django.po) and its default
templates (templating/default_templates/<ll>.json) are both in the tree;
test_which_languages_are_complete says which are."""

import datetime
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from babel.numbers import format_currency
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, pgettext, to_locale

from relance.customers.tests.factories import CustomerFactory
from relance.ledger.tests.factories import ItemFactory
from relance.templating.defaults import default_text, default_texts
from relance.templating.formatting import formatter
from relance.templating.render import render
from relance.templating.tests.factories import MessageTemplateFactory

TODAY = datetime.date(2026, 3, 1)
LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
# The country whose conventions each language's reader follows in this test.
COUNTRY = {
    "en": "GB", "fr": "FR", "de": "DE", "es": "ES", "it": "IT", "nl": "NL", "pt": "PT",
    "pt-br": "BR", "pl": "PL", "ro": "RO", "hr": "HR", "sv": "SE", "tr": "TR", "ja": "JP",
    "zh-hans": "CN",
}  # fmt: skip


def has_catalogue(code: str) -> bool:
    """English is the msgids' language: it needs none."""
    return code == "en" or (LOCALE_DIR / to_locale(code) / "LC_MESSAGES" / "django.po").exists()


def has_compiled_catalogue(code: str) -> bool:
    return code == "en" or (LOCALE_DIR / to_locale(code) / "LC_MESSAGES" / "django.mo").exists()


LANGUAGES = [code for code, _name in settings.LANGUAGES]
COMPLETE = [code for code in LANGUAGES if has_catalogue(code) and code in default_texts()]


def flat(text: str) -> str:
    """Text without any whitespace: pdftotext's line breaks, spacing of CJK glyphs and
    Babel's no-break spaces all compare equal."""
    return "".join(text.split())


def pdf_text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF")
    result = subprocess.run(
        ["/usr/bin/pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout.decode()


def test_which_languages_are_complete():
    """English and French always; each language with a catalogue has it compiled and has its
    default templates (a catalogue dropped in without its templates, or the reverse, is
    half a language)."""
    assert {"en", "fr"} <= set(COMPLETE)
    assert set(COUNTRY) == set(LANGUAGES)
    with_catalogue = [code for code in LANGUAGES if has_catalogue(code)]
    assert [code for code in with_catalogue if not has_compiled_catalogue(code)] == []
    assert [code for code in with_catalogue if code not in default_texts()] == []
    assert [code for code in default_texts() if not has_catalogue(code)] == []
    print("languages complete:", ", ".join(COMPLETE))


@pytest.mark.parametrize("language", COMPLETE)
def test_a_formal_notice_in_each_language(db, acme, language):
    acme.iban, acme.bic = "FR7630006000011234567890189", "AGRIFRPP"
    acme.save()
    country = COUNTRY[language]
    customer = CustomerFactory(
        entity=acme, name="Client Test", external_id="C-1", language=language, country=country
    )
    ItemFactory(
        customer=customer,
        number="F-1001",
        amount=Decimal("1234.56"),
        currency="EUR",
        issue_date=datetime.date(2026, 1, 1),
        due_date=datetime.date(2026, 1, 31),
    )
    notice = MessageTemplateFactory(
        name="Formal notice",
        channel="letter",
        letter_type="registered",
        variants={language: default_text("NOTICE", language)},
    )
    rendered = render(notice, customer, today=TODAY)
    assert rendered.language == language and not rendered.is_fallback
    text = flat(pdf_text(rendered.pdf))

    with translation.override(language):
        subject_word = gettext("Subject:")
        account_words = gettext("Customer account: %(number)s") % {"number": "C-1"}
        invoice_word = pgettext("letter", "Due date")
    if language != "en":
        assert subject_word != "Subject:", f"{language}: the catalogue does not translate it"
    assert flat(subject_word) in text
    assert flat(account_words) in text
    assert flat(default_text("NOTICE", language)[0]) in text  # the language's own template
    assert "F-1001" in text
    # The overdue amount as Babel writes it for this language in the customer's country.
    fmt = formatter(language, country)
    amount = format_currency(Decimal("1234.56"), "EUR", locale=fmt.locale)
    assert flat(amount) in text, (language, amount)
    # A column of the items table: a header of several words may wrap inside its cell, and
    # pdftotext then writes its lines between those of the other columns.
    assert all(flat(word) in text for word in invoice_word.split()), invoice_word


JAPANESE = "拝啓、未払いの請求書についてご連絡いたします。"
CHINESE = "您好，请尽快付款。"


def test_japanese_text_comes_back_from_the_pdf_in_letters(db, acme):
    """WeasyPrint draws Japanese with the Noto CJK fonts (fonts-noto-cjk); without them the
    PDF holds empty boxes and pdftotext gives nothing back."""
    fonts = subprocess.run(["fc-list"], capture_output=True, text=True).stdout
    assert "Noto Sans CJK" in fonts, "apt-get install fonts-noto-cjk (README, .ci/run)"
    customer = CustomerFactory(entity=acme, name="株式会社テスト", language="ja", country="JP")
    ItemFactory(customer=customer, number="F-JP-1", amount=Decimal("1000"))
    letter = MessageTemplateFactory(
        name="催告書",
        channel="letter",
        variants={
            "ja": ("お支払いのお願い", "<p>拝啓、未払いの請求書についてご連絡いたします。</p>")
        },
    )
    text = flat(pdf_text(render(letter, customer, today=TODAY).pdf))
    assert "株式会社テスト" in text
    assert "お支払いのお願い" in text
    assert JAPANESE in text


def test_chinese_text_comes_back_from_the_pdf(db, acme):
    customer = CustomerFactory(entity=acme, name="测试有限公司", language="zh-hans", country="CN")
    letter = MessageTemplateFactory(
        name="付款通知",
        channel="letter",
        variants={"zh-hans": ("付款提醒", "<p>您好，请尽快付款。</p>")},
    )
    text = flat(pdf_text(render(letter, customer, today=TODAY).pdf))
    assert "测试有限公司" in text and "付款提醒" in text and CHINESE in text
