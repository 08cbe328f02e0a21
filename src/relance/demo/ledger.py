"""A customer's year of invoices, credit notes and payments, drawn from its payment habits.

Each customer is drawn from its own random stream in two steps. `sketch` draws only what
numbering needs (the kinds and dates of its items); `items` goes on from there. The command
sketches every customer first to count the items of each day, so that numbers follow dates as
French law wants (FA-2026-000123 is issued after FA-2026-000122), without holding a million
items in memory. Items are plain rows (`ItemRow`), not model instances: building a million
`Item` objects alone takes longer than writing them.
"""

import math
import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from relance.demo import fakes, words
from relance.ledger.choices import ItemKind

CATEGORIES = {  # category: (weight, invoices a year (low, high), median amount, payment terms)
    "Key account": (10, (24, 52), 6_000, (60, 45, 60)),
    "SME": (55, (4, 14), 1_400, (30, 45, 30, 60)),
    "Public sector": (12, (4, 12), 2_500, (30,)),
    "Retail": (23, (6, 20), 450, (30, 30, 45)),
}
BEHAVIOURS = {"good": 50, "average": 35, "bad": 15}
PREFIXES = {
    "FR": {ItemKind.INVOICE: "FA", ItemKind.CREDIT_NOTE: "AV", ItemKind.PAYMENT: "RG"},
    "GB": {ItemKind.INVOICE: "INV", ItemKind.CREDIT_NOTE: "CN", ItemKind.PAYMENT: "PAY"},
}
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Profile:
    category: str
    behaviour: str
    terms: int
    first_day: date  # of the year's invoices: later than a year ago for new customers


@dataclass
class Sketch:
    invoice_dates: list[date]
    credit_notes: list[tuple[int, date]]  # (index of the invoice it credits, issue date)
    payment_dates: list[date]

    def dated_kinds(self):
        yield from ((ItemKind.INVOICE, day) for day in self.invoice_dates)
        yield from ((ItemKind.CREDIT_NOTE, day) for _index, day in self.credit_notes)
        yield from ((ItemKind.PAYMENT, day) for day in self.payment_dates)


def profile(rng: random.Random, today: date) -> Profile:
    category = rng.choices(list(CATEGORIES), [spec[0] for spec in CATEGORIES.values()])[0]
    behaviours = dict(BEHAVIOURS)
    if category == "Public sector":  # slow but sure
        behaviours.update(good=30, average=65, bad=5)
    behaviour = rng.choices(list(behaviours), list(behaviours.values()))[0]
    terms = rng.choice(CATEGORIES[category][3])
    is_new = rng.random() < 0.15
    first_day = today - timedelta(days=rng.randint(20, 330) if is_new else 364)
    return Profile(category, behaviour, terms, first_day)


def sketch(rng: random.Random, profile: Profile, today: date) -> Sketch:
    low, high = CATEGORIES[profile.category][1]
    start = profile.first_day
    share_of_year = ((today - start).days + 1) / 365
    count = max(1, round(rng.randint(low, high) * share_of_year))
    invoice_dates = sorted(
        _working_day(fakes.day_between(rng, start, today), start) for _ in range(count)
    )
    credit_notes = [
        (index, _working_day(min(today, day + timedelta(days=rng.randint(3, 40))), day))
        for index, day in enumerate(invoice_dates)
        if rng.random() < 0.035
    ]
    payment_dates = [today - timedelta(days=rng.randint(0, 60))] if rng.random() < 0.05 else []
    return Sketch(invoice_dates, credit_notes, payment_dates)


def _working_day(day: date, earliest: date) -> date:
    """Companies invoice on weekdays: a weekend day moves to the Friday before, or to the
    Monday after if the Friday is too early."""
    if day.weekday() < 5:
        return day
    friday = day - timedelta(days=day.weekday() - 4)
    return friday if friday >= earliest else day + timedelta(days=7 - day.weekday())


class Numbering:
    """Item numbers per entity, kind and year that follow issue dates: count every day's
    items first (`count`), then hand out numbers (`next`)."""

    def __init__(self, prefixes: dict[str, str]):
        self.prefixes = prefixes
        self.per_day: Counter[tuple[str, int]] = Counter()
        self.next_of_day: dict[tuple[str, int], int] = {}

    def count(self, kind: str, day: date) -> None:
        self.per_day[kind, day.toordinal()] += 1

    def freeze(self) -> None:
        issued: Counter[tuple[str, int]] = Counter()  # (kind, year): numbers handed out so far
        first_years: dict[str, int] = {}
        for kind, ordinal in sorted(self.per_day):
            day = date.fromordinal(ordinal)
            if first_years.setdefault(kind, day.year) == day.year and not issued[kind, day.year]:
                issued[kind, day.year] = self._issued_before(kind, day)
            self.next_of_day[kind, ordinal] = issued[kind, day.year] + 1
            issued[kind, day.year] += self.per_day[kind, ordinal]

    def _issued_before(self, kind: str, first: date) -> int:
        """The numbers the company used in `first`'s year before the demo's first item, at
        the demo's daily rate, so that the first year does not start at 000001 in November."""
        in_year = [
            (ordinal, count)
            for (item_kind, ordinal), count in self.per_day.items()
            if item_kind == kind and date.fromordinal(ordinal).year == first.year
        ]
        days = max(ordinal for ordinal, _count in in_year) - first.toordinal() + 1
        rate = sum(count for _ordinal, count in in_year) / max(days, 30)
        return round(rate * (first - date(first.year, 1, 1)).days)

    def next(self, kind: str, day: date) -> str:
        key = (kind, day.toordinal())
        sequence = self.next_of_day[key]
        self.next_of_day[key] = sequence + 1
        return f"{self.prefixes[kind]}-{day.year}-{sequence:06d}"


@dataclass(frozen=True)
class Account:
    """What `items` needs to know about the customer."""

    entity_id: int
    customer_id: int
    currency: str
    language: str
    profile: Profile
    sketch: Sketch


class ItemRow(NamedTuple):
    """One row of the items table, named by `Item` attribute; the other columns take their
    model defaults when `bulk.insert_rows` writes it."""

    entity_id: int
    customer_id: int
    kind: str
    number: str
    issue_date: date
    due_date: date
    amount: Decimal
    open_amount: Decimal
    currency: str
    disputed: bool = False
    dispute_reason: str = ""
    dispute_date: date | None = None
    promise_date: date | None = None
    blocked: bool = False
    settled_on: date | None = None


def _money(value: float) -> Decimal:
    return Decimal(max(1, round(value * 100))).scaleb(-2)


def _part(amount: Decimal, low: float, high: float, rng: random.Random) -> Decimal:
    return min(amount - CENT, max(CENT, _money(float(amount) * rng.uniform(low, high))))


def _payment_delay(rng: random.Random, behaviour: str) -> int | None:
    """Days between due date and payment (negative: early); None: not going to pay."""
    if behaviour == "good":
        return rng.randint(10, 30) if rng.random() < 0.05 else rng.randint(-10, 5)
    if behaviour == "average":
        return rng.randint(-5, 5) if rng.random() < 0.15 else rng.randint(10, 40)
    return None if rng.random() < 0.3 else rng.randint(60, 120)


def items(rng: random.Random, account: Account, today: date, numbering: Numbering) -> list[ItemRow]:
    """The account's items, drawn on from where `sketch` left its random stream."""
    median = CATEGORIES[account.profile.category][2]
    invoices = [
        _invoice(rng, account, today, numbering, issue_date, median)
        for issue_date in account.sketch.invoice_dates
    ]
    credit_notes = [
        _credit_note(rng, account, numbering, invoices[index].amount, issue_date)
        for index, issue_date in account.sketch.credit_notes
    ]
    payments = [
        _item(
            account,
            numbering,
            ItemKind.PAYMENT,
            issue_date,
            # a payment that matches no invoice, or one the customer paid and nobody matched
            rng.choice(invoices).amount
            if rng.random() < 0.6
            else Decimal(rng.choice([100, 250, 500, 1000, 1500, 2000, 5000])),
        )
        for issue_date in account.sketch.payment_dates
    ]
    return [*invoices, *credit_notes, *payments]


def _item(account, numbering, kind, issue_date, amount, open_amount=None, **fields) -> ItemRow:
    return ItemRow(
        entity_id=account.entity_id,
        customer_id=account.customer_id,
        kind=kind,
        number=numbering.next(kind, issue_date),
        issue_date=issue_date,
        due_date=fields.pop("due_date", issue_date),
        amount=amount,
        open_amount=amount if open_amount is None else open_amount,
        currency=account.currency,
        **fields,
    )


def _invoice(rng, account, today, numbering, issue_date, median) -> ItemRow:
    amount = _money(rng.lognormvariate(math.log(median), 0.85) + 20)
    due_date = issue_date + timedelta(days=account.profile.terms)
    delay = _payment_delay(rng, account.profile.behaviour)
    paid_on = (
        None
        if delay is None
        else max(issue_date + timedelta(days=1), due_date + timedelta(days=delay))
    )
    open_amount = Decimal("0.00") if paid_on is not None and paid_on <= today else amount
    if rng.random() < 0.06:  # a partial payment arrived, the rest is still owed
        open_amount = _part(amount, 0.2, 0.8, rng)
    fields = {}
    if open_amount and rng.random() < (0.09 if account.profile.behaviour == "bad" else 0.04):
        fields.update(
            disputed=True,
            dispute_reason=rng.choice(words.DISPUTE_REASONS[account.language]),
            dispute_date=fakes.day_between(rng, min(today, issue_date + timedelta(days=3)), today),
        )
    elif open_amount and due_date < today and rng.random() < 0.10:
        promise = (
            today + timedelta(days=rng.randint(1, 21))
            if rng.random() < 0.7
            else max(due_date + timedelta(days=1), today - timedelta(days=rng.randint(1, 14)))
        )
        fields["promise_date"] = promise
    if open_amount and rng.random() < 0.01:
        fields["blocked"] = True
    if not open_amount:
        fields["settled_on"] = paid_on
    return _item(
        account,
        numbering,
        ItemKind.INVOICE,
        issue_date,
        amount,
        open_amount,
        due_date=due_date,
        **fields,
    )


def _credit_note(rng, account, numbering, invoice_amount, issue_date) -> ItemRow:
    # the whole invoice cancelled, or a discount, a return, a price correction
    amount = invoice_amount if rng.random() < 0.3 else _part(invoice_amount, 0.05, 0.3, rng)
    applied = rng.random() < 0.6
    return _item(
        account,
        numbering,
        ItemKind.CREDIT_NOTE,
        issue_date,
        amount,
        Decimal("0.00") if applied else amount,
        settled_on=issue_date if applied else None,
    )
