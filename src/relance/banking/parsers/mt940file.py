"""SWIFT MT940 customer statements, read with the `mt-940` package. That package is
lenient (it reads "12x0,00" as 12): each :61: line is first checked against the standard's
layout here, so that a malformed one is refused with its line number rather than guessed."""

import re
from datetime import date
from decimal import Decimal

import mt940

from relance.banking.choices import StatementFormat
from relance.banking.parsers import ParsedLine, ParsedStatement, Problems, compact_iban

# :61: value date (YYMMDD), [entry date MMDD], mark (C, D, RC, RD), [funds code], amount
# (digits with a decimal comma), transaction type (N/F/S + 3), customer reference.
STATEMENT_LINE = re.compile(
    r"^(?P<date>\d{6})(?P<entry>\d{4})?(?P<mark>R?[CD])[A-Z]?"
    r"(?P<amount>\d{1,12},\d{0,2})(?P<type>[NSF][A-Z0-9]{3})"
)
BALANCE = re.compile(r"^[CD]\d{6}(?P<currency>[A-Z]{3})\d{1,12},\d{0,2}$")
REQUIRED_TAGS = (":20:", ":25:", ":28C:", ":60F:", ":62F:")
IBAN_IN_TEXT = re.compile(r"\b([A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,4})?)\b")
# Sub-fields of :86: as banks write them: SWIFT-style /NAME/…/, German ?32/?33 (name), ?31
# (account) and ?20-?29 (remittance).
NAME_FIELDS = (re.compile(r"/NAME/([^/]+)"), re.compile(r"\?3[23]([^?]+)"))
IBAN_FIELDS = (re.compile(r"/IBAN/([^/]+)"), re.compile(r"\?31([^?]+)"))
REMITTANCE_FIELDS = (re.compile(r"/REMI/(?:USTD//)?([^/]+)"), re.compile(r"\?2\d([^?]+)"))


def _check_layout(text: str, problems: Problems) -> None:
    lines = text.splitlines()
    for tag in REQUIRED_TAGS:
        if not any(line.startswith(tag) for line in lines):
            problems.add(f"tag {tag}", "missing: a statement needs :20:, :25:, :28C:, :60F:, :62F:")
    for number, line in enumerate(lines, start=1):
        if line.startswith(":61:"):
            _check_statement_line(line[4:], f"line {number} (:61:)", problems)
        elif line.startswith((":60F:", ":62F:", ":60M:", ":62M:")):
            tag, value = line.split(":")[1], line.split(":", 2)[2]
            if not BALANCE.match(value.strip()):
                problems.add(
                    f"line {number} (:{tag}:)",
                    f"{value!r} is not a balance (C/D, YYMMDD, currency, amount)",
                )


def _check_statement_line(value: str, place: str, problems: Problems) -> None:
    match = STATEMENT_LINE.match(value)
    if not match:
        problems.add(
            place,
            f"{value!r} does not follow YYMMDD[MMDD]C|D amount,decimals type "
            "(e.g. 2612021202C1200,00NTRF)",
        )
        return
    raw = match["date"]
    try:
        date(2000 + int(raw[:2]), int(raw[2:4]), int(raw[4:6]))
    except ValueError:
        problems.add(place, f"{raw!r} is not a date (YYMMDD)")
    if Decimal(match["amount"].replace(",", ".") or "0") <= 0:
        problems.add(place, "the amount must be more than 0")


def _first(patterns, text: str) -> str:
    for pattern in patterns:
        found = pattern.search(text)
        if found:
            return " ".join(found.group(1).split())
    return ""


def _remittance(details: str) -> str:
    for pattern in REMITTANCE_FIELDS:
        parts = pattern.findall(details)
        if parts:
            return " ".join(" ".join(parts).split())
    return " ".join(details.split())


def _payer_iban(details: str) -> str:
    iban = compact_iban(_first(IBAN_FIELDS, details))
    if iban:
        return iban
    for candidate in IBAN_IN_TEXT.findall(details.upper()):
        iban = compact_iban(candidate)
        if iban:
            return iban
    return ""


def parse(content: bytes) -> ParsedStatement:
    problems = Problems()
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        text = content.decode("latin-1")  # SWIFT's character set is a subset of both
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    _check_layout(text, problems)
    problems.check()
    transactions = mt940.models.Transactions()
    try:
        transactions.parse(text)
    except (ValueError, RuntimeError) as exc:
        problems.add("", f"not a readable MT940 statement: {exc.args[0] if exc.args else exc}")
        problems.check()
    statement = ParsedStatement(
        format=StatementFormat.MT940,
        reference=str(transactions.data.get("transaction_reference") or ""),
        account_iban=compact_iban(str(transactions.data.get("account_identification") or "")),
    )
    for position, transaction in enumerate(transactions, start=1):
        data = transaction.data
        details = data.get("transaction_details") or ""
        amount = data["amount"].amount
        status = data.get("status") or ""
        # RC (reversal of a credit) takes money back: a debit; RD gives it back: a credit.
        credit = status in ("C", "RD")
        entry_date = data.get("entry_date") or data["date"]
        statement.lines.append(
            ParsedLine(
                position=position,
                booking_date=date(entry_date.year, entry_date.month, entry_date.day),
                value_date=date(data["date"].year, data["date"].month, data["date"].day),
                amount=abs(Decimal(amount)).quantize(Decimal("0.01")),
                credit=credit,
                currency=data.get("currency") or data["amount"].currency,
                counterparty_name=_first(NAME_FIELDS, details)[:140],
                counterparty_iban=_payer_iban(details),
                remittance=_remittance(details),
                bank_reference=str(data.get("bank_reference") or "")[:100],
            )
        )
    return statement
