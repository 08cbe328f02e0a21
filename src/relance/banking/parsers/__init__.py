"""Readers of bank statement files. Each answers a ParsedStatement or raises
StatementError with every problem found, each naming its place in the file (a line, an
entry, an element) and the reason: the import then writes nothing."""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from relance.banking.choices import StatementFormat

# More problems than this and the file is plainly not what it claims to be.
MAX_ERRORS = 50


@dataclass
class ParsedLine:
    position: int
    booking_date: date
    amount: Decimal  # positive; `credit` gives the direction
    credit: bool
    currency: str
    value_date: date | None = None
    counterparty_name: str = ""
    counterparty_iban: str = ""
    reference: str = ""
    remittance: str = ""
    bank_reference: str = ""


@dataclass
class ParsedStatement:
    format: str
    reference: str = ""
    account_iban: str = ""
    lines: list[ParsedLine] = field(default_factory=list)


@dataclass(frozen=True)
class Problem:
    place: str
    reason: str

    def __str__(self) -> str:
        return f"{self.place}: {self.reason}" if self.place else self.reason


class StatementError(Exception):
    """The file cannot be imported; `problems` says where and why, each one."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems[:MAX_ERRORS]
        super().__init__("; ".join(str(problem) for problem in self.problems))


class Problems(list):
    """Collects problems; `check()` raises them all at once."""

    def add(self, place: str, reason: str) -> None:
        self.append(Problem(place, reason))

    def check(self) -> None:
        if self:
            raise StatementError(list(self))


def compact_iban(raw: str) -> str:
    """The IBAN in its electronic form if `raw` is a valid one, else ""."""
    text = re.sub(r"\s", "", raw or "").upper()
    if not text:
        return ""
    try:
        return IBAN(text).compact
    except SchwiftyException:
        return ""


def fingerprint(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def detect_format(content: bytes, file_name: str = "") -> str:
    """The format of a statement from its first bytes (the file's name only breaks ties)."""
    head = content[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        text = head.decode("utf-8", "replace")
        if "camt.054" in text or "BkToCstmrDbtCdtNtfctn" in text:
            return StatementFormat.CAMT054
        return StatementFormat.CAMT053
    if re.search(rb"(^|\n):20:", head) or head.startswith(b"{1:"):
        return StatementFormat.MT940
    return StatementFormat.CSV


def parse_statement(content: bytes, *, file_name: str = "", format: str = "") -> ParsedStatement:
    """Read `content` in `format` (detected when empty); StatementError lists what is wrong."""
    from relance.banking.parsers import camt, csvfile, mt940file

    format = format or detect_format(content, file_name)
    if format in (StatementFormat.CAMT053, StatementFormat.CAMT054):
        return camt.parse(content, format=format)
    if format == StatementFormat.MT940:
        return mt940file.parse(content)
    if format == StatementFormat.CSV:
        return csvfile.parse(content)
    raise ValueError(f"unknown statement format {format!r}")
