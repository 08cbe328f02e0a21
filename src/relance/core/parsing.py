"""Parsing the text of files and forms: dates, amounts and yes/no as people write them.

Each parser raises ValueError with a short reason; callers add the row and column.
"""

import csv
import io
import re
from collections.abc import Callable, Hashable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
TRUE_WORDS = {"1", "true", "yes", "y", "oui", "o", "vrai", "x"}
FALSE_WORDS = {"0", "false", "no", "n", "non", "faux", ""}
AMOUNT_SPACES = re.compile(r"[\s\u00a0\u202f']")


def parse_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date (YYYY-MM-DD or DD/MM/YYYY)")


def parse_decimal(value, places: int = 2) -> Decimal:
    """An amount, with a decimal point or a decimal comma and optional thousands spaces."""
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        number = Decimal(str(value))
    else:
        text = AMOUNT_SPACES.sub("", str(value))
        if "," in text and "." in text:
            # 1.234,56 (French/German) or 1,234.56 (English): the last separator is decimal.
            if text.rfind(",") > text.rfind("."):
                text = text.replace(".", "").replace(",", ".")
            else:
                text = text.replace(",", "")
        else:
            text = text.replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"{str(value).strip()!r} is not an amount") from None
    if not number.is_finite():
        raise ValueError(f"{value!r} is not an amount")
    quantum = Decimal(1).scaleb(-places)
    if number != number.quantize(quantum):
        raise ValueError(f"{value!r} has more than {places} decimal places")
    return number.quantize(quantum)


def parse_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValueError(f"{str(value).strip()!r} is not yes or no")


def csv_rows(text: str, columns: Sequence[str]) -> Iterator[tuple[int, dict]]:
    """A small CSV text's rows (a table of rates), each with its number as a spreadsheet
    shows it: the header is row 1. Raises ValidationError naming the columns missing."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [column for column in columns if column not in (reader.fieldnames or [])]
    if missing:
        raise ValidationError(
            _("The file has no column %(columns)s (expected: %(expected)s).")
            % {"columns": ", ".join(missing), "expected": ", ".join(columns)}
        )
    return enumerate(reader, start=2)


def csv_objects(
    text: str,
    columns: Sequence[str],
    *,
    read: Callable[[int, dict, list], object | None],
    key: Callable[[object], Hashable],
    duplicate: str,
) -> list:
    """The objects a small CSV table stands for (a table of rates), all or nothing:
    `read(number, row, errors)` makes one or appends its reasons to `errors`; two rows of
    the same `key` are refused with `duplicate` (a message with %(row)s and %(other)s).
    Raises ValidationError listing every faulty row, or saying the file holds none."""
    errors: list[str] = []
    objects, seen = [], {}
    for number, row in csv_rows(text, columns):
        obj = read(number, row, errors)
        if obj is None:
            continue
        if key(obj) in seen:
            errors.append(duplicate % {"row": number, "other": seen[key(obj)]})
            continue
        seen[key(obj)] = number
        objects.append(obj)
    if errors:
        raise ValidationError(errors)
    if not objects:
        raise ValidationError(_("The file has no rate."))
    return objects
