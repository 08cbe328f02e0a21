"""Snapshots stored as runs of days with the same figures: rewriting days in the middle of
what is written cuts the runs across them and joins them again where the figures meet (the
ledger of conftest.py)."""

from relance.insights.models import OPEN_END, CustomerSnapshot
from relance.insights.services import snapshot_take, snapshots_backfill
from relance.insights.tests.conftest import TODAY, D, day
from relance.insights.tests.test_services import MARCH_31, snapshots
from relance.ledger.models import Item

MARCH = [day(3, n) for n in range(1, 32)]


def _runs() -> list[tuple]:
    rows = CustomerSnapshot.objects.order_by("customer_id", "currency", "since")
    return list(rows.values_list("customer_id", "currency", "since", "until", "open_amount"))


def test_a_backfill_in_the_middle_gives_back_the_same_runs(acme, ledger):
    snapshots_backfill(entity=acme, start=day(3, 1), end=TODAY)
    runs, march = _runs(), {on: snapshots(on) for on in MARCH}
    assert all(until == OPEN_END for *_k, until, _a in runs if until > TODAY)
    snapshots_backfill(entity=acme, start=day(3, 10), end=day(3, 15))
    assert _runs() == runs
    assert {on: snapshots(on) for on in MARCH} == march


def test_a_past_day_taken_again_cuts_the_runs_around_it(acme, ledger):
    snapshots_backfill(entity=acme, start=day(3, 1), end=TODAY)
    runs, march = _runs(), {on: snapshots(on) for on in MARCH}
    # F5 (3000, created on 15 March with its history) now shows 1000 open, a payment whose
    # history is not kept: the daily snapshot of a past day reads the items as they are
    # now, so that day alone changes; the days around it keep what the history gave.
    Item.objects.filter(customer=ledger["martin"], amount=D("3000")).update(open_amount=D("1000"))
    snapshot_take(entity=acme, day=day(3, 20))
    martin = snapshots(day(3, 20))[("Boulan", "EUR")]
    assert martin[:3] == (D("1000"), D("0"), D("1000"))
    for on in MARCH:
        if on != day(3, 20):
            assert snapshots(on) == march[on], on
    cut = CustomerSnapshot.objects.on(day(3, 20)).get(customer=ledger["martin"], currency="EUR")
    assert (cut.since, cut.until) == (day(3, 20), day(3, 21))
    assert len(_runs()) > len(runs)
    snapshots_backfill(entity=acme, start=day(3, 20), end=day(3, 20))
    assert _runs() == runs


def test_the_daily_snapshot_closes_only_the_runs_that_change(acme, ledger):
    snapshots_backfill(entity=acme, start=day(3, 1), end=day(3, 30))
    before = {run[:3]: run for run in _runs()}
    snapshot_take(entity=acme, day=TODAY)
    after = {run[:3]: run for run in _runs()}
    assert snapshots(TODAY) == MARCH_31
    # Each customer and currency has one open run; the runs that ended before are untouched.
    open_runs = [run for run in after.values() if run[3] == OPEN_END]
    assert len(open_runs) == len(MARCH_31)
    assert all(after[key] == run for key, run in before.items() if run[3] <= day(3, 30))
