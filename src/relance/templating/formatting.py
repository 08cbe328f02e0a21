"""Amounts, dates and labels in the language of a message (not of the user's screen), with
Babel: the machine has no system locales and `setlocale` is process-wide."""

import datetime
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

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
        "total": "Total dû",
        "total_overdue": "Total échu",
        "vat": "N° TVA",
        "company_number": "N° d'immatriculation",
        "no_items": "Aucune facture ouverte.",
        "qr_alt": "QR code de paiement",
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
        "total": "Total due",
        "total_overdue": "Total overdue",
        "vat": "VAT No.",
        "company_number": "Company No.",
        "no_items": "No open invoice.",
        "qr_alt": "Payment QR code",
        "colon": ": ",
    },
}


class Formatter:
    """Formats values for one language; get one with `formatter(language)`."""

    def __init__(self, language: str):
        self.language = language if language in LABELS else "en"
        self.locale = Locale.parse(self.language)
        self.labels = LABELS[self.language]

    def money(self, amount: Decimal, currency: str) -> str:
        return format_currency(amount, currency, locale=self.locale)

    def amounts(self, pairs: list[tuple[Decimal, str]]) -> str:
        """Amounts of several currencies side by side, never added together."""
        return " + ".join(self.money(amount, currency) for amount, currency in pairs)

    def date(self, day: datetime.date | None) -> str:
        return format_date(day, format="medium", locale=self.locale) if day else ""

    def long_date(self, day: datetime.date | None) -> str:
        return format_date(day, format="long", locale=self.locale) if day else ""

    def number(self, value) -> str:
        return format_decimal(value, locale=self.locale)

    def percent(self, value_in_percent: Decimal) -> str:
        return format_percent(
            Decimal(value_in_percent) / 100, locale=self.locale, decimal_quantization=False
        )

    def country(self, code: str) -> str:
        return self.locale.territories.get(code.upper(), code) if code else ""


@lru_cache(maxsize=8)
def formatter(language: str) -> Formatter:
    return Formatter(language)
