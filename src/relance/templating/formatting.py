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

# Words that rendered values contain, per message language. Kept here rather than in the
# .po file: a French letter is French whatever language the user reading it has chosen.
LABELS = {
    "fr": {
        "invoice": "Facture",
        "credit_note": "Avoir",
        "payment": "Paiement",
        "number": "N°",
        "issue_date": "Date",
        "due_date": "Échéance",
        "days_overdue": "Retard (j)",
        "amount": "Montant",
        "open_amount": "Reste dû",
        "interest": "Intérêts",
        "rates": "Taux",
        "days": "j",
        "contractual_terms": (
            "Conformément à nos conditions générales, des pénalités de retard au taux annuel "
            "de {rate}, soit {interest} à ce jour, ainsi qu'une indemnité forfaitaire pour "
            "frais de recouvrement de {fee} sont exigibles."
        ),
        "total": "Total dû",
        "total_overdue": "Total échu",
        "vat": "N° TVA",
        "company_number": "N° d'immatriculation",
        "no_items": "Aucune facture ouverte.",
        "qr_alt": "QR code de paiement",
        "credit_department": "Service recouvrement",
        "colon": " : ",
    },
    "en": {
        "invoice": "Invoice",
        "credit_note": "Credit note",
        "payment": "Payment",
        "number": "No.",
        "issue_date": "Date",
        "due_date": "Due date",
        "days_overdue": "Days late",
        "amount": "Amount",
        "open_amount": "Open amount",
        "interest": "Interest",
        "rates": "Rate",
        "days": "d",
        "contractual_terms": (
            "Under our terms of sale, late-payment interest at the yearly rate of {rate}, "
            "{interest} to date, and a fixed recovery fee of {fee} are due."
        ),
        "total": "Total due",
        "total_overdue": "Total overdue",
        "vat": "VAT No.",
        "company_number": "Company No.",
        "no_items": "No open invoice.",
        "qr_alt": "Payment QR code",
        "credit_department": "Credit department",
        "colon": ": ",
    },
}


class Formatter:
    """Formats values for one language, in the conventions of the reader's country when
    Babel knows that pair (en_GB: 23 Nov 2026; en_US: Nov 23, 2026); get one with
    `formatter(language, region)`."""

    def __init__(self, language: str, region: str = ""):
        self.region = (region or "").upper()
        self.language = language if language in LABELS else "en"
        self.locale = _locale(self.language, region)
        self.locale_id = str(self.locale)
        self.labels = LABELS[self.language]

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
    the country's own (English for a customer in France) keeps its plain conventions."""
    region = region.upper()
    if region and language in get_official_languages(region, de_facto=True):
        try:
            return Locale.parse(f"{language}_{region}")
        except (UnknownLocaleError, ValueError):
            pass
    return Locale.parse(language)


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
