"""The smart upload: a file whose columns are not Relance's own is matched to Relance's
fields from its headers (synonyms.py) and from what a sample of its values looks like
(dates, amounts, currencies, e-mails…); the user confirms or corrects the proposal, and the
file then goes through the usual importer as a `MappedTable`, its cells rewritten into the
forms the importer reads (ISO dates, amounts with a decimal point).

Plain functions over plain data: the views load the sample and the known customer codes,
and save the confirmed mapping (services.py)."""

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from dataclasses import field as default
from datetime import date, datetime
from pathlib import Path

from relance.core.validators import CURRENCIES
from relance.ledger.importers.readers import ImportFileError, Table, cell_text, normalise_column
from relance.ledger.importers.synonyms import (
    AMOUNT,
    COUNTRY,
    CURRENCY,
    CUSTOMER,
    DATE,
    EMAIL,
    FIELDS,
    FLAG,
    ID,
    KIND,
    KIND_SYNONYMS,
    LANGUAGE,
    PHONE,
    TEXT,
)

SAMPLE_ROWS = 200
DAY_FIRST, MONTH_FIRST = "dmy", "mdy"
DATE_ORDERS = (DAY_FIRST, MONTH_FIRST)
DECIMAL_COMMA, DECIMAL_POINT = ",", "."
DECIMAL_SEPARATORS = (DECIMAL_COMMA, DECIMAL_POINT)
PROPOSE_FROM = 0.35  # a lower score is no better than a guess: the column is left unmatched
SURE_FROM, LIKELY_FROM = 0.75, 0.5
# Types whose values say what the column is even without a helpful header.
TELLING_VALUES = {CURRENCY: 0.6, KIND: 0.6, EMAIL: 0.6, CUSTOMER: 0.55}
# Values that fit a field's type this badly make a header match doubtful.
STRICT_TYPES = {DATE, AMOUNT, CURRENCY, KIND, FLAG, EMAIL, COUNTRY, LANGUAGE, CUSTOMER}

STOP_WORDS = frozenset(
    "de du des d la le les l of the a der die das am im del el los las di da dei il lo".split()  # noqa: SIM905
)
NUMBER_SIGN = re.compile(r"\bn\s*\.?\s*[°º]", re.IGNORECASE)  # N°, Nº, n.º
NUMBER_WORDS = frozenset(["n", "no", "nr", "num", "nro", "numero", "number", "nummer"])
DATE_PATTERN = re.compile(
    r"(\d{1,4})[./\- ](\d{1,2})[./\- ](\d{2,4})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
AMOUNT_PATTERN = re.compile(r"[-+]?\d[\d\s\u00a0\u202f'.,]*")
AMOUNT_NOISE = re.compile(r"[\s\u00a0\u202f'€$£]|(?<=\d)\s*[A-Z]{3}$|^[A-Z]{3}\s*(?=\d)")
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
PHONE_PATTERN = re.compile(r"\+?[\d\s().\-/]{6,20}")
ID_PATTERN = re.compile(r"[\w./\-#]{1,50}")
FLAG_WORDS = frozenset(
    "1 0 true false yes no y n oui non o vrai faux x ja nein si sí vero falso".split()  # noqa: SIM905
)
FOREIGN_FLAGS = {"ja": "yes", "nein": "no", "si": "yes", "sí": "yes", "vero": "yes", "falso": "no"}
LANGUAGES = frozenset(["fr", "en", "de", "es", "it", "nl", "pt"])


def normalise_header(text) -> str:
    """`N° de facture`, `Nº factura` and `numero_fattura` all become plain lowercase words
    without accents or punctuation, number words folded into `no`, articles dropped."""
    text = NUMBER_SIGN.sub(" no ", cell_text(text)).replace("#", " no ")
    text = unicodedata.normalize("NFKD", text.replace("°", " ").replace("º", " "))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    words = ["no" if word in NUMBER_WORDS else word for word in words if word not in STOP_WORDS]
    return " ".join(words)


def header_signature(header: list[str]) -> str:
    """A key for "a file with these columns": the same headers give the same signature
    whatever their case or accents."""
    joined = "\x1f".join(normalise_header(name) for name in header)
    return hashlib.sha256(joined.encode()).hexdigest()


def kind_words() -> dict[str, str]:
    """Each way of writing an item kind, lowercased, to its kind."""
    words = {}
    for kind, names in KIND_SYNONYMS.items():
        for name in names:
            words[name.lower()] = kind
            words[normalise_header(name)] = kind
    return words


KIND_WORDS = kind_words()


def _synonym_index() -> dict[str, dict[str, list[tuple[str, ...]]]]:
    return {
        kind: {
            name: [tuple(normalise_header(s).split()) for s in [name, *synonyms]]
            for name, (_type, synonyms) in fields.items()
        }
        for kind, fields in FIELDS.items()
    }


SYNONYMS = _synonym_index()


def field_type(kind: str, name: str) -> str:
    return FIELDS[kind][name][0]


def header_score(kind: str, name: str, header: str) -> float:
    """1 when the header is one of the field's names; less when it contains one (`Montant
    TTC EUR`) or is part of one (`Code` in `currency code`); 0 when unrelated."""
    words = tuple(normalise_header(header).split())
    if not words:
        return 0.0
    best = 0.0
    for synonym in SYNONYMS[kind][name]:
        if not synonym:
            continue
        if words == synonym:
            return 1.0
        if set(synonym) <= set(words):
            best = max(best, 0.6 + 0.3 * len(synonym) / len(words))
        elif set(words) <= set(synonym):
            best = max(best, 0.2 + 0.3 * len(words) / len(synonym))
    return best


# --- what the values look like ---------------------------------------------------------


def split_date(value) -> tuple[int, int, int] | None:
    """The three numbers of a written date, year first when it has four digits first."""
    if type(value) is not str:
        return None
    found = DATE_PATTERN.fullmatch(value.strip())
    if found is None:
        return None
    a, b, c = found.groups()
    if len(a) == 4:
        return (int(a), int(b), int(c)) if len(c) <= 2 else None
    if len(c) not in (2, 4):
        return None
    return int(a), int(b), int(c)


def date_votes(value) -> set[str]:
    """The orders (DAY_FIRST, MONTH_FIRST) under which `value` is a valid date; both for a
    date cell, an ISO date or an ambiguous `03/04/2026`; empty when it is no date."""
    if isinstance(value, date | datetime):
        return set(DATE_ORDERS)
    parts = split_date(value)
    if parts is None:
        return set()
    if parts[0] > 31:  # year first: the order is fixed
        return set(DATE_ORDERS) if _valid(parts[0], parts[1], parts[2]) else set()
    a, b, year = parts
    year = year + 2000 if year < 100 else year
    orders = set()
    if _valid(year, b, a):
        orders.add(DAY_FIRST)
    if _valid(year, a, b):
        orders.add(MONTH_FIRST)
    return orders


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def decimal_vote(value) -> str | None:
    """The decimal separator an amount as written shows, None when it does not tell
    (`1234`, or `1.234` which is 1234 in Germany and 1.234 in England)."""
    if type(value) is not str:
        return None
    text = AMOUNT_NOISE.sub("", value.strip())
    comma, point = text.rfind(","), text.rfind(".")
    if comma >= 0 and point >= 0:
        return DECIMAL_COMMA if comma > point else DECIMAL_POINT
    last = max(comma, point)
    if last < 0:
        return None
    separator = text[last]
    if text.count(separator) > 1:  # 1.234.567: a thousands separator
        return DECIMAL_POINT if separator == "," else DECIMAL_COMMA
    return None if len(text) - last - 1 == 3 else separator


def is_amount(value) -> bool:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return True
    if type(value) is not str:
        return False
    text = AMOUNT_NOISE.sub("", value.strip())
    return bool(text) and AMOUNT_PATTERN.fullmatch(text) is not None


@dataclass
class Profile:
    """What a column's sample looks like: the share of its non-empty cells of each type."""

    filled: int = 0
    shares: dict[str, float] = default(default_factory=dict)
    samples: list[str] = default(default_factory=list)

    def share(self, kind: str) -> float:
        return self.shares.get(kind, 0.0)


def profile_column(values: list, known_customers: frozenset[str] = frozenset()) -> Profile:
    """Sniff a column's sample; `known_customers` are the entity's customer codes among all
    the sample's values (empty when the entity has none: the codes then tell nothing)."""
    cells = [value for value in values if cell_text(value)]
    profile = Profile(filled=len(cells))
    seen = []
    for value in cells:
        text = cell_text(value)
        if text not in seen and len(seen) < 3:
            seen.append(text)
    profile.samples = seen
    if not cells:
        return profile
    counts = dict.fromkeys((DATE, AMOUNT, CURRENCY, KIND, FLAG, EMAIL, PHONE, ID), 0)
    counts |= {COUNTRY: 0, LANGUAGE: 0, CUSTOMER: 0}
    for value in cells:
        text = cell_text(value)
        lowered = text.lower()
        counts[DATE] += bool(date_votes(value))
        counts[AMOUNT] += is_amount(value) and not date_votes(value)
        counts[CURRENCY] += text.upper() in CURRENCIES and len(text) == 3
        counts[KIND] += lowered in KIND_WORDS or normalise_header(text) in KIND_WORDS
        counts[FLAG] += lowered in FLAG_WORDS
        counts[EMAIL] += EMAIL_PATTERN.fullmatch(text) is not None
        counts[PHONE] += PHONE_PATTERN.fullmatch(text) is not None and text.count(" ") < 6
        counts[ID] += ID_PATTERN.fullmatch(text) is not None
        counts[COUNTRY] += len(text) == 2 and text.isalpha()
        counts[LANGUAGE] += lowered in LANGUAGES
        counts[CUSTOMER] += text in known_customers
    profile.shares = {kind: count / len(cells) for kind, count in counts.items()}
    return profile


def value_fit(kind_of_value: str, profile: Profile, customers_known: bool) -> float:
    """How well a column's values fit a field's type, from 0 to 1 (0.5: nothing to tell)."""
    if not profile.filled:
        return 0.5
    if kind_of_value == CUSTOMER:
        if customers_known:
            return profile.share(CUSTOMER)
        kind_of_value = ID
    if kind_of_value == ID:
        return max(profile.share(ID) - 0.5 * profile.share(DATE), 0.0)
    if kind_of_value == TEXT:
        return 0.7 * (1 - 0.7 * max(profile.share(DATE), profile.share(AMOUNT)))
    return profile.share(kind_of_value)


def pair_score(kind_of_value: str, header: float, fit: float, filled: bool) -> float:
    """A (column, field) pair's score from its header's match and its values' fit."""
    weight = TELLING_VALUES.get(kind_of_value)
    by_values = weight * fit if weight and filled and fit >= 0.8 else 0.0
    if header <= 0:
        return by_values
    score = header * (0.55 + 0.45 * fit)
    if kind_of_value in STRICT_TYPES and filled and fit < 0.5:
        score *= 0.5
    return max(score, by_values)


# --- the proposal ------------------------------------------------------------------------


@dataclass
class ColumnProposal:
    index: int
    header: str
    field: str = ""
    score: float = 0.0
    samples: list[str] = default(default_factory=list)

    @property
    def confidence(self) -> int:
        return round(min(self.score, 1.0) * 100)

    @property
    def level(self) -> str:
        if not self.field:
            return "none"
        if self.score >= SURE_FROM:
            return "sure"
        return "likely" if self.score >= LIKELY_FROM else "unsure"


@dataclass
class Proposal:
    kind: str
    columns: list[ColumnProposal]
    date_order: str = DAY_FIRST
    decimal_separator: str = DECIMAL_POINT
    saved: bool = False  # the entity's saved mapping for these headers

    @property
    def fields(self) -> list[str]:
        return [column.field for column in self.columns]


def propose(
    kind: str,
    header: list[str],
    rows: list[list],
    known_customers: frozenset[str] = frozenset(),
    customers_known: bool = False,
) -> Proposal:
    """Match each column of a file to at most one field and each field to at most one
    column, best pairs first; detect the date order and the decimal separator from the
    sample. `customers_known`: the entity has customers, so codes not among them count
    against a customer column."""
    fields = FIELDS[kind]
    columns = [ColumnProposal(index, cell_text(name)) for index, name in enumerate(header)]
    profiles = []
    for column in columns:
        values = [row[column.index] if column.index < len(row) else None for row in rows]
        profile = profile_column(values, known_customers)
        column.samples = profile.samples
        profiles.append((column, values, profile))
    pairs = []
    for column, _values, profile in profiles:
        for name, (kind_of_value, _synonyms) in fields.items():
            header_match = header_score(kind, name, column.header)
            fit = value_fit(kind_of_value, profile, customers_known)
            # Codes tell a customer column only if the entity has customers to know them by.
            scored_as = ID if kind_of_value == CUSTOMER and not customers_known else kind_of_value
            score = pair_score(scored_as, header_match, fit, bool(profile.filled))
            if score >= PROPOSE_FROM:
                pairs.append((score, header_match, column.index, name))
    taken: set[str] = set()
    for score, _header, index, name in sorted(pairs, key=lambda pair: (-pair[0], -pair[1])):
        column = columns[index]
        if column.field or name in taken:
            continue
        column.field, column.score = name, score
        taken.add(name)
    proposal = Proposal(kind, columns)
    typed = [(column, values) for column, values, _profile in profiles if column.field]
    proposal.date_order = detect_date_order(
        [v for column, values in typed if field_type(kind, column.field) == DATE for v in values]
    )
    proposal.decimal_separator = detect_decimal_separator(
        [v for column, values in typed if field_type(kind, column.field) == AMOUNT for v in values]
    )
    return proposal


def detect_date_order(values: list) -> str:
    """Day first unless some date can only be read month first (and none only day first)."""
    day_only = month_only = 0
    for value in values:
        orders = date_votes(value)
        day_only += orders == {DAY_FIRST}
        month_only += orders == {MONTH_FIRST}
    return MONTH_FIRST if month_only > day_only else DAY_FIRST


def detect_decimal_separator(values: list) -> str:
    """The separator most amounts that tell one show; a decimal point when none tells."""
    votes = [decimal_vote(value) for value in values]
    commas, points = votes.count(DECIMAL_COMMA), votes.count(DECIMAL_POINT)
    return DECIMAL_COMMA if commas > points else DECIMAL_POINT


def mapping_problems(kind: str, fields: list[str], required: tuple[str, ...]) -> list[str]:
    """What keeps a mapping from being imported, in words for the user (English here; the
    view translates): a field given to two columns, a required field given to none."""
    problems = []
    seen: dict[str, int] = {}
    for name in fields:
        if name:
            seen[name] = seen.get(name, 0) + 1
    for name, count in seen.items():
        if count > 1:
            problems.append(("twice", name))
    problems.extend(("missing", name) for name in required if name not in seen)
    return problems


# --- reading the file through the mapping ------------------------------------------------


def read_sample(path, file_name: str | None = None, limit: int = SAMPLE_ROWS):
    """The header as written and the first `limit` non-blank rows' cells."""
    with Table(Path(path), file_name) as table:
        rows = []
        for _number, cells, _problems in table.rows:
            if len(rows) >= limit:
                break
            rows.append(list(cells[: table.width]))
        return list(table.raw_header), rows


def file_header(path, file_name: str | None = None) -> list[str] | None:
    """The file's header as written, or None if the file cannot be read (the import then
    reports why, as for any file)."""
    try:
        with Table(Path(path), file_name) as table:
            return list(table.raw_header)
    except ImportFileError:
        return None


def has_relance_columns(header: list[str], required: tuple[str, ...], accepted=()) -> bool:
    """A file that names every required column Relance's way is imported as is; so is one
    whose columns are mostly Relance's (`accepted`), for its errors to say which column is
    missing or misspelt rather than to offer a matching."""
    names = [normalise_column(name) for name in header if cell_text(name)]
    if all(name in names for name in required):
        return True
    ours = sum(name in accepted or name.startswith("cf_") for name in names)
    return bool(names) and ours * 2 >= len(names)


def convert_date(value, order: str):
    """A written date as ISO text in the given order; anything else as it came (the
    importer then names the row and the reason)."""
    parts = split_date(value)
    if parts is None:
        return value
    a, b, c = parts
    if a > 31:
        year, month, day = a, b, c
    elif order == MONTH_FIRST:
        year, month, day = c, a, b
    else:
        year, month, day = c, b, a
    year = year + 2000 if year < 100 else year
    if not _valid(year, month, day):
        return value
    return f"{year:04d}-{month:02d}-{day:02d}"


def convert_amount(value, separator: str):
    """A written amount with a decimal point and no grouping; anything else as it came."""
    if type(value) is not str:
        return value
    text = AMOUNT_NOISE.sub("", value.strip())
    if separator == DECIMAL_COMMA:
        text = text.replace(".", "").replace(",", ".")
    else:
        text = text.replace(",", "")
    if re.fullmatch(r"-?\d+(\.\d+)?", text):
        return text
    return value


def convert_kind(value):
    if type(value) is not str:
        return value
    text = value.strip()
    return KIND_WORDS.get(text.lower()) or KIND_WORDS.get(normalise_header(text)) or value


def convert_flag(value):
    """Yes and no in German, Spanish and Italian, as the importer's `yes`/`no`."""
    if type(value) is not str:
        return value
    return FOREIGN_FLAGS.get(value.strip().lower(), value)


@dataclass
class ColumnMapping:
    """A confirmed mapping: the field of each column of the file (\"\" to ignore it), in
    the file's order, with how its dates and amounts are written."""

    fields: list[str]
    date_order: str = DAY_FIRST
    decimal_separator: str = DECIMAL_POINT

    @classmethod
    def from_data(cls, data: dict) -> "ColumnMapping":
        return cls(
            fields=list(data["fields"]),
            date_order=data.get("date_order", DAY_FIRST),
            decimal_separator=data.get("decimal_separator", DECIMAL_POINT),
        )

    def as_data(self) -> dict:
        return {
            "fields": self.fields,
            "date_order": self.date_order,
            "decimal_separator": self.decimal_separator,
        }


class MappedTable:
    """An open import file read through a mapping: its header is the mapped fields, its
    rows their cells in the importer's forms, so the importer checks them like any file.
    `labels` maps each field to its column's header, for the error messages."""

    def __init__(self, table: Table, kind: str, mapping: ColumnMapping):
        if len(mapping.fields) != table.width:
            raise ImportFileError(
                f"the file has {table.width} columns but the mapping {len(mapping.fields)}: "
                "match its columns again"
            )
        self.table = table
        self.total = table.total
        self.header_row = 1
        picks = [(index, name) for index, name in enumerate(mapping.fields) if name]
        self.header = [name for _index, name in picks]
        self.labels = {name: cell_text(table.raw_header[index]) for index, name in picks}
        self._by_file_column = {table.header[index]: name for index, name in picks}
        self._cells = [(index, self._converter(kind, name, mapping)) for index, name in picks]

    @staticmethod
    def _converter(kind: str, name: str, mapping: ColumnMapping):
        kind_of_value = field_type(kind, name)
        if kind_of_value == DATE:
            return lambda value: convert_date(value, mapping.date_order)
        if kind_of_value == AMOUNT:
            return lambda value: convert_amount(value, mapping.decimal_separator)
        if kind_of_value == KIND:
            return convert_kind
        if kind_of_value == FLAG:
            return convert_flag
        return None

    @property
    def rows(self):
        for number, cells, problems in self.table.rows:
            if problems:
                problems = [(self._by_file_column.get(col, col), why) for col, why in problems]
            mapped = []
            for index, convert in self._cells:
                value = cells[index] if index < len(cells) else None
                mapped.append(convert(value) if convert and value is not None else value)
            yield number, mapped, problems

    def label(self, column: str) -> str:
        """An error's column as the user knows it: `due_date (Fälligkeitsdatum)`."""
        header = self.labels.get(column)
        return f"{column} ({header})" if header and header != column else column
