"""Reading a FEC (Fichier des Écritures Comptables, article A47 A-1 of the Livre des
procédures fiscales): the customers of the 411 accounts and their items, open or settled.

The file is one line per accounting line, under a header of 18 named fields, separated by
tabs or pipes, dates written YYYYMMDD and amounts with a decimal comma. Every entry must
balance. What becomes of the lines on customer accounts (411…):
- the customer is the auxiliary account (CompAuxNum, CompAuxLib), or the 411 sub-account
  itself when the file has no auxiliary accounts;
- a customer's lines of one entry make one item, its amount their balance: a debit is an
  invoice, a credit is a credit note in a sales journal and a payment elsewhere;
- invoices and credit notes are numbered by their PieceRef (lines of several entries on the
  same piece add up), payments by their journal and entry number;
- lettered lines (EcritureLet) are settled on their DateLet; what is not lettered is open.
The FEC has no due date: an invoice is due 30 days after its piece date (the legal term when
none was agreed) unless a due date is already stored for it.
"""

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

from relance.ledger.choices import ItemKind
from relance.ledger.importers.base import ErrorLog
from relance.ledger.importers.readers import ImportFileError, _count_utf8_lines
from relance.ledger.importers.sources import Records

COLUMNS = (
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
)
# The article allows one signed amount and its direction instead of Debit and Credit.
AMOUNT_AND_DIRECTION = ("Montant", "Sens")
CUSTOMER_ACCOUNT = "411"
DEFAULT_TERMS_DAYS = 30
SALES_WORDS = ("vente", "sales", "factur")
CENT = Decimal("0.01")
ZERO = Decimal("0.00")
PROGRESS_LINES = 5000

CUSTOMER_PLACES = {"external_id": "CompAuxNum", "name": "CompAuxLib"}
ITEM_PLACES = {
    "customer_external_id": "CompAuxNum",
    "kind": "JournalCode",
    "number": "PieceRef",
    "issue_date": "PieceDate",
    "due_date": "PieceDate",
    "amount": "Debit",
    "open_amount": "EcritureLet",
    "currency": "Idevise",
    "settled_on": "DateLet",
}


def looks_like_fec(first_line: str) -> bool:
    names = {name.strip().lower() for name in first_line.replace("|", "\t").split("\t")}
    return {"journalcode", "ecriturenum", "comptenum"} <= names


def fec_date(text: str) -> date:
    """A FEC date, YYYYMMDD; ValueError with the reason otherwise."""
    if len(text) == 8 and text.isdigit():
        try:
            return date(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            pass
    raise ValueError(f"{text!r} is not a date in the FEC's format YYYYMMDD")


def fec_amount(text: str) -> Decimal:
    """A FEC amount: a decimal comma (or point), no thousands separator, a sign allowed;
    empty is zero."""
    if not text:
        return ZERO
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ValueError(f"{text!r} is not an amount (write 1234,56)") from None
    if not number.is_finite() or abs(number) >= Decimal("1e12"):
        raise ValueError(f"{text!r} is not an amount (write 1234,56)")
    if number != number.quantize(CENT):
        raise ValueError(f"{text!r} has more than 2 decimal places")
    return number.quantize(CENT)


class Piece:
    """A customer's lines of one entry (payments) or of one piece (invoices, credit notes)."""

    __slots__ = (
        "currencies",
        "customer",
        "first_line",
        "foreign",
        "foreign_open",
        "issue_date",
        "lettered_on",
        "net",
        "open",
    )

    def __init__(self, customer: str, line: int, issue_date: date):
        self.customer = customer
        self.first_line = line
        self.issue_date = issue_date
        self.net = self.open = ZERO
        self.foreign = self.foreign_open = ZERO
        self.currencies: set[str] = set()
        self.lettered_on: date | None = None


class FecReader:
    """Reads one FEC into Records, reporting each bad line in `errors` (line, field,
    reason); whole-file problems raise ImportFileError."""

    def __init__(
        self,
        *,
        entity,
        errors: ErrorLog,
        dry_run=False,
        progress=None,
        terms_days=DEFAULT_TERMS_DAYS,
    ):
        self.entity = entity
        self.errors = errors
        self.progress = progress
        self.terms = timedelta(days=terms_days)
        self.customers: dict[str, tuple[int, str]] = {}  # key -> (first line, name)
        self.entries: dict[tuple[str, str], list] = {}  # (journal, number) -> [net, line]
        # Lines on customer accounts, by entry: what an item is made of once lettering is
        # known. (journal, number) -> customer -> list of line facts.
        self.customer_lines: dict[tuple[str, str], dict[str, list]] = {}
        # Entries with a bad line: their balance would only repeat that line's error.
        self.tainted: set[tuple[str, str]] = set()

    def read(self, path: Path) -> Records:
        encoding, total = self._encoding(path)
        records = Records(customer_places=CUSTOMER_PLACES, item_places=ITEM_PLACES)
        with open(path, encoding=encoding, newline="") as handle:
            header_line = handle.readline().rstrip("\r\n")
            if not header_line.strip():
                raise ImportFileError("the file is empty")
            separator = "\t" if header_line.count("\t") >= header_line.count("|") else "|"
            header = [name.strip() for name in header_line.split(separator)]
            while header and not header[-1]:  # a separator ending every line
                header.pop()
            index = self._columns(header)
            if index is None:
                records.lines = 1
                return records
            number = 1
            for number, text in enumerate(handle, start=2):
                line = text.rstrip("\r\n")
                if line.strip():
                    self._line(number, line.split(separator), len(header), index)
                if self.progress and number % PROGRESS_LINES == 0:
                    self.progress(number, max(total, number))
            records.lines = number
        self._check_balance()
        if not self.errors:
            self._records(records)
        return records

    @staticmethod
    def _encoding(path: Path) -> tuple[str, int]:
        """UTF-8 when the whole file is, else ISO 8859-15 (the standard's own encoding);
        with the file's number of lines, for the progress bar."""
        try:
            return "utf-8-sig", _count_utf8_lines(path)
        except ImportFileError as exc:
            if "not UTF-8" not in str(exc):
                raise
        with open(path, "rb") as handle:
            return "iso-8859-15", sum(
                block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b"")
            )

    def _columns(self, header: list[str]) -> dict[str, int] | None:
        """Where each field is, by name (case-insensitive); None, with errors on line 1, if
        a field is missing."""
        positions = {name.lower(): position for position, name in enumerate(header)}
        required = list(COLUMNS)
        if "debit" not in positions and all(n.lower() in positions for n in AMOUNT_AND_DIRECTION):
            required = [n for n in COLUMNS if n not in ("Debit", "Credit")]
            required[11:11] = AMOUNT_AND_DIRECTION
        missing = [name for name in required if name.lower() not in positions]
        for name in missing:
            self.errors.add(1, name, "required field of the FEC is missing from the header")
        if missing:
            if not any(name.lower() in positions for name in ("journalcode", "ecriturenum")):
                self.errors.add(
                    1, "", "the header is not a FEC's (JournalCode, JournalLib, EcritureNum, …)"
                )
            return None
        return {name: positions[name.lower()] for name in required}

    def _line(self, number: int, cells: list[str], width: int, index: dict[str, int]) -> None:
        if len(cells) > width and not any(cell.strip() for cell in cells[width:]):
            cells = cells[:width]
        if len(cells) != width:
            self._taint(cells, index)
            self.errors.add(
                number,
                "",
                f"the line has {len(cells)} fields but the header has {width}: a separator "
                "is missing, or a label contains the separator",
            )
            return
        errors_before = self.errors.total
        cell = {name: cells[position].strip() for name, position in index.items()}
        journal, entry = cell["JournalCode"], cell["EcritureNum"]
        for name in ("JournalCode", "EcritureNum", "CompteNum"):
            if not cell[name]:
                self.errors.add(number, name, "a value is required")
        self._date(number, cell, "EcritureDate", required=True)
        debit, credit = self._amounts(number, cell)
        if self.errors.total > errors_before:
            self.tainted.add((journal, entry))
            return
        balance = self.entries.get((journal, entry))
        if balance is None:
            self.entries[(journal, entry)] = [debit - credit, number, number]
        else:
            balance[0] += debit - credit
            balance[2] = number
        if cell["CompteNum"].startswith(CUSTOMER_ACCOUNT):
            self._customer_line(number, cell, debit - credit)

    def _taint(self, cells: list[str], index: dict[str, int]) -> None:
        journal, entry = index["JournalCode"], index["EcritureNum"]
        if max(journal, entry) < len(cells):
            self.tainted.add((cells[journal].strip(), cells[entry].strip()))

    def _amounts(self, number: int, cell: dict) -> tuple[Decimal, Decimal]:
        if "Montant" in cell:
            amount = self._amount(number, cell, "Montant")
            direction = cell["Sens"].upper()
            if direction not in ("D", "C", "+1", "-1", "1"):
                self.errors.add(number, "Sens", f"{cell['Sens']!r} is not D (debit) or C (credit)")
            if direction in ("C", "-1"):
                return ZERO, amount
            return amount, ZERO
        return self._amount(number, cell, "Debit"), self._amount(number, cell, "Credit")

    def _amount(self, number: int, cell: dict, name: str) -> Decimal:
        try:
            return fec_amount(cell[name])
        except ValueError as exc:
            self.errors.add(number, name, str(exc))
            return ZERO

    def _date(self, number: int, cell: dict, name: str, *, required=False) -> date | None:
        text = cell[name]
        if not text:
            if required:
                self.errors.add(number, name, "a date is required (YYYYMMDD)")
            return None
        try:
            return fec_date(text)
        except ValueError as exc:
            self.errors.add(number, name, str(exc))
            return None

    def _customer_line(self, number: int, cell: dict, signed: Decimal) -> None:
        """Note a line of a customer account: its customer, piece, lettering and currency."""
        key = cell["CompAuxNum"] or cell["CompteNum"]
        name = (cell["CompAuxLib"] if cell["CompAuxNum"] else cell["CompteLib"]) or key
        if key not in self.customers:
            self.customers[key] = (number, name)
        errors_before = self.errors.total
        piece_date = self._date(number, cell, "PieceDate") or fec_date(cell["EcritureDate"])
        lettered_on = self._date(number, cell, "DateLet")
        lettering = cell["EcritureLet"]
        if lettering and lettered_on is None and cell["DateLet"] == "":
            self.errors.add(
                number, "DateLet", f"the line is lettered {lettering!r} but has no lettering date"
            )
        foreign = None
        currency = cell["Idevise"].upper()
        if currency and currency != self.entity.currency:
            foreign = self._amount(number, cell, "Montantdevise")
            if not foreign:
                self.errors.add(
                    number, "Montantdevise", f"an amount in {currency} is required with Idevise"
                )
        if self.errors.total > errors_before:
            return
        fact = (
            number,
            cell["JournalCode"],
            cell["JournalLib"],
            cell["PieceRef"],
            piece_date,
            signed,
            lettering,
            lettered_on,
            currency if foreign is not None else "",
            abs(foreign) if foreign is not None else None,
        )
        entry = (cell["JournalCode"], cell["EcritureNum"])
        self.customer_lines.setdefault(entry, {}).setdefault(key, []).append(fact)

    def _check_balance(self) -> None:
        for (journal, entry), (net, first, last) in self.entries.items():
            if net and (journal, entry) not in self.tainted:
                lines = f"line {first}" if first == last else f"lines {first}–{last}"
                side = "debit" if net > 0 else "credit"
                self.errors.add(
                    first,
                    "EcritureNum",
                    f"entry {journal} {entry} ({lines}) does not balance: {abs(net)} more on "
                    f"the {side} side",
                )

    def _records(self, records: Records) -> None:
        """The customers and items, once every line is known to be good."""
        records.customers = [
            (line, {"external_id": key, "name": name})
            for key, (line, name) in self.customers.items()
        ]
        pieces: dict[tuple[str, str], Piece] = {}  # (kind, number) -> piece
        for (journal, entry), by_customer in self.customer_lines.items():
            several = len(by_customer) > 1
            for customer, facts in by_customer.items():
                net = sum((fact[5] for fact in facts), ZERO)
                if not net:
                    continue  # the entry moves nothing on this account (a correction)
                kind = self._kind(net, facts[0][2], journal)
                if kind == ItemKind.PAYMENT:
                    number = f"{journal}-{entry}" + (f"-{customer}" if several else "")
                else:
                    number = facts[0][3] or f"{journal}-{entry}"
                self._add(pieces, kind, number, customer, facts)
        records.items = [
            (piece.first_line, self._item(kind, number, piece))
            for (kind, number), piece in pieces.items()
            if piece.net
        ]

    @staticmethod
    def _kind(net: Decimal, journal_label: str, journal: str) -> str:
        if net > 0:
            return ItemKind.INVOICE
        label = journal_label.lower()
        sales = journal.upper().startswith("V") or any(word in label for word in SALES_WORDS)
        return ItemKind.CREDIT_NOTE if sales else ItemKind.PAYMENT

    def _add(self, pieces: dict, kind: str, number: str, customer: str, facts: list) -> None:
        piece = pieces.get((kind, number))
        if piece is None:
            piece = pieces[(kind, number)] = Piece(customer, facts[0][0], facts[0][4])
        elif piece.customer != customer:
            self.errors.add(
                facts[0][0],
                "PieceRef",
                f"piece {number} is also booked on customer {piece.customer} "
                f"(line {piece.first_line}): one piece, one customer",
            )
            return
        for _line, _j, _l, _ref, _date, signed, lettering, lettered_on, currency, foreign in facts:
            piece.net += signed
            if currency:
                piece.currencies.add(currency)
                piece.foreign += foreign if signed > 0 else -foreign
            else:
                piece.currencies.add("")
            if lettering:
                if lettered_on and (piece.lettered_on is None or lettered_on > piece.lettered_on):
                    piece.lettered_on = lettered_on
            else:
                piece.open += signed
                if currency:
                    piece.foreign_open += foreign if signed > 0 else -foreign

    def _item(self, kind: str, number: str, piece: Piece) -> dict:
        """An item record as the items file would give it."""
        sign = 1 if piece.net > 0 else -1
        currency = self.entity.currency
        amount, open_amount = piece.net * sign, max(piece.open * sign, ZERO)
        if piece.currencies - {""}:
            if len(piece.currencies) > 1:
                self.errors.add(
                    piece.first_line,
                    "Idevise",
                    f"piece {number} mixes currencies ({', '.join(sorted(piece.currencies))})",
                )
            else:
                currency = next(iter(piece.currencies))
                amount = piece.foreign * sign
                open_amount = max(piece.foreign_open * sign, ZERO)
        open_amount = min(open_amount, amount)
        record = {
            "customer_external_id": piece.customer,
            "kind": kind,
            "number": number,
            "issue_date": piece.issue_date.isoformat(),
            "due_date": (
                (piece.issue_date + self.terms).isoformat() if kind == ItemKind.INVOICE else ""
            ),
            "amount": f"{amount:.2f}",
            "open_amount": f"{open_amount:.2f}",
            "currency": currency,
            "settled_on": (
                piece.lettered_on.isoformat() if not open_amount and piece.lettered_on else ""
            ),
        }
        return record


def read_fec_preview(path: Path, limit: int) -> tuple[list[str], list[list[str]]]:
    """The header and the first `limit` lines of a FEC, split into fields."""
    encoding, _lines = FecReader._encoding(path)
    with open(path, encoding=encoding, newline="") as handle:
        first = handle.readline().rstrip("\r\n")
        separator = "\t" if first.count("\t") >= first.count("|") else "|"
        rows = []
        for text in handle:
            if len(rows) >= limit:
                break
            if text.strip():
                rows.append(text.rstrip("\r\n").split(separator))
    return first.split(separator), rows
