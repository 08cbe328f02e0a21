"""The cash forecast on the ledger of ledgers.py at AS_OF = Tuesday 30 June 2026, by hand
(docs/insights.md, "Cash forecast"): week 0 starts on Monday 29 June.

Days late: Martin 4 invoices paid, 50000 / 7000 = 7.14 → 7 days; Dupont 1 paid (fewer than
3) takes the entity's, 80000 / 8000 = 10 days.
  D  500  due 05-31 + 7 = 06-07, before today (its promise of 06-10 is broken) → week 0
  F  400  disputed → apart
  G  600  due 03-31 + 7 = 04-07 → today → week 0
  I  700  promised for 07-06 (pending) → 7 days after Monday → week 1
  J 1200  due 07-20 + 10 = 07-30 → 31 days → week 4
  K  300  due 10-01 + 10 = 10-11 → 104 days → after the 13 weeks
  L  250 USD  due 07-01 + 10 = 07-11 → week 1
Came in (decreases of open amounts): C 2000 on 05-21 (week −6, from 18 May), E 1000 on
06-05 (week −4, from 1 June), J 300 on 06-30 (week 0); B's 3000 on 03-03 is before the 13
weeks (from 30 March)."""

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relance.customers.tests.factories import CustomerFactory
from relance.insights import behaviour
from relance.insights import forecast as f
from relance.insights.tests.ledgers import AS_OF, build, day, invoice
from relance.ledger.models import Item

D = Decimal


def weeks(currency_forecast, field):
    return {w.index: getattr(w, field) for w in currency_forecast.weeks if getattr(w, field)}


def test_the_forecast_worked_by_hand(acme):
    build(acme)
    forecast = f.cash_forecast(acme, as_of=AS_OF)
    assert forecast.entity_days_late == D(10)
    eur, usd = forecast.currencies
    assert (eur.currency, usd.currency) == ("EUR", "USD")
    assert weeks(eur, "expected") == {0: D("1100.00"), 1: D("700.00"), 4: D("1200.00")}
    assert (eur.later, eur.disputed, eur.open_total) == (D("300.00"), D("400.00"), D("3700.00"))
    assert weeks(usd, "expected") == {1: D("250.00")}
    assert weeks(eur, "received") == {-6: D("2000.00"), -4: D("1000.00"), 0: D("300.00")}
    assert eur.weeks[0].start == date(2026, 3, 30) and eur.weeks[0].index == -13
    assert eur.weeks[-1].start == date(2026, 9, 21) and eur.weeks[-1].index == 12


def test_three_queries(acme, django_assert_num_queries):
    build(acme)
    with django_assert_num_queries(3):
        f.cash_forecast(acme, as_of=AS_OF)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_sql_places_each_invoice_as_the_estimator_does(acme, seed):
    """On a random ledger, the weeks of the one query are those of expected_payment_date
    applied invoice by invoice, and they add up to the open amount of every currency."""
    chance = random.Random(seed)
    customers = [CustomerFactory(entity=acme, currency="EUR") for _ in range(4)]
    for number in range(60):
        issued = AS_OF - timedelta(days=chance.randint(0, 300))
        due = issued + timedelta(days=chance.choice([0, 30, 45, 60, 200]))
        settled = issued + timedelta(days=chance.randint(0, 120))
        amount = D(chance.randint(1, 500000)) / 100
        is_paid = settled <= AS_OF and chance.random() < 0.6
        invoice(
            chance.choice(customers),
            f"R{number}",
            issued,
            due,
            str(amount),
            open_amount="0" if is_paid else str(amount),
            settled_on=settled if is_paid else None,
            currency=chance.choice(["EUR", "EUR", "USD"]),
            disputed=not is_paid and chance.random() < 0.1,
            promise_date=AS_OF + timedelta(days=chance.randint(-20, 120))
            if chance.random() < 0.2
            else None,
        )
    sums = behaviour.behaviour_sums(acme, as_of=AS_OF)
    entity = f.entity_days_late(acme, AS_OF)
    expected: dict = {}
    for item in Item.objects.filter(entity=acme, open_amount__gt=0):
        own = sums.get(item.customer_id)
        late = (
            behaviour.weighted_days_late(own.late_amount_days, own.paid_amount)
            if own and own.paid_count >= f.MIN_HISTORY
            else entity
        )
        when = f.expected_payment_date(
            due_date=item.due_date,
            as_of=AS_OF,
            promise_date=item.promise_date,
            disputed=item.disputed,
            days_late=late,
        )
        key = (item.currency, f.week_index(when, AS_OF))
        expected[key] = expected.get(key, D(0)) + item.open_amount
    placed = {(c, w): a for c, w, a in f.expected_by_week(acme, AS_OF)}
    assert {key: f.sql.money(amount) for key, amount in placed.items()} == expected
    forecast = f.cash_forecast(acme, as_of=AS_OF)
    for one in forecast.currencies:
        spread = sum(w.expected for w in one.weeks) + one.later + one.disputed
        owed = sum(
            Item.objects.filter(entity=acme, currency=one.currency).values_list(
                "open_amount", flat=True
            )
        )
        assert spread == one.open_total == owed


@given(
    due=st.dates(date(2025, 1, 1), date(2027, 12, 31)),
    promise=st.none() | st.dates(date(2025, 1, 1), date(2027, 12, 31)),
    late=st.none() | st.decimals(0, 400, places=2),
)
def test_an_expected_date_is_never_before_today_and_its_week_is_in_range(due, promise, late):
    when = f.expected_payment_date(due_date=due, as_of=AS_OF, promise_date=promise, days_late=late)
    assert when >= AS_OF
    assert 0 <= f.week_index(when, AS_OF) <= f.LATER
    if promise is not None and promise >= AS_OF:
        assert when == promise


def test_a_disputed_invoice_has_no_date():
    assert f.expected_payment_date(due_date=AS_OF, as_of=AS_OF, disputed=True) is None
    assert f.week_index(None, AS_OF) == f.DISPUTED


def test_days_late_round_half_up_to_whole_days():
    assert [f.whole_days(D(x)) for x in ("7.49", "7.5", "0")] == [7, 8, 0]
    assert f.expected_payment_date(
        due_date=date(2026, 7, 1), as_of=AS_OF, days_late=D("2.5")
    ) == date(2026, 7, 4)


def test_a_customer_without_history_takes_its_segments_days_late(acme):
    """Dupont (1 invoice paid) is in the segment "Small" (priority 50) with Petit, who paid
    P1 of 1000 4 days late: the segment's days late, (1000 × 30 + 1000 × 4) / 2000 = 17
    days, not the entity's, nor those of "Everyone" (priority 200, Martin and Dupont: 10).
      J 1200  due 07-20 + 17 = 08-06 → 38 days after Monday 06-29 → week 5 (was 4)
      L  250 USD  due 07-01 + 17 = 07-18 → 19 days → week 2 (was 1)
    Martin (4 paid) keeps his own 7 days."""
    from relance.scenarios.tests.factories import ScenarioFactory
    from relance.segments.models import Segment, SegmentMembership

    ledger = build(acme)
    petit = CustomerFactory(entity=acme, name="Petit", currency="EUR")
    invoice(petit, "P1", day(5, 1), day(5, 31), "1000", open_amount="0", settled_on=day(6, 4))
    scenario = ScenarioFactory(name="Standard", steps=[{"name": "mail"}])
    small = Segment.objects.create(name="Small", entity=acme, scenario=scenario, priority=50)
    everyone = Segment.objects.create(name="Everyone", scenario=scenario, priority=200)
    for segment, customers in (
        (small, [ledger["dupont"], petit]),
        (everyone, [ledger["martin"], ledger["dupont"]]),
    ):
        for customer in customers:
            SegmentMembership.objects.create(segment=segment, customer=customer)
    eur, usd = f.cash_forecast(acme, as_of=AS_OF).currencies
    assert weeks(eur, "expected") == {0: D("1100.00"), 1: D("700.00"), 5: D("1200.00")}
    assert weeks(usd, "expected") == {2: D("250.00")}
    # An inactive segment is not anyone's: Dupont falls back to the entity's days late,
    # now (30000 + 4000 + 50000) / 9000 = 9.33 → 9: J 07-29, week 4; L 07-10, week 1.
    Segment.objects.filter(pk=small.pk).update(is_active=False)
    Segment.objects.filter(pk=everyone.pk).delete()
    eur, usd = f.cash_forecast(acme, as_of=AS_OF).currencies
    assert weeks(eur, "expected") == {0: D("1100.00"), 1: D("700.00"), 4: D("1200.00")}
    assert weeks(usd, "expected") == {1: D("250.00")}
