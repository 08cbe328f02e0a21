"""Late interest as plain functions over Decimals (no database): an item's open amount
times the rate of each period it is late in, from the day after its due date to the day of
the letter, per the pack's day count. The caller rounds once per item, to the cent."""

import bisect
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from relance.countries.packs import AT_DUE_DATE, PER_PERIOD, Pack

CENT = Decimal("0.01")
ZERO = Decimal("0")


@dataclass(frozen=True)
class Schedule:
    """Yearly rates in % by the day they apply from, ascending: the pack's reference rates
    plus its margin, or one contractual rate from the beginning of time."""

    starts: tuple[date, ...]
    rates: tuple[Decimal, ...]
    references: tuple[Decimal | None, ...]
    fixing: str
    days_per_year: Decimal

    def index_on(self, day: date) -> int:
        """The period in force on `day`; before the first known period, the first one."""
        return max(bisect.bisect_right(self.starts, day) - 1, 0)

    def rate_on(self, day: date) -> Decimal:
        return self.rates[self.index_on(day)]

    def reference_on(self, day: date) -> Decimal | None:
        return self.references[self.index_on(day)]


def statutory_rate(reference: Decimal, pack: Pack) -> Decimal:
    rate = reference + pack.margin
    if pack.round_up_to:
        steps = (rate / pack.round_up_to).to_integral_value(rounding=ROUND_CEILING)
        rate = steps * pack.round_up_to
    return rate


def pack_schedule(pack: Pack, rates: list[tuple[date, Decimal]]) -> Schedule:
    """The statutory schedule of `pack` from its reference rates (valid from, rate)."""
    rates = sorted(rates)
    return Schedule(
        starts=tuple(start for start, _ in rates),
        rates=tuple(statutory_rate(reference, pack) for _, reference in rates),
        references=tuple(reference for _, reference in rates),
        fixing=pack.fixing,
        days_per_year=pack.days_per_year,
    )


def contractual_schedule(rate: Decimal, days_per_year: Decimal = Decimal(365)) -> Schedule:
    return Schedule((date.min,), (Decimal(rate),), (None,), PER_PERIOD, days_per_year)


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    days: int
    rate: Decimal  # yearly, in %
    reference: Decimal | None  # the reference rate it comes from; None for a contract's
    interest: Decimal  # unrounded


@dataclass(frozen=True)
class ItemInterest:
    days: int
    periods: tuple[Period, ...]
    amount: Decimal  # to the cent

    @property
    def rates(self) -> tuple[Decimal, ...]:
        return tuple(dict.fromkeys(period.rate for period in self.periods))


NO_INTEREST = ItemInterest(0, (), ZERO.quantize(CENT))


def item_interest(open_amount: Decimal, due_date: date | None, today: date, schedule: Schedule):
    """Interest on `open_amount` late since `due_date`, from the next day to `today`
    included, split at each change of rate."""
    if due_date is None or today <= due_date or open_amount <= 0:
        return NO_INTEREST
    start = due_date + timedelta(days=1)
    periods = []
    if schedule.fixing == AT_DUE_DATE:
        index = schedule.index_on(start)
        bounds = [(start, today, schedule.rates[index], schedule.references[index])]
    else:
        bounds = []
        index = schedule.index_on(start)
        day = start
        while day <= today:
            following = index + 1
            next_start = schedule.starts[following] if following < len(schedule.starts) else None
            end = today if next_start is None or next_start > today else next_start - timedelta(1)
            bounds.append((day, end, schedule.rates[index], schedule.references[index]))
            day, index = end + timedelta(days=1), following
    for first, last, rate, reference in bounds:
        days = (last - first).days + 1
        interest = open_amount * rate / 100 * days / schedule.days_per_year
        periods.append(Period(first, last, days, rate, reference, interest))
    total = sum((period.interest for period in periods), ZERO)
    return ItemInterest(
        days=(today - due_date).days,
        periods=tuple(periods),
        amount=total.quantize(CENT, rounding=ROUND_HALF_UP),
    )
