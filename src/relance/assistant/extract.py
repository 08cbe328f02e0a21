# ruff: noqa: E501 (pattern tables: one pattern a line reads best)
"""Deterministic extractors: the date a message states (relative to the entity's today, in
the message's language), the amounts it cites, the customer's open items it names.

Dates are found by patterns per language on the folded text (lower case, no accents, so
"fevrier" and "nachsten" typed without accents still count); dates written with a month's
name are read by dateparser, which knows every locale's month names and abbreviations. The
first date in the text wins (an instalment plan's first date, an absence's return). A past
reading ("paid on the 3rd") or a future one ("we will pay on the 3rd") follows the intent.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

import dateparser

from relance.assistant.text import fold

FUTURE, PAST = "future", "past"

MONTHS = {
    "fr": "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre",
    "en": "january february march april may june july august september october november december",
    "de": "januar februar marz april mai juni juli august september oktober november dezember",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
}
MONTH_NUMBER = {}
for _names in MONTHS.values():
    for _n, _name in enumerate(_names.split(), start=1):
        MONTH_NUMBER[_name] = _n
for _abbr, _n in {
    "jan": 1,
    "feb": 2,
    "fev": 2,
    "mar": 3,
    "apr": 4,
    "avr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "okt": 10,
    "nov": 11,
    "dec": 12,
    "dez": 12,
    "dic": 12,
    "ene": 1,
    "abr": 4,
    "ago": 8,
}.items():
    MONTH_NUMBER.setdefault(_abbr, _n)
MONTH = "(?P<month>" + "|".join(sorted(MONTH_NUMBER, key=len, reverse=True)) + r")\.?"

WEEKDAYS = {
    "lundi": 0,
    "mardi": 1,
    "mercredi": 2,
    "jeudi": 3,
    "vendredi": 4,
    "samedi": 5,
    "dimanche": 6,
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
    "montag": 0,
    "dienstag": 1,
    "mittwoch": 2,
    "donnerstag": 3,
    "freitag": 4,
    "samstag": 5,
    "sonntag": 6,
    "lunes": 0,
    "martes": 1,
    "miercoles": 2,
    "jueves": 3,
    "viernes": 4,
    "sabado": 5,
    "domingo": 6,
}
WEEKDAY = "(?P<weekday>" + "|".join(WEEKDAYS) + ")"
NEXT = r"(?:prochain|next|nachsten|kommenden|proximo|que viene)"
LAST = r"(?:dernier|last|letzten|vergangenen|pasado)"

# (name, pattern) on the folded text; the earliest match wins, the longest at one place.
PATTERNS = [
    ("iso", r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b"),
    ("dmy", r"\b(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>\d{4}|\d{2})\b"),
    (
        "dm",
        r"\b(?:le|el|au|du|am|on|by|bis zum|zum)\s+(?P<d>\d{1,2})[/.](?P<m>\d{1,2})\b\.?(?![/.]?\d)",
    ),
    (
        "day_month",
        r"\b(?P<d>\d{1,2})(?:st|nd|rd|th|er)?\.?\s+(?:de\s+)?"
        + MONTH
        + r"(?:\s+(?:de\s+)?(?P<y>\d{4}))?",
    ),
    ("month_day", r"\b" + MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{4}))?"),
    ("month_end_named", r"\b(?:fin|end of|ende|finales de|fines de|final de)\s+" + MONTH),
    (
        "month_end",
        r"\b(?:fin du mois|fin de mois|fin de ce mois|end of (?:the |this )?month|month[- ]end|ende des monats|monatsende|ende dieses monats|fin de mes|finales de mes|final de mes|fin del mes)\b",
    ),
    (
        "day_after_tomorrow",
        r"\b(?:apres-demain|apres demain|day after tomorrow|ubermorgen|pasado manana)\b",
    ),
    (
        "day_before_yesterday",
        r"\b(?:avant-hier|avant hier|day before yesterday|vorgestern|anteayer|antes de ayer)\b",
    ),
    ("tomorrow", r"(?<!esta )(?<!heute )(?<!guten )(?<!la )\b(?:demain|tomorrow|morgen|manana)\b"),
    ("yesterday", r"\b(?:hier|yesterday|gestern|ayer)\b"),
    ("today", r"\b(?:aujourd'hui|ce matin|today|this morning|heute|hoy|esta manana)\b"),
    (
        "in_days",
        r"\b(?:dans|in|en|dentro de|d'ici|within)\s+(?P<n>\d{1,3})\s+(?:jours|days|tagen|dias)\b",
    ),
    (
        "weekday_last",
        r"\b(?:"
        + LAST
        + r"\s+"
        + WEEKDAY
        + r"|(?:el\s+)?"
        + WEEKDAY.replace("weekday", "weekday2")
        + r"\s+"
        + LAST
        + r")\b",
    ),
    (
        "weekday",
        r"\b(?:(?:"
        + NEXT
        + r"|this|on|ce|am|el|el proximo|by)\s+)?"
        + WEEKDAY
        + r"(?:\s+"
        + NEXT
        + r")?\b",
    ),
    (
        "day",
        r"\b(?:le|el|el dia|au|d'ici le|on the|by the|the|am|bis zum|zum|vom)\s+(?P<d>\d{1,2})(?:st|nd|rd|th|er)?\b(?![/.]\d)(?!\.?\s+(?:de\s+)?(?:"
        + "|".join(MONTH_NUMBER)
        + r")\b)(?!\s*(?:%|h\b|heures|jours|days|tagen|dias|unit|palett|colis|parcel|paquete|pallet|bultos))",
    ),
]
COMPILED = [(name, re.compile(pattern)) for name, pattern in PATTERNS]


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year_for(month: int, day: int, today: date, direction: str) -> date | None:
    """The date of `day`/`month` on the side of `today` that `direction` says, unless that
    is most of a year away while the other side is near: nobody promises to pay eleven
    months ahead, so "paid on 11 October" read as a promise still means last October."""
    this_year = _safe(today.year, month, day)
    if this_year is None:
        return None
    past = this_year if this_year <= today else _safe(today.year - 1, month, day)
    future = this_year if this_year >= today else _safe(today.year + 1, month, day)
    if past is None or future is None:
        return past or future
    preferred, other = (past, future) if direction == PAST else (future, past)
    if abs((preferred - today).days) > 180 and abs((other - today).days) < 60:
        return other
    return preferred


def _day_of_month(d: int, today: date, direction: str) -> date | None:
    if not 1 <= d <= 31:
        return None
    if direction == PAST:
        if d <= today.day:
            return _safe(today.year, today.month, d)
        previous = today.replace(day=1) - timedelta(days=1)
        return _safe(previous.year, previous.month, d)
    if d >= today.day:
        return _safe(today.year, today.month, d)
    following = _month_end(today) + timedelta(days=1)
    return _safe(following.year, following.month, d)


def _dateparser(fragment: str, language: str, today: date, direction: str) -> date | None:
    settings = {
        "RELATIVE_BASE": datetime(today.year, today.month, today.day),
        "PREFER_DATES_FROM": direction,
        "DATE_ORDER": "MDY" if language == "en" and fragment[:1].isalpha() else "DMY",
    }
    languages = [language] if language in MONTHS else None
    parsed = dateparser.parse(fragment, languages=languages, settings=settings)
    return parsed.date() if parsed else None


def _resolve(name: str, match: re.Match, original: str, language: str, today: date, direction: str):
    groups = match.groupdict()
    if name == "iso":
        return _safe(int(groups["y"]), int(groups["m"]), int(groups["d"]))
    if name == "dmy":
        year = int(groups["y"]) + (2000 if len(groups["y"]) == 2 else 0)
        d, m = int(groups["d"]), int(groups["m"])
        if m > 12 >= d:
            d, m = m, d
        return _safe(year, m, d)
    if name == "dm":
        return _year_for(int(groups["m"]), int(groups["d"]), today, direction)
    if name in ("day_month", "month_day"):
        parsed = _dateparser(original[match.start() : match.end()], language, today, direction)
        month = MONTH_NUMBER[groups["month"]]
        if groups.get("y"):
            return _safe(int(groups["y"]), month, int(groups["d"]))
        if parsed and parsed.month == month and parsed.day == int(groups["d"]):
            return _year_for(month, parsed.day, today, direction)
        return _year_for(month, int(groups["d"]), today, direction)
    if name == "month_end_named":
        month = MONTH_NUMBER[groups["month"]]
        first = _year_for(month, 1, today.replace(day=1), direction)
        return _month_end(first) if first else None
    if name == "month_end":
        return _month_end(today)
    if name in ("tomorrow", "yesterday", "today", "day_after_tomorrow", "day_before_yesterday"):
        offset = {
            "tomorrow": 1,
            "yesterday": -1,
            "today": 0,
            "day_after_tomorrow": 2,
            "day_before_yesterday": -2,
        }[name]
        return today + timedelta(days=offset)
    if name == "in_days":
        return today + timedelta(days=int(groups["n"]))
    if name == "weekday_last":
        weekday = WEEKDAYS[groups["weekday"] or groups["weekday2"]]
        return today - timedelta(days=(today.weekday() - weekday - 1) % 7 + 1)
    if name == "weekday":
        weekday = WEEKDAYS[groups["weekday"]]
        if direction == PAST:
            return today - timedelta(days=(today.weekday() - weekday - 1) % 7 + 1)
        return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)
    if name == "day":
        return _day_of_month(int(groups["d"]), today, direction)
    return None


def _first_date(text: str, language: str, today: date, direction: str):
    folded = fold(text)
    found = []
    for name, pattern in COMPILED:
        for match in pattern.finditer(folded):
            found.append((match.start(), -(match.end() - match.start()), name, match))
    for _start, _length, name, match in sorted(found, key=lambda f: (f[0], f[1])):
        day = _resolve(name, match, text, language, today, direction)
        if day is not None:
            return name, day
    return None, None


def find_date(text: str, *, language: str, today: date, direction: str = FUTURE) -> date | None:
    """The first date `text` states, or None."""
    return _first_date(text, language, today, direction)[1]


# Expressions whose side of today is in their words, whatever the intent.
PAST_WORDS = frozenset({"yesterday", "day_before_yesterday", "weekday_last"})
FUTURE_WORDS = frozenset(
    {"tomorrow", "day_after_tomorrow", "in_days", "month_end", "month_end_named"}
)
DATED = frozenset({"iso", "dmy"})


def date_marker(text: str, *, language: str, today: date) -> str:
    """One word for the classifier saying what kind of date `text` states: one behind
    today ("zzpastdate": yesterday, last Monday, a full date already gone), one ahead
    ("zzfuturedate": tomorrow, in ten days, the end of the month), today ("zztoday"), a
    date whose side only the intent tells ("zzdate": the 15th, Friday), or none ("")."""
    name, day = _first_date(text, language, today, FUTURE)
    if name is None:
        return ""
    if name in PAST_WORDS:
        return "zzpastdate"
    if name in FUTURE_WORDS:
        return "zzfuturedate"
    if name == "today":
        return "zztoday"
    if name in DATED or (name in ("day_month", "month_day") and re.search(r"\d{4}", text)):
        return "zzpastdate" if day < today else "zzfuturedate" if day > today else "zztoday"
    return "zzdate"


# --- amounts -----------------------------------------------------------------------------

NUMBER = r"\d{1,3}(?:[ .,\u00a0\u202f']\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
CURRENCY = r"(?:€|eur\b|euros?\b|£|gbp\b|\$|usd\b|chf\b)"
AMOUNT = re.compile(
    rf"(?:{CURRENCY}\s?(?P<a>{NUMBER}))|(?:(?P<b>{NUMBER})\s?{CURRENCY})", re.IGNORECASE
)


def parse_number(raw: str) -> Decimal | None:
    """'1 234,56', '1.234,56', '1,234.56', '1234.5' -> Decimal; the last separator followed
    by one or two digits is the decimal one, the others group thousands."""
    raw = raw.strip()
    match = re.search(r"[.,](\d{1,2})$", raw)
    if match:
        whole, cents = raw[: match.start()], match.group(1)
    else:
        whole, cents = raw, ""
    whole = re.sub(r"[ .,\u00a0\u202f']", "", whole)
    try:
        return Decimal(f"{whole}.{cents}" if cents else whole).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None


def find_amounts(text: str) -> list[Decimal]:
    amounts = []
    for match in AMOUNT.finditer(text):
        value = parse_number(match.group("a") or match.group("b"))
        if value is not None and value not in amounts:
            amounts.append(value)
    return amounts


# --- invoice numbers ---------------------------------------------------------------------

CANDIDATE = re.compile(r"(?<![\w-])(?=[\w-]*\d)[A-Za-z]{0,4}[-/]?\d[\w/-]{3,}\d(?![\w-])")


@dataclass(frozen=True)
class Found:
    matched: list[str]  # the open items' numbers, as the ledger writes them
    unmatched: list[str]  # what looks like an invoice number but is no open item


def find_invoices(text: str, numbers) -> Found:
    """The open items' `numbers` cited in `text` (case and accents ignored, whole tokens
    only), then the other invoice-like references it cites."""
    folded = fold(text)
    matched = []
    for number in sorted(set(numbers), key=len, reverse=True):
        key = fold(number)
        if not key:
            continue
        pattern = r"(?<![\w-])" + re.escape(key) + r"(?![\w-]|[.,]\d)"
        if re.search(pattern, folded) and not any(key in fold(m) for m in matched):
            matched.append(number)
    matched.sort(key=lambda number: folded.find(fold(number)))
    known = {fold(number) for number in matched}
    unmatched = []
    for match in CANDIDATE.finditer(text):
        token = match.group(0)
        if fold(token) not in known and token not in unmatched and not _looks_like_date(token):
            unmatched.append(token)
    return Found(matched, unmatched)


def _looks_like_date(token: str) -> bool:
    return bool(re.fullmatch(r"\d{1,4}[-/.]\d{1,2}([-/.]\d{1,4})?", token))
