"""The monthly figures of the ledger of conftest.py, after a backfill, to the cent and the
tenth of a day (the same numbers as docs/insights.md and test_figures.py)."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relance.customers.models import Customer
from relance.customers.tests.factories import CustomerFactory
from relance.insights.models import CustomerSnapshot
from relance.insights.selectors import aging_over_time, balances, monthly_figures
from relance.insights.services import snapshot_take, snapshots_backfill
from relance.insights.tests.conftest import TODAY, D, day
from relance.ledger.models import Item

FIGURES = (
    "sales",
    "dso_countback",
    "dso_simple",
    "best_possible_dso",
    "add",
    "cei",
    "overdue_ratio",
)


def figures_of(month) -> tuple:
    return tuple(getattr(month, name) for name in FIGURES)


@pytest.fixture
def backfilled(acme, ledger):
    snapshots_backfill(entity=acme, start=day(12, 1, 2025), end=TODAY)
    return ledger


def test_monthly_figures_of_the_ledger(acme, backfilled, django_assert_num_queries):
    with django_assert_num_queries(3):  # the days written, their sums, the sales
        months = monthly_figures(acme, day(1, 1), TODAY)
    assert [m.month for m in months] == [day(1, 1), day(2, 1), day(3, 1)]
    #         sales        countback  simple      best        ADD         CEI         overdue %
    assert [figures_of(m) for m in months] == [
        (D("3000"), D("31.0"), D("31.0"), D("31.0"), D("0.0"), None, D("0.0")),
        (D("2000"), D("40.4"), D("44.8"), D("28.0"), D("16.8"), D("60.0"), D("37.5")),
        (D("3000"), D("54.8"), D("48.6"), D("31.0"), D("17.6"), D("46.9"), D("36.2")),
    ]
    march = months[2]
    assert (march.opening.open_amount, march.closing.open_amount) == (D("3200"), D("4700"))
    assert march.closing.buckets == [
        ("not_due", D("3000")),
        ("d1_30", D("500")),
        ("d31_60", D("1200")),
        ("d61_90", D("0")),
        ("d90_plus", D("0")),
    ]
    assert march.closing.credits == D("100")


def test_a_month_not_over_is_measured_to_the_last_day_asked(acme, backfilled):
    (march,) = monthly_figures(acme, day(3, 1), day(3, 20))
    # 20 March: F2 1200 + F4 500 + F5 3000 = 4700 (F3 settled that day), sales 3000 over
    # 20 days: 4700 / 3000 × 20 = 31.33… → 31.3.
    assert (march.end, march.days, march.closing.open_amount) == (day(3, 20), 20, D("4700"))
    assert march.dso_simple == D("31.3")


def test_figures_for_one_customer_and_one_currency(acme, backfilled):
    martin = Customer.objects.filter(pk=backfilled["martin"].pk)
    (march,) = monthly_figures(acme, day(3, 1), TODAY, customers=martin)
    # Martin on 28 February 1500 (F3), sold 3000 (F5) in March, owes 3000 not due on 31
    # March: (1500 + 3000 − 3000) / (1500 + 3000 − 3000) = 100 %.
    assert figures_of(march) == (
        D("3000"),
        D("31.0"),
        D("31.0"),
        D("31.0"),
        D("0.0"),
        D("100.0"),
        D("0.0"),
    )
    (usd,) = monthly_figures(acme, day(3, 1), TODAY, currency="USD")
    assert (usd.sales, usd.closing.open_amount, usd.dso_simple) == (D("400"), D("400"), D("31.0"))


def test_days_without_snapshots_read_the_latest_written_before(acme, ledger):
    assert balances(acme, [TODAY], currency="EUR")[TODAY].day is None
    (march,) = monthly_figures(acme, day(3, 1), TODAY)
    assert (march.dso_simple, march.cei) == (None, None)
    snapshot_take(entity=acme, day=day(3, 30))
    assert balances(acme, [TODAY], currency="EUR")[TODAY].day == day(3, 30)


def test_aging_over_time_gives_every_day_written(acme, backfilled):
    days = aging_over_time(acme, day(2, 27), day(3, 1))
    assert [(b.day, b.open_amount, b.overdue) for b in days] == [
        (day(2, 27), D("4000"), D("2000")),  # F2 in full, 8 days late, before its payment
        (day(2, 28), D("3200"), D("1200")),
        (day(3, 1), D("3200"), D("1200")),
    ]


due_offsets = st.integers(min_value=-200, max_value=60)
open_amounts = st.decimals(min_value=D("0.01"), max_value=D("99999.99"), places=2)
kinds = st.sampled_from(["invoice", "invoice", "credit_note", "payment"])


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(items=st.lists(st.tuples(kinds, due_offsets, open_amounts), min_size=1, max_size=12))
def test_aging_buckets_sum_to_the_open_total(acme, items):
    Item.objects.all().delete()
    customer = Customer.objects.first() or CustomerFactory(entity=acme)
    Item.objects.bulk_create(
        Item(
            entity=acme,
            customer=customer,
            kind=kind,
            number=f"N{n}",
            issue_date=TODAY - datetime.timedelta(days=300),
            due_date=TODAY + datetime.timedelta(days=offset) if kind == "invoice" else None,
            amount=amount,
            open_amount=amount,
            currency="EUR",
        )
        for n, (kind, offset, amount) in enumerate(items)
    )
    snapshot_take(entity=acme, day=TODAY)
    invoices = sum((a for k, _o, a in items if k == "invoice"), D(0))
    overdue = sum((a for k, o, a in items if k == "invoice" and o < 0), D(0))
    snapshot = CustomerSnapshot.objects.on(TODAY).first()
    assert snapshot is not None  # every item is open: the customer has something open
    buckets = snapshot.not_due + snapshot.d1_30 + snapshot.d31_60 + snapshot.d61_90
    assert buckets + snapshot.d90_plus == snapshot.open_amount == invoices
    assert snapshot.overdue == snapshot.open_amount - snapshot.not_due == overdue
