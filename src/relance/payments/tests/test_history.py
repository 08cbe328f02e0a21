"""A confirmed online payment settles its items as an import would (open amount 0,
`settled_on`, a dated ItemAmountChange), so the open amount of each item on any past day
is known; the ERP's next import, not yet reconciled, does not reopen them."""

import datetime
from decimal import Decimal

import pytest

from relance.ledger.models import Item, ItemAmountChange
from relance.ledger.tests.factories import ItemFactory
from relance.ledger.tests.test_import_history import on_day
from relance.ledger.tests.test_importers import ITEM_HEADER, run, write_csv
from relance.payments.models import Payment
from relance.payments.tests.conftest import WEBHOOK_SECRET
from relance.payments.tests.fake_stripe import sign
from relance.payments.tests.test_checkout import completed_event, dupont, post_event, start

D = Decimal
PAID_ON = datetime.date(2026, 3, 10)
__all__ = ["dupont"]  # the fixture, imported for the tests below

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(dupont):
    """F1 1200 (300 already paid on 1 March: 900 open), F2 34.50, a credit note A1 of 100."""
    f1 = ItemFactory(
        customer=dupont,
        number="F1",
        issue_date=datetime.date(2026, 2, 1),
        due_date=datetime.date(2026, 3, 3),
        amount=D("1200.00"),
        open_amount=D("900.00"),
    )
    ItemAmountChange.objects.create(
        entity=f1.entity, item=f1, day=datetime.date(2026, 2, 1), open_amount_after=1200, delta=1200
    )
    ItemAmountChange.objects.create(
        entity=f1.entity, item=f1, day=datetime.date(2026, 3, 1), open_amount_after=900, delta=-300
    )
    f2 = ItemFactory(customer=dupont, number="F2", amount=D("34.50"))
    a1 = ItemFactory(customer=dupont, kind="credit_note", number="A1", amount=D("100.00"))
    return [f1, f2, a1]


def pay(client, dupont, items) -> None:
    start(dupont, items)
    # 900 + 34.50 − 100 = 834.50
    payload = completed_event(Payment.objects.get().provider_session_id, amount_total=83450)
    assert post_event(client, payload, sign(payload, WEBHOOK_SECRET)).status_code == 200


def test_a_confirmed_payment_settles_its_items_with_their_history(
    fake_stripe, client, monkeypatch, dupont, items
):
    on_day(monkeypatch, PAID_ON)
    pay(client, dupont, items)

    stored = {item.number: item for item in Item.objects.all()}
    assert {n: (i.open_amount, i.settled_on) for n, i in stored.items()} == {
        "F1": (D("0.00"), PAID_ON),
        "F2": (D("0.00"), PAID_ON),
        "A1": (D("0.00"), PAID_ON),
    }
    assert all(item.payment_pending_since is not None for item in stored.values())
    changes = ItemAmountChange.objects.filter(day=PAID_ON).order_by("item__number")
    assert list(changes.values_list("item__number", "open_amount_after", "delta")) == [
        ("A1", D("0.00"), D("-100.00")),
        ("F1", D("0.00"), D("-900.00")),
        ("F2", D("0.00"), D("-34.50")),
    ]
    # F1's history: 1200 from 1 February, 900 from 1 March, 0 from the payment's day.
    f1 = ItemAmountChange.objects.filter(item=stored["F1"]).order_by("day")
    assert list(f1.values_list("day", "open_amount_after")) == [
        (datetime.date(2026, 2, 1), D("1200.00")),
        (datetime.date(2026, 3, 1), D("900.00")),
        (PAID_ON, D("0.00")),
    ]


def test_the_erp_not_yet_reconciled_does_not_reopen_items_paid_online(
    fake_stripe, client, monkeypatch, tmp_path, dupont, items
):
    on_day(monkeypatch, PAID_ON)
    pay(client, dupont, items)
    # The next day the ERP still shows F1 open (the transfer from Stripe not yet booked).
    on_day(monkeypatch, PAID_ON + datetime.timedelta(days=1))
    row = ["C042", "invoice", "F1", "2026-02-01", "2026-03-03", "1200", "900", "EUR"]
    batch = run("items", write_csv(tmp_path / "erp.csv", [ITEM_HEADER, row]), dupont.entity)
    assert batch.status == "done", batch.errors
    f1 = Item.objects.get(number="F1")
    assert (f1.open_amount, f1.settled_on) == (D("0.00"), PAID_ON)
    assert not ItemAmountChange.objects.filter(item=f1, day__gt=PAID_ON).exists()
