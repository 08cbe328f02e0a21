"""Bank statements as CSV, for banks that offer nothing better: a header row naming the
columns (date, amount, currency, name, iban, text; reference optional), separated by
semicolons or commas; amounts with a decimal point or a decimal comma, negative for
debits; dates as YYYY-MM-DD, DD/MM/YYYY or DD.MM.YYYY."""

import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from relance.banking.choices import StatementFormat
from relance.banking.parsers import ParsedLine, ParsedStatement, Problems, compact_iban

REQUIRED = ("date", "amount", "currency")
OPTIONAL = ("name", "iban", "text", "reference")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y")
CURRENCY = re.compile(r"^[A-Z]{3}$")


def parse_amount(raw: str) -> Decimal:
    """ "1 234,56", "1234.56", "1.234,56", "-12,5" → Decimal; ValueError otherwise."""
    text = re.sub(r"[\s\u00a0\u202f']", "", raw or "")
    if not re.fullmatch(r"[-+]?[\d.,]+", text):
        raise ValueError(f"{raw!r} is not an amount")
    if "," in text and "." in text:
        # The last separator is the decimal one, the other groups thousands.
        thousands = "." if text.rfind(",") > text.rfind(".") else ","
        text = text.replace(thousands, "")
    text = text.replace(",", ".")
    if text.count(".") > 1:
        raise ValueError(f"{raw!r} is not an amount")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{raw!r} is not an amount") from None
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError(f"{raw!r} has more than 2 decimals")
    return amount.quantize(Decimal("0.01"))


def parse_date(raw: str) -> date:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(raw.strip(), pattern).date()
        except ValueError:
            continue
    raise ValueError(f"{raw!r} is not a date (YYYY-MM-DD, DD/MM/YYYY or DD.MM.YYYY)")


def _delimiter(header: str) -> str:
    return ";" if header.count(";") >= header.count(",") else ","


def parse(content: bytes) -> ParsedStatement:
    problems = Problems()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.add("", "the file is not UTF-8 text")
        problems.check()
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(first_line))
    header = [name.strip().lower() for name in next(reader, [])]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        problems.add("row 1", f"missing column(s): {', '.join(missing)}")
    unknown = [name for name in header if name and name not in REQUIRED + OPTIONAL]
    if unknown:
        problems.add("row 1", f"unknown column(s): {', '.join(unknown)}")
    problems.check()
    statement = ParsedStatement(format=StatementFormat.CSV)
    for number, values in enumerate(reader, start=2):
        if not any(value.strip() for value in values):
            continue
        if len(values) != len(header):
            problems.add(f"row {number}", f"{len(values)} values for {len(header)} columns")
            continue
        row = dict(zip(header, (value.strip() for value in values), strict=True))
        line = _line(row, number, len(statement.lines) + 1, problems)
        if line:
            statement.lines.append(line)
    if not statement.lines and not problems:
        problems.add("", "the file has no lines")
    problems.check()
    return statement


def _line(row: dict, number: int, position: int, problems: Problems) -> ParsedLine | None:
    place = f"row {number}"
    ok = True
    try:
        booked = parse_date(row["date"])
    except ValueError as exc:
        problems.add(f"{place}, column date", str(exc))
        ok = False
    try:
        amount = parse_amount(row["amount"])
        if amount == 0:
            raise ValueError("the amount is 0")
    except ValueError as exc:
        problems.add(f"{place}, column amount", str(exc))
        ok = False
    currency = row["currency"].upper()
    if not CURRENCY.match(currency):
        problems.add(f"{place}, column currency", f"{row['currency']!r} is not a currency code")
        ok = False
    raw_iban = row.get("iban", "")
    iban = compact_iban(raw_iban)
    if raw_iban and not iban:
        problems.add(f"{place}, column iban", f"{raw_iban!r} is not a valid IBAN")
        ok = False
    if not ok:
        return None
    return ParsedLine(
        position=position,
        booking_date=booked,
        amount=abs(amount),
        credit=amount > 0,
        currency=currency,
        counterparty_name=row.get("name", "")[:140],
        counterparty_iban=iban,
        reference=row.get("reference", "")[:35],
        remittance=row.get("text", ""),
    )
