"""Set-based matching of credit lines to open items. The lines' candidate references are
written to a temporary table and joined against the items in one statement, whatever the
number of lines; the payers' IBANs and the identified customers' open items are read in
chunks. The decisions are then a pure function over plain rows (`decide`)."""

import itertools
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from stdnum import iso11649

from relance.banking.choices import LineStatus, MatchReason, SuggestionBasis
from relance.ledger.choices import ItemKind
from relance.ledger.models import NUMBER_SEPARATORS

# Item numbers compare without case and without these separators, on both sides; the SQL
# form is that of the index `item_number_normalised` (ledger/models.py), which the join
# of the candidate tokens to the items walks.
SEPARATORS = NUMBER_SEPARATORS
WORD = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9\-/._]*[A-Za-z0-9])?")
RF_IN_TEXT = re.compile(r"\bRF\s?\d{2}(?:\s?[A-Z0-9]{1,4}){1,6}\b", re.IGNORECASE)
# A combination of a customer's items is looked for among at most this many of its
# oldest open items, of at most this many items: bounded work per line.
COMBINATION_POOL = 12
COMBINATION_SIZE = 5
CHUNK = 900


def normalise(text: str) -> str:
    return text.upper().translate(str.maketrans("", "", SEPARATORS))


def normalised_sql(column: str) -> str:
    """The same normalisation in SQL (PostgreSQL and SQLite alike)."""
    expression = column
    for char in SEPARATORS:
        expression = f"REPLACE({expression}, '{char}', '')"
    return f"UPPER({expression})"


def creditor_references(reference: str, text: str) -> list[str]:
    """The valid ISO 11649 references ("RF18539007547034") in the structured reference
    and the text; a reference that fails its check digits is no reference."""
    found = []
    for raw in [reference, *RF_IN_TEXT.findall(text or "")]:
        compact = re.sub(r"\s", "", raw or "").upper()
        if compact.startswith("RF") and iso11649.is_valid(compact):
            found.append(compact)
    return list(dict.fromkeys(found))


def number_tokens(text: str) -> tuple[set[str], set[str]]:
    """Candidate item numbers in free text: each word with a digit (first set), and two or
    three adjacent words run together ("INV 2026 0042"), tried only when no word alone
    matches (second set)."""
    words = [normalise(word) for word in WORD.findall(text or "")]
    single = {word for word in words if len(word) >= 3 and any(c.isdigit() for c in word)}
    joined = set()
    for size in (2, 3):
        for index in range(len(words) - size + 1):
            token = "".join(words[index : index + size])
            if len(token) >= 4 and any(c.isdigit() for c in token) and token not in single:
                joined.add(token)
    return single, joined


@dataclass
class Line:
    id: int
    amount: Decimal
    currency: str
    iban: str = ""
    reference: str = ""
    remittance: str = ""
    name: str = ""  # the payer's name, read only for suggestions


@dataclass
class Hit:
    item_id: int
    customer_id: int
    open_amount: Decimal
    currency: str
    reason: str
    rank: int  # 0 reference, 1 number, 2 run-together words


@dataclass
class OpenItem:
    id: int
    customer_id: int
    open_amount: Decimal
    currency: str


@dataclass
class Decision:
    line_id: int
    status: str
    customer_id: int | None = None
    reason: str = ""
    # item id → amount paid; the amount left becomes unapplied credit of the customer
    pays: dict[int, Decimal] = field(default_factory=dict)
    unapplied: Decimal = Decimal("0.00")
    suggested: list[int] = field(default_factory=list)


# Reading -------------------------------------------------------------------------------


def _token_rows(lines: list[Line]) -> list[tuple]:
    """(line id, token, customer number prefix, kind, rank) to join against the items."""
    rows = []
    for line in lines:
        for ref in creditor_references(line.reference, line.remittance):
            body = ref[4:]
            # The body is the customer's number then the item's (payments/services.py:
            # creditor_reference): every split is tried, the join keeps the true one.
            for cut in range(1, len(body)):
                rows.append((line.id, body[cut:], body[:cut], "r", 0))
            rows.append((line.id, body, "", "c", 0))
        structured = "" if line.reference.upper().startswith("RF") else line.reference
        single, joined = number_tokens(f"{structured} {line.remittance}")
        rows += [(line.id, token, "", "n", 1) for token in single]
        rows += [(line.id, token, "", "n", 2) for token in joined]
    return rows


def _write_tokens(cursor, table: str, rows: list[tuple]) -> None:
    cursor.execute(
        f"CREATE TEMPORARY TABLE {table} (line_id integer, token varchar(200), "
        "prefix varchar(50), kind char(1), rank smallint)"
    )
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(
            f"COPY {table} (line_id, token, prefix, kind, rank) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(f"ANALYZE {table}")
    else:
        cursor.executemany(f"INSERT INTO {table} VALUES (%s, %s, %s, %s, %s)", rows)


def find_hits(entity_id: int, lines: list[Line]) -> tuple[dict, dict]:
    """Items named by each line (by creditor reference or number), and customers named by
    a reference without an item: two joins over a temporary table of candidate tokens."""
    table = f"bank_tokens_{uuid.uuid4().hex[:12]}"
    hits: dict[int, list[Hit]] = defaultdict(list)
    customers: dict[int, set[int]] = defaultdict(set)
    rows = _token_rows(lines)
    if not rows:
        return hits, customers
    with connection.cursor() as cursor:
        _write_tokens(cursor, table, rows)
        try:
            for line_id, kind, rank, item_id, customer_id, open_amount, currency in _named(
                cursor, table, entity_id, rows
            ):
                reason = MatchReason.REFERENCE if kind == "r" else MatchReason.NUMBER
                # str(): SQLite answers a float for a decimal column read by raw SQL.
                hits[line_id].append(
                    Hit(item_id, customer_id, Decimal(str(open_amount)), currency, reason, rank)
                )
            cursor.execute(
                f"""
                SELECT t.line_id, c.id FROM {table} t
                JOIN customers_customer c ON {normalised_sql("c.external_id")} = t.token
                WHERE c.entity_id = %s AND t.kind = 'c'
                """,
                [entity_id],
            )
            for line_id, customer_id in cursor:
                customers[line_id].add(customer_id)
        finally:
            cursor.execute(f"DROP TABLE {table}")
    _customers_by_id(entity_id, rows, customers)
    return hits, customers


def _named(cursor, table: str, entity_id: int, rows: list[tuple]):
    """(line id, kind, rank, item id, customer id, open amount, currency) of the open
    invoices the tokens name, each found by a probe of the index `item_number_normalised`
    (ledger/models.py). On PostgreSQL, the tokens' table joined to a LATERAL subquery (kept
    apart by OFFSET 0): as a plain join the planner, expecting an item per token, hashes
    the whole ledger instead (2.1 s against 0.5 s at 1,000,000 items and 47,000 tokens,
    measured). SQLite uses an index on an expression against constants only, never in a
    join (it scanned every token for each item: 1,000 lines against 20,000 items, 168 s):
    the distinct tokens are looked up by chunks of `IN (...)`, and joined here."""
    items = f"""
        i.entity_id = %s AND i.kind = %s AND i.open_amount > 0
        AND {normalised_sql("i.number")}"""
    if connection.vendor == "postgresql":
        cursor.execute(
            f"""
            SELECT t.line_id, t.kind, t.rank, i.id, i.customer_id, i.open_amount, i.currency
            FROM {table} t CROSS JOIN LATERAL (
                SELECT i.id, i.customer_id, i.open_amount, i.currency FROM ledger_item i
                WHERE {items} = t.token OFFSET 0
            ) i
            JOIN customers_customer c ON c.id = i.customer_id
            WHERE t.kind IN ('r', 'n')
              AND (t.kind = 'n' OR {normalised_sql("c.external_id")} = t.prefix)
            """,
            [entity_id, ItemKind.INVOICE],
        )
        yield from cursor.fetchall()
        return
    found = defaultdict(list)
    tokens = sorted({row[1] for row in rows if row[3] in ("r", "n")})
    for start in range(0, len(tokens), CHUNK):
        chunk = tokens[start : start + CHUNK]
        cursor.execute(
            f"""
            SELECT {normalised_sql("i.number")}, i.id, i.customer_id, i.open_amount,
                   i.currency, {normalised_sql("c.external_id")}
            FROM ledger_item i JOIN customers_customer c ON c.id = i.customer_id
            WHERE {items} IN ({", ".join(["%s"] * len(chunk))})
            """,
            [entity_id, ItemKind.INVOICE, *chunk],
        )
        for number, *item in cursor.fetchall():
            found[number].append(item)
    for line_id, token, prefix, kind, rank in rows:
        if kind not in ("r", "n"):
            continue
        for item_id, customer_id, open_amount, currency, customer_number in found[token]:
            if kind == "n" or customer_number == prefix:
                yield line_id, kind, rank, item_id, customer_id, open_amount, currency


def _customers_by_id(entity_id: int, rows: list[tuple], customers: dict) -> None:
    """References built on `C<customer id>` (customers whose number does not fit)."""
    from relance.customers.models import Customer

    wanted = defaultdict(set)
    for line_id, token, _prefix, kind, _rank in rows:
        if kind == "c" and re.fullmatch(r"C\d{1,18}", token):
            wanted[int(token[1:])].add(line_id)
    ids = sorted(wanted)
    for start in range(0, len(ids), CHUNK):
        found = Customer.objects.filter(entity_id=entity_id, pk__in=ids[start : start + CHUNK])
        for pk in found.values_list("pk", flat=True):
            for line_id in wanted[pk]:
                customers[line_id].add(pk)


def customers_by_iban(entity_id: int, ibans: set[str]) -> dict[str, set[int]]:
    from relance.banking.models import PayerAccount

    found: dict[str, set[int]] = defaultdict(set)
    ibans = sorted(ibans)
    for start in range(0, len(ibans), CHUNK):
        rows = PayerAccount.objects.filter(
            entity_id=entity_id, iban__in=ibans[start : start + CHUNK]
        ).values_list("iban", "customer_id")
        for iban, customer_id in rows:
            found[iban].add(customer_id)
    return found


def open_items_of(entity_id: int, customer_ids: set[int]) -> dict[int, list[OpenItem]]:
    """Each customer's open invoices, oldest due first."""
    from relance.ledger.models import Item

    items: dict[int, list[OpenItem]] = defaultdict(list)
    ids = sorted(customer_ids)
    for start in range(0, len(ids), CHUNK):
        rows = (
            Item.objects.filter(
                entity_id=entity_id,
                customer_id__in=ids[start : start + CHUNK],
                kind=ItemKind.INVOICE,
                open_amount__gt=0,
            )
            .order_by("customer_id", "due_date", "id")
            .values_list("id", "customer_id", "open_amount", "currency")
        )
        for row in rows:
            items[row[1]].append(OpenItem(*row))
    return items


# Deciding (pure) --------------------------------------------------------------------------


def _one(values: set):
    return next(iter(values)) if len(values) == 1 else None


def _combination(items: list[OpenItem], amount: Decimal) -> tuple[list[list[int]], bool]:
    """Combinations (2 to COMBINATION_SIZE items) of the oldest open items summing to
    `amount`: at most two are looked for, enough to know whether one is unique."""
    pool = [item for item in items if item.open_amount < amount][:COMBINATION_POOL]
    found = []
    for size in range(2, min(COMBINATION_SIZE, len(pool)) + 1):
        for combo in itertools.combinations(pool, size):
            if sum(item.open_amount for item in combo) == amount:
                found.append([item.id for item in combo])
                if len(found) > 1:
                    return found, False
    return found, len(found) == 1


def decide_by_hits(line: Line, hits: list[Hit]) -> Decision:
    best = min(hit.rank for hit in hits)
    chosen = {hit.item_id: hit for hit in hits if hit.rank == best}
    reason = min(chosen.values(), key=lambda hit: hit.reason != MatchReason.REFERENCE).reason
    items = sorted(chosen.values(), key=lambda hit: hit.item_id)
    customer_id = _one({hit.customer_id for hit in items})
    ids = [hit.item_id for hit in items]
    if customer_id is None or any(hit.currency != line.currency for hit in items):
        return Decision(line.id, LineStatus.SUGGESTED, suggested=ids, reason=reason)
    total = sum((hit.open_amount for hit in items), Decimal("0.00"))
    if line.amount >= total:
        return Decision(
            line.id,
            LineStatus.MATCHED,
            customer_id=customer_id,
            reason=reason,
            pays={hit.item_id: hit.open_amount for hit in items},
            unapplied=line.amount - total,
        )
    if len(items) == 1:  # less than the one item named: a partial payment of it
        return Decision(
            line.id,
            LineStatus.MATCHED,
            customer_id=customer_id,
            reason=reason,
            pays={items[0].item_id: line.amount},
        )
    return Decision(
        line.id, LineStatus.SUGGESTED, customer_id=customer_id, reason=reason, suggested=ids
    )


def decide_by_customer(line: Line, customer_id: int, items: list[OpenItem]) -> Decision:
    items = [item for item in items if item.currency == line.currency]
    equal = [item.id for item in items if item.open_amount == line.amount]
    if len(equal) == 1:
        return Decision(
            line.id,
            LineStatus.MATCHED,
            customer_id=customer_id,
            reason=MatchReason.AMOUNT,
            pays={equal[0]: line.amount},
        )
    if equal:
        return Decision(
            line.id,
            LineStatus.SUGGESTED,
            customer_id=customer_id,
            reason=MatchReason.AMOUNT,
            suggested=equal,
        )
    combos, unique = _combination(items, line.amount)
    if unique:
        by_id = {item.id: item for item in items}
        return Decision(
            line.id,
            LineStatus.MATCHED,
            customer_id=customer_id,
            reason=MatchReason.COMBINATION,
            pays={pk: by_id[pk].open_amount for pk in combos[0]},
        )
    if combos:
        return Decision(
            line.id,
            LineStatus.SUGGESTED,
            customer_id=customer_id,
            reason=MatchReason.COMBINATION,
            suggested=combos[0],
        )
    return Decision(line.id, LineStatus.SUGGESTED, customer_id=customer_id)


def decide(
    lines: list[Line],
    hits: dict[int, list[Hit]],
    ref_customers: dict[int, set[int]],
    iban_customers: dict[str, set[int]],
    customer_items: dict[int, list[OpenItem]],
) -> list[Decision]:
    """What to do with each line. An item is paid by one line of the statement at most: a
    second line that names it is left for a person to check."""
    decisions = []
    claimed: set[int] = set()
    for line in lines:
        decision = None
        if hits.get(line.id):
            decision = decide_by_hits(line, hits[line.id])
        else:
            customer_id = line_customer(line, ref_customers, iban_customers)
            if customer_id is not None:
                items = customer_items.get(customer_id, [])
                decision = decide_by_customer(line, customer_id, items)
        decision = decision or Decision(line.id, LineStatus.UNMATCHED)
        if decision.status == LineStatus.MATCHED:
            if claimed & decision.pays.keys():
                decision = Decision(
                    line.id,
                    LineStatus.SUGGESTED,
                    customer_id=decision.customer_id,
                    reason=decision.reason,
                    suggested=list(decision.pays),
                )
            else:
                claimed |= decision.pays.keys()
        decisions.append(decision)
    return decisions


def line_customer(line: Line, ref_customers, iban_customers) -> int | None:
    """The one customer a line names by reference, else by its payer's IBAN."""
    return _one(ref_customers.get(line.id, set())) or (
        _one(iban_customers.get(line.iban, set())) if line.iban else None
    )


def match(entity_id: int, lines: list[Line]) -> list[Decision]:
    """Decisions for `lines` (credits of one entity), reading in a fixed number of queries."""
    hits, ref_customers = find_hits(entity_id, lines)
    iban_customers = customers_by_iban(entity_id, {line.iban for line in lines if line.iban})
    wanted = {
        customer_id
        for line in lines
        if not hits.get(line.id)
        and (customer_id := line_customer(line, ref_customers, iban_customers)) is not None
    }
    customer_items = open_items_of(entity_id, wanted)
    return decide(lines, hits, ref_customers, iban_customers, customer_items)


# Suggesting (for the reconciliation screen) ------------------------------------------------

# What a suggestion rests on, strongest first: its rank orders a line's suggestions. The
# payer is the customer named by the line's reference or IBAN; a customer found by the
# payer's name ranks one below.
RANK = {
    SuggestionBasis.REFERENCE: 0,
    SuggestionBasis.NUMBER: 1,
    SuggestionBasis.PAYER_AMOUNT: 3,
    SuggestionBasis.PAYER_SUM: 3,
    SuggestionBasis.NAME_AMOUNT: 4,
    SuggestionBasis.PAYER_OLDEST: 5,
    SuggestionBasis.NAME_OLDEST: 6,
    SuggestionBasis.AMOUNT: 7,
}
SUGGESTIONS_PER_LINE = 4
NAME_WORD = re.compile(r"[^\W\d_]{3,}")
# Words of a payer's name that say nothing about who it is.
NAME_STOPWORDS = frozenset(
    [
        "SAS",
        "SARL",
        "EURL",
        "SCI",
        "SNC",
        "LTD",
        "LLC",
        "GMBH",
        "INC",
        "CIE",
        "THE",
        "AND",
        "ETS",
        "STE",
        "SOC",
        "STE",
        "ETABLISSEMENTS",
    ]
)
AMOUNT_ITEMS_LIMIT = 2000
NAME_CUSTOMERS_LIMIT = 500
NAME_WORD_MAX_CUSTOMERS = 5
NAME_MATCHES = 3


@dataclass
class Suggestion:
    customer_id: int
    pays: dict[int, Decimal]  # item id → amount to allocate; the rest becomes unapplied credit
    basis: str
    rank: int

    @classmethod
    def of(cls, customer_id: int, pays: dict, basis: str, *, rank: int | None = None):
        return cls(customer_id, pays, basis, RANK[basis] if rank is None else rank)


def name_words(name: str) -> set[str]:
    return {
        word
        for word in (w.upper() for w in NAME_WORD.findall(name or ""))
        if word not in NAME_STOPWORDS
    }


def customers_by_name(entity_id: int, lines: list[Line]) -> dict[int, set[int]]:
    """Customers whose name shares words with a line's payer name, for all `lines` in one
    query (at most NAME_CUSTOMERS_LIMIT customers read). A word many customers' names hold
    ("GARAGE", "CLIENT") tells nothing and is left out; a line keeps the NAME_MATCHES
    customers sharing the most words with it."""
    from django.db.models import Q

    from relance.customers.models import Customer

    words = set().union(*(name_words(line.name) for line in lines)) if lines else set()
    found: dict[int, set[int]] = defaultdict(set)
    if not words:
        return found
    condition = Q()
    for word in sorted(words)[:CHUNK]:
        condition |= Q(name__icontains=word)
    rows = (
        Customer.objects.filter(condition, entity_id=entity_id)
        .order_by("id")
        .values_list("id", "name")[:NAME_CUSTOMERS_LIMIT]
    )
    customer_words = {pk: name_words(name) & words for pk, name in rows}
    holders = defaultdict(int)
    for held in customer_words.values():
        for word in held:
            holders[word] += 1
    telling = {word for word, count in holders.items() if count <= NAME_WORD_MAX_CUSTOMERS}
    for line in lines:
        wanted = name_words(line.name) & telling
        shared = [(len(wanted & held), pk) for pk, held in customer_words.items() if wanted & held]
        best = sorted(shared, key=lambda pair: (-pair[0], pair[1]))[:NAME_MATCHES]
        found[line.id] = {pk for _count, pk in best}
    return found


def open_items_by_amount(entity_id: int, lines: list[Line]) -> dict[tuple, list[OpenItem]]:
    """Open invoices of the entity whose open amount is a line's amount, by (amount,
    currency): one query per chunk of amounts."""
    from relance.ledger.models import Item

    found: dict[tuple, list[OpenItem]] = defaultdict(list)
    amounts = sorted({line.amount for line in lines})
    currencies = {line.currency for line in lines}
    for start in range(0, len(amounts), CHUNK):
        rows = (
            Item.objects.filter(
                entity_id=entity_id,
                kind=ItemKind.INVOICE,
                open_amount__in=amounts[start : start + CHUNK],
                currency__in=currencies,
            )
            .order_by("due_date", "id")
            .values_list("id", "customer_id", "open_amount", "currency")[:AMOUNT_ITEMS_LIMIT]
        )
        for row in rows:
            item = OpenItem(*row)
            found[(item.open_amount, item.currency)].append(item)
    return found


def _fill(items: list, amount: Decimal) -> dict[int, Decimal]:
    """`amount` spread over `items` (with `item_id`/`id` and `open_amount`) in their order:
    each paid at most its open amount, until the amount is spent."""
    pays, left = {}, amount
    for item in items:
        if left <= 0:
            break
        pk = item.item_id if isinstance(item, Hit) else item.id
        pays[pk] = min(item.open_amount, left)
        left -= pays[pk]
    return pays


def rank_suggestions(
    line: Line,
    hits: list[Hit],
    named: set[int],
    by_name: set[int],
    customer_items: dict[int, list[OpenItem]],
    amount_items: list[OpenItem],
    *,
    limit: int = SUGGESTIONS_PER_LINE,
) -> list[Suggestion]:
    """What `line` could pay, best first (pure): the items its reference or text names,
    then those of the customers its reference, IBAN or payer name points to whose amount
    fits (one item of the line's amount, a unique combination, else the oldest ones), then
    any item of exactly the line's amount."""
    found: list[Suggestion] = []
    by_customer: dict[int, list[Hit]] = defaultdict(list)
    for hit in sorted(hits, key=lambda hit: (hit.rank, hit.item_id)):
        if hit.currency == line.currency:
            by_customer[hit.customer_id].append(hit)
    for customer_id, customer_hits in by_customer.items():
        best = customer_hits[0].rank  # 0 reference, 1 number, 2 words run together
        chosen = list({hit.item_id: hit for hit in customer_hits if hit.rank == best}.values())
        basis = SuggestionBasis(chosen[0].reason)
        found.append(Suggestion.of(customer_id, _fill(chosen, line.amount), basis, rank=best))
    for customer_id in sorted(named | by_name):
        payer = customer_id in named
        items = [i for i in customer_items.get(customer_id, []) if i.currency == line.currency]
        equal = [item for item in items if item.open_amount == line.amount]
        basis = SuggestionBasis.PAYER_AMOUNT if payer else SuggestionBasis.NAME_AMOUNT
        found += [Suggestion.of(customer_id, {item.id: line.amount}, basis) for item in equal]
        # Combinations are looked for among the payer's invoices only, as the matching
        # does: a name is too weak a clue to spend that work on.
        combos = _combination(items, line.amount)[0] if payer and not equal else []
        by_id = {item.id: item for item in items}
        basis = SuggestionBasis.PAYER_SUM
        for combo in combos:
            found.append(
                Suggestion.of(customer_id, {pk: by_id[pk].open_amount for pk in combo}, basis)
            )
        if items and not equal and not combos:
            basis = SuggestionBasis.PAYER_OLDEST if payer else SuggestionBasis.NAME_OLDEST
            found.append(Suggestion.of(customer_id, _fill(items, line.amount), basis))
    for item in amount_items:
        if item.currency == line.currency:
            pays = {item.id: line.amount}
            found.append(Suggestion.of(item.customer_id, pays, SuggestionBasis.AMOUNT))
    unique: dict[frozenset, Suggestion] = {}
    for suggestion in sorted(found, key=lambda s: s.rank):
        unique.setdefault(frozenset(suggestion.pays), suggestion)
    return [s for s in unique.values() if s.pays][:limit]


def suggest(entity_id: int, lines: list[Line]) -> dict[int, list[Suggestion]]:
    """Ranked suggestions for each of `lines` (the lines of one page of the reconciliation
    screen), read in a fixed number of queries whatever the number of lines."""
    hits, ref_customers = find_hits(entity_id, lines)
    iban_customers = customers_by_iban(entity_id, {line.iban for line in lines if line.iban})
    named = {
        line.id: set(ref_customers.get(line.id, set()))
        | (iban_customers.get(line.iban, set()) if line.iban else set())
        for line in lines
    }
    by_name = customers_by_name(entity_id, lines)
    wanted = set().union(*named.values(), *by_name.values()) if lines else set()
    customer_items = open_items_of(entity_id, wanted)
    amount_items = open_items_by_amount(entity_id, lines)
    return {
        line.id: rank_suggestions(
            line,
            hits.get(line.id, []),
            named[line.id],
            by_name.get(line.id, set()),
            customer_items,
            amount_items.get((line.amount, line.currency), []),
        )
        for line in lines
    }
