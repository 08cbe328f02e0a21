"""Amounts, dates, percentages and letter words in the reader's locale, through Babel, for
the languages beyond French and English (formatting.py)."""

import datetime
from decimal import Decimal

import pytest
from babel.numbers import format_currency
from django.conf import settings

from relance.templating.formatting import formatter, labels_in

NBSP = "\xa0"


@pytest.mark.parametrize(
    ("language", "region", "currency", "expected"),
    [
        ("de", "DE", "EUR", f"1.234,56{NBSP}€"),
        ("ja", "JP", "JPY", "￥1,235"),  # no decimals in yen: rounded
        ("ja", "JP", "EUR", "€1,234.56"),
        ("pl", "PL", "PLN", f"1{NBSP}234,56{NBSP}zł"),
        ("pt-br", "BR", "BRL", f"R${NBSP}1.234,56"),
        ("zh-hans", "CN", "CNY", "¥1,234.56"),
        ("sv", "SE", "SEK", f"1{NBSP}234,56{NBSP}kr"),
        ("tr", "TR", "TRY", "₺1.234,56"),
        ("fr", "FR", "EUR", f"1\u202f234,56{NBSP}€"),
        ("en", "GB", "GBP", "£1,234.56"),
    ],
)
def test_money_in_the_reader_s_locale(language, region, currency, expected):
    assert formatter(language, region).money(Decimal("1234.56"), currency) == expected


@pytest.mark.parametrize(("language", "region"), [(code, "") for code, _n in settings.LANGUAGES])
def test_every_language_formats_money_as_babel_does(language, region):
    """The fast path of Formatter.money gives Babel's format_currency, in every language,
    negative amounts included."""
    fmt = formatter(language, region)
    for amount in (Decimal("1234567.891"), Decimal("-42.5"), Decimal("0")):
        for currency in ("EUR", "USD", "JPY"):
            assert fmt.money(amount, currency) == format_currency(
                amount, currency, locale=fmt.locale
            ), (language, amount, currency)


@pytest.mark.parametrize(
    ("language", "region", "medium", "percent"),
    [
        ("de", "DE", "01.03.2026", f"12,5{NBSP}%"),
        ("ja", "JP", "2026/03/01", "12.5%"),
        ("pl", "PL", "1 mar 2026", "12,5%"),
        ("zh-hans", "CN", "2026年3月1日", "12.5%"),
        ("tr", "TR", "1 Mar 2026", "%12,5"),
    ],
)
def test_dates_and_percentages_in_the_reader_s_locale(language, region, medium, percent):
    fmt = formatter(language, region)
    assert fmt.date(datetime.date(2026, 3, 1)) == medium
    assert fmt.percent(Decimal("12.5")) == percent


def test_a_language_code_with_a_region_or_a_script_keeps_it():
    assert formatter("pt-br").locale_id == "pt_BR"
    assert formatter("pt-br", "PT").locale_id == "pt_BR"  # Brazilian, read in Portugal
    assert formatter("zh-hans", "CN").locale_id == "zh_Hans_CN"
    assert formatter("pt", "PT").locale_id == "pt_PT"


def test_an_unknown_language_reads_english():
    fmt = formatter("xx", "FR")
    assert fmt.language == "en"
    assert fmt.labels["total"] == "Total due"


def test_letter_words_come_from_the_catalogues():
    """French from the French catalogue; a language without a catalogue yet reads English
    rather than failing."""
    assert labels_in("fr")["total"] == "Total dû"
    assert labels_in("fr")["item_line_due"].startswith("- {kind} {number}, échéance")
    assert labels_in("en")["total"] == "Total due"
    for code, _name in settings.LANGUAGES:
        labels = labels_in(code)
        line = labels["item_line_due"].format(
            kind=labels["invoice"], number="F-1", due_date="D", amount="A"
        )
        assert "F-1" in line and "A" in line  # every translation keeps its placeholders


def test_phone_numbers_for_the_reader_s_country():
    assert formatter("de", "DE").phone("+4930123456") == "030 123456"
    assert formatter("de", "FR").phone("+4930123456") == "+49 30 123456"
    assert formatter("ja", "JP").phone("+81312345678") == "03-1234-5678"
