"""Snapshots: taken by the daily run from the items as they are, rebuilt by the backfill
from the items' history; both agree on today (the ledger of conftest.py)."""

import datetime
import random

from django.db import connection
from django.test.utils import CaptureQueriesContext

from relance.customers.tests.factories import CustomerFactory
from relance.engine.runner import run_day
from relance.insights.models import CustomerSnapshot, SnapshotDay
from relance.insights.services import snapshot_take, snapshots_backfill
from relance.insights.tests.conftest import TODAY, D, change, day
from relance.ledger.tests.factories import ItemFactory

FIELDS = ("open_amount", "overdue", "not_due", "d1_30", "d31_60", "d61_90", "d90_plus", "credits")


def snapshots(on: datetime.date) -> dict:
    rows = CustomerSnapshot.objects.on(on).select_related("customer")
    return {(r.customer.name[:6], r.currency): tuple(getattr(r, f) for f in FIELDS) for r in rows}


def amounts(*values: str) -> tuple:
    return tuple(D(v) for v in values)


#                     open    overdue not_due 1-30    31-60   61-90   >90  credits
MARCH_31 = {
    ("Boulan", "EUR"): amounts("3000", "0", "3000", "0", "0", "0", "0", "0"),
    ("Boulan", "USD"): amounts("400", "0", "400", "0", "0", "0", "0", "0"),
    ("Dupont", "EUR"): amounts("1700", "1700", "0", "500", "1200", "0", "0", "100"),
}


def test_the_daily_snapshot_reads_the_open_items_and_is_idempotent(acme, ledger):
    assert snapshot_take(entity=acme, day=TODAY) == 3
    assert snapshot_take(entity=acme, day=TODAY) == 3
    assert snapshots(TODAY) == MARCH_31
    assert list(SnapshotDay.objects.values_list("day", flat=True)) == [TODAY]


def test_the_backfill_rebuilds_past_days_from_the_history(acme, ledger):
    result = snapshots_backfill(entity=acme, start=day(12, 31, 2025), end=TODAY)
    assert result.days == 91
    # 31 December: F7 was imported settled without a date, so it was never counted open.
    assert snapshots(day(12, 31, 2025)) == {}
    assert SnapshotDay.objects.filter(day=day(12, 31, 2025)).exists()
    # 31 January: F1 (settled on 20 February, imported with its past) open in full; F2 as
    # created on 20 January.
    assert snapshots(day(1, 31)) == {
        ("Boulan", "EUR"): amounts("1000", "0", "1000", "0", "0", "0", "0", "0"),
        ("Dupont", "EUR"): amounts("2000", "0", "2000", "0", "0", "0", "0", "0"),
    }
    # 28 February: F1 settled; F3 open in full until its settlement; F2 paid 800 that day
    # and due on 19 February: 1200 nine days overdue; F4 not due.
    assert snapshots(day(2, 28)) == {
        ("Boulan", "EUR"): amounts("1500", "0", "1500", "0", "0", "0", "0", "0"),
        ("Dupont", "EUR"): amounts("1700", "1200", "500", "1200", "0", "0", "0", "0"),
    }
    # 19 February: F2 due that day, not yet overdue; F3 and F1 open.
    assert snapshots(day(2, 19))[("Dupont", "EUR")][:3] == amounts("2000", "0", "2000")
    assert snapshots(day(2, 19))[("Boulan", "EUR")][0] == D("2500")
    assert snapshots(TODAY) == MARCH_31
    snapshot_take(entity=acme, day=TODAY)
    assert snapshots(TODAY) == MARCH_31  # the daily run agrees with the history


def _backfill_queries(acme, customers: int) -> int:
    for _ in range(customers):
        ItemFactory(customer=CustomerFactory(entity=acme), issue_date=day(3, 1))
    with CaptureQueriesContext(connection) as queries:
        snapshots_backfill(entity=acme, start=day(3, 1), end=day(3, 3))
    return len(queries)


def test_the_backfill_costs_the_same_queries_for_2_or_40_customers(acme, globex):
    assert _backfill_queries(acme, 2) == _backfill_queries(globex, 40)
    assert CustomerSnapshot.objects.on(day(3, 3)).filter(entity=globex).count() == 40


def test_the_daily_run_writes_the_snapshot_of_its_day(acme, ledger):
    run_day(entity=acme, day=TODAY, send=False)
    assert snapshots(TODAY) == MARCH_31
    run_day(entity=acme, day=TODAY, dry_run=True)  # writes nothing: rolled back
    assert SnapshotDay.objects.count() == 1


def _play_history(acme, first: datetime.date, days: int, seed: int) -> dict:
    """Play `days` days of a ledger as imports would see it, taking the daily snapshot at
    the end of each: invoices issued in EUR and USD (some due the day they are issued,
    some long overdue by the end), partial payments, settlements, reopenings, two changes
    of one item on one day, credit notes applied. Answers {day: snapshots that day}."""
    rng = random.Random(seed)
    customers = [CustomerFactory(entity=acme, name=f"{n} Client", currency="EUR") for n in range(4)]
    items, taken = [], {}

    def change_to(item, on, amount):
        delta = amount - item.open_amount
        item.open_amount = amount
        item.settled_on = on if amount == 0 else None
        item.save(update_fields=["open_amount", "settled_on"])
        change(item, on, str(amount), str(delta))

    for n in range(days):
        on = first + datetime.timedelta(days=n)
        for _ in range(rng.randint(0, 2)):
            kind = "credit_note" if rng.random() < 0.15 else "invoice"
            amount = D(rng.randint(1, 400) * 5)
            item = ItemFactory(
                customer=rng.choice(customers),
                kind=kind,
                currency=rng.choice(["EUR", "EUR", "USD"]),
                issue_date=on,
                due_date=on + datetime.timedelta(days=rng.choice([0, 1, 10, 30]))
                if kind == "invoice"
                else None,
                amount=amount,
                open_amount=D(0),
            )
            change_to(item, on, amount)
            items.append(item)
        for item in rng.sample(items, min(len(items), rng.randint(0, 3))):
            roll = rng.random()
            if item.open_amount > 0 and roll < 0.4:  # a partial payment, sometimes two a day
                for _ in range(rng.choice([1, 1, 2])):
                    change_to(item, on, (item.open_amount / 2).quantize(D("0.01")))
            elif item.open_amount > 0 and roll < 0.7:
                change_to(item, on, D(0))  # settled
            elif item.open_amount == 0 and roll < 0.9:
                change_to(item, on, item.amount / 4)  # reopened: a payment reversed
        snapshot_take(entity=acme, day=on)
        taken[on] = snapshots(on)
    return taken


def test_the_backfill_gives_each_day_what_the_daily_snapshot_gave(acme):
    # 130 days: the first invoices age through every bucket, up to over 90 days.
    first = day(1, 1)
    taken = _play_history(acme, first, days=130, seed=7)
    assert any(rows for rows in taken.values())
    assert any(v[6] > 0 for rows in taken.values() for v in rows.values())  # over 90 days
    assert any(cur == "USD" for rows in taken.values() for _c, cur in rows)
    runs = CustomerSnapshot.objects.count()
    assert runs < sum(len(rows) for rows in taken.values())  # a row per change, not per day
    CustomerSnapshot.objects.all().delete()
    SnapshotDay.objects.all().delete()
    result = snapshots_backfill(entity=acme, start=first, end=first + datetime.timedelta(129))
    assert result.days == 130
    assert result.rows == runs  # the same runs: consecutive ones always differ
    for on, rows in taken.items():
        assert snapshots(on) == rows, on
