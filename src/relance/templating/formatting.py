"""Amounts, dates and labels in the language of a message (not of the user's screen), with
Babel: the machine has no system locales and `setlocale` is process-wide."""

import datetime
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.languages import get_official_languages
from babel.numbers import (
    format_decimal,
    format_percent,
    get_currency_precision,
    get_currency_symbol,
    get_decimal_symbol,
    get_group_symbol,
)
from django.conf import settings
from django.utils import translation
from django.utils.translation import pgettext_lazy, to_locale

# Words that rendered values contain, read in the language of the message (pgettext
# context "letter": the catalogue of each language translates them), not in the user's: a
# French letter is French whatever language the user reading it has chosen. Whole lines
# are one string each ("item_line"…), never built by joining words, so that a language can
# put the words in its own order.
LABELS = {
    "invoice": pgettext_lazy("letter", "Invoice"),
    "credit_note": pgettext_lazy("letter", "Credit note"),
    "payment": pgettext_lazy("letter", "Payment"),
    "number": pgettext_lazy("letter", "No."),
    "issue_date": pgettext_lazy("letter", "Date"),
    "due_date": pgettext_lazy("letter", "Due date"),
    "days_overdue": pgettext_lazy("letter", "Days late"),
    "amount": pgettext_lazy("letter", "Amount"),
    "open_amount": pgettext_lazy("letter", "Open amount"),
    "interest": pgettext_lazy("letter", "Interest"),
    "rates": pgettext_lazy("letter", "Rate"),
    # Translators: abbreviation of "days", after a number of days late: "12 d"
    "days": pgettext_lazy("letter", "d"),
    "contractual_terms": pgettext_lazy(
        "letter",
        "Under our terms of sale, late-payment interest at the yearly rate of {rate}, "
        "{interest} to date, and a fixed recovery fee of {fee} are due.",
    ),
    "total": pgettext_lazy("letter", "Total due"),
    "total_overdue": pgettext_lazy("letter", "Total overdue"),
    "vat": pgettext_lazy("letter", "VAT No."),
    "company_number": pgettext_lazy("letter", "Company No."),
    "no_items": pgettext_lazy("letter", "No open invoice."),
    "qr_alt": pgettext_lazy("letter", "Payment QR code"),
    "credit_department": pgettext_lazy("letter", "Credit department"),
    # Translators: a label and its value, "Total due: €120.00" (French: " : ")
    "colon": pgettext_lazy("letter", ": "),
    # Translators: one line of the list of open items in a plain-text message
    "item_line": pgettext_lazy("letter", "- {kind} {number}: {amount}"),
    "item_line_due": pgettext_lazy("letter", "- {kind} {number}, due date {due_date}: {amount}"),
    "with_interest": pgettext_lazy("letter", "{amount} (+ interest {interest})"),
    "total_line": pgettext_lazy("letter", "{label}: {amount}"),
}
LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


@lru_cache(maxsize=32)
def labels_in(language: str) -> dict[str, str]:
    """LABELS read in `language` (English where its catalogue has no translation)."""
    with translation.override(language):
        return {key: str(label) for key, label in LABELS.items()}


class Formatter:
    """Formats values for one language, in the conventions of the reader's country when
    Babel knows that pair (en_GB: 23 Nov 2026; en_US: Nov 23, 2026); get one with
    `formatter(language, region)`."""

    def __init__(self, language: str, region: str = ""):
        self.region = (region or "").upper()
        self.language = language if language in LANGUAGE_CODES else "en"
        self.locale = _locale(self.language, region)
        self.locale_id = str(self.locale)
        self.labels = labels_in(self.language)

    def phone(self, value: str, home_region: str = "") -> str:
        """A phone number (stored as typed or E.164; `home_region`: its country when it has
        no +prefix) as the reader's country writes it: national in the same country
        ("01 40 00 00 00" in France), international from abroad ("+33 1 40 00 00 00").
        What phonenumbers cannot read is kept as typed."""
        return _phone(value or "", (home_region or "").upper(), self.region)

    def money(self, amount: Decimal, currency: str) -> str:
        """What Babel's format_currency gives (a test checks it), ten times faster: the
        items table of a thousand emails formats tens of thousands of amounts."""
        style = _money_style(self.locale_id, currency)
        digits = f"{abs(amount):,.{style.precision}f}".translate(style.symbols)
        if amount < 0:
            return f"{style.negative_prefix}{digits}{style.negative_suffix}"
        return f"{style.prefix}{digits}{style.suffix}"

    def amounts(self, pairs: list[tuple[Decimal, str]]) -> str:
        """Amounts of several currencies side by side, never added together."""
        return " + ".join(self.money(amount, currency) for amount, currency in pairs)

    def date(self, day: datetime.date | None) -> str:
        return _date(day, "medium", self.locale_id) if day else ""

    def long_date(self, day: datetime.date | None) -> str:
        return _date(day, "long", self.locale_id) if day else ""

    def number(self, value) -> str:
        return format_decimal(value, locale=self.locale)

    def percent(self, value_in_percent: Decimal) -> str:
        return format_percent(
            Decimal(value_in_percent) / 100, locale=self.locale, decimal_quantization=False
        )

    def country(self, code: str) -> str:
        return self.locale.territories.get(code.upper(), code) if code else ""


class _MoneyStyle(NamedTuple):
    prefix: str
    suffix: str
    negative_prefix: str
    negative_suffix: str
    precision: int
    symbols: dict  # str.translate table: Python's "," and "." to the locale's


def _locale(language: str, region: str) -> Locale:
    """English in Britain reads en_GB, French in Switzerland fr_CH; a language that is not
    the country's own (English for a customer in France) keeps its plain conventions. A
    language code that names a country or a script keeps it (pt-br: pt_BR, zh-hans:
    zh_Hans, in China zh_Hans_CN)."""
    region = region.upper()
    base = to_locale(language)  # Django's "pt-br" is Babel's "pt_BR"
    if region and language.split("-")[0] in get_official_languages(region, de_facto=True):
        try:
            return Locale.parse(f"{base}_{region}")
        except (UnknownLocaleError, ValueError):
            pass
    return Locale.parse(base)


@lru_cache(maxsize=64)
def _money_style(locale_id: str, currency: str) -> _MoneyStyle:
    locale = Locale.parse(locale_id)
    pattern = locale.currency_formats["standard"]
    symbol = get_currency_symbol(currency, locale)
    prefixes = [part.replace("¤", symbol) for part in pattern.prefix]
    suffixes = [part.replace("¤", symbol) for part in pattern.suffix]
    return _MoneyStyle(
        prefixes[0],
        suffixes[0],
        prefixes[1],
        suffixes[1],
        get_currency_precision(currency),
        str.maketrans({",": get_group_symbol(locale), ".": get_decimal_symbol(locale)}),
    )


@lru_cache(maxsize=8192)
def _date(day: datetime.date, length: str, locale_id: str) -> str:
    # Due dates repeat across customers: a cache saves most of Babel's work.
    return format_date(day, format=length, locale=Locale.parse(locale_id))


@lru_cache(maxsize=64)
def formatter(language: str, region: str = "") -> Formatter:
    """The formatter of a message in `language` read in country `region` (ISO code)."""
    return Formatter(language, region)


@lru_cache(maxsize=256)
def _phone(value: str, home_region: str, reader_region: str) -> str:
    import phonenumbers

    if not value.strip():
        return ""
    try:
        number = phonenumbers.parse(value, home_region or None)
    except phonenumbers.NumberParseException:
        return value
    if not phonenumbers.is_valid_number(number):
        return value
    national = phonenumbers.region_code_for_number(number) == reader_region
    style = phonenumbers.PhoneNumberFormat
    return phonenumbers.format_number(number, style.NATIONAL if national else style.INTERNATIONAL)
