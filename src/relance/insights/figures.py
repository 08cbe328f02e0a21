"""The receivables figures as pure functions of plain numbers (selectors.py loads them):
each answers None where its formula divides by zero. Days are rounded half up to 0.1 day,
percentages to 0.1 point; the inputs are never rounded (ADD is the difference of the
unrounded DSOs). The formulas, with a worked example, are in docs/insights.md."""

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0.00")
TENTH = Decimal("0.1")
HUNDRED = Decimal(100)
# The countback goes back at most this many months; receivables older than that (sales too
# small to explain them) leave the DSO undefined.
COUNTBACK_MONTHS = 24


def rounded(value: Decimal | None) -> Decimal | None:
    """A figure as shown: to the tenth (of a day or of a percentage point), half up."""
    return None if value is None else value.quantize(TENTH, rounding=ROUND_HALF_UP)


def dso_simple_raw(receivables: Decimal, sales: Decimal, days: int) -> Decimal | None:
    if sales <= 0:
        return None
    return receivables / sales * days


def dso_simple(receivables: Decimal, sales: Decimal, days: int) -> Decimal | None:
    """Receivables at the end of the period / sales of the period × days of the period."""
    return rounded(dso_simple_raw(receivables, sales, days))


def best_possible_dso(current: Decimal, sales: Decimal, days: int) -> Decimal | None:
    """The same with only the receivables not yet due: the DSO if every customer paid on
    its due date."""
    return rounded(dso_simple_raw(current, sales, days))


def average_days_delinquent(
    receivables: Decimal, current: Decimal, sales: Decimal, days: int
) -> Decimal | None:
    """ADD = DSO − best possible DSO, both by the simple method over the same period and
    sales (so ADD = overdue receivables / sales × days): the days that late payment adds."""
    dso, best = dso_simple_raw(receivables, sales, days), dso_simple_raw(current, sales, days)
    return None if dso is None else rounded(dso - best)


def dso_countback(receivables: Decimal, months: Sequence[tuple[int, Decimal]]) -> Decimal | None:
    """Exhaust the receivables against the sales of the months going back: `months` is
    [(days, sales)] from the period's own month backwards. A month whose sales the
    receivables cover counts all its days; the month that exhausts them counts its days in
    proportion (remaining receivables / its sales)."""
    remaining, days = receivables, Decimal(0)
    if remaining <= 0:
        return rounded(Decimal(0))
    for month_days, sales in months[:COUNTBACK_MONTHS]:
        if remaining <= sales:
            return rounded(days + remaining / sales * month_days)
        remaining -= sales
        days += month_days
    return None


def cei(
    opening: Decimal, sales: Decimal, closing: Decimal, closing_current: Decimal
) -> Decimal | None:
    """Collection effectiveness index: what was collected of what could be, in percent:
    (opening receivables + sales − closing receivables)
    / (opening receivables + sales − closing current receivables) × 100."""
    collectable = opening + sales - closing_current
    if collectable <= 0:
        return None
    return rounded((opening + sales - closing) / collectable * HUNDRED)


def overdue_ratio(overdue: Decimal, receivables: Decimal) -> Decimal | None:
    """Overdue receivables / receivables × 100."""
    if receivables <= 0:
        return None
    return rounded(overdue / receivables * HUNDRED)
