"""The small ledger of Acme France whose figures docs/insights.md and the tests work out by
hand: two customers, invoices issued from December 2025 to March 2026, paid in full, in
part or not yet, some with their history kept by imports and some imported with their past.

Invoices in EUR (issued, due, amount: what happened):
  F7 Dupont  2025-12-01 2025-12-31   700  imported settled, no date: never counted open
  F1 Martin  2026-01-05 2026-02-04  1000  imported on 03-31 settled on 02-20
  F2 Dupont  2026-01-20 2026-02-19  2000  created on 01-20; 800 paid on 02-28; 1200 open
  F3 Martin  2026-02-10 2026-03-12  1500  no history; settled on 03-20
  F4 Dupont  2026-02-25 2026-03-27   500  no history; open
  F5 Martin  2026-03-15 2026-04-14  3000  created on 03-15; open
Beside them: credit note A1 Dupont 100 (2026-03-01, open) and F6 Martin in USD, 400
(2026-03-01, due 2026-03-31, open).
"""

import datetime
from decimal import Decimal

import pytest

from relance.customers.tests.factories import CustomerFactory
from relance.ledger.models import ItemAmountChange
from relance.ledger.tests.factories import ItemFactory

D = Decimal
TODAY = datetime.date(2026, 3, 31)


def day(month: int, number: int, year: int = 2026) -> datetime.date:
    return datetime.date(year, month, number)


def change(item, on: datetime.date, after: str, delta: str) -> None:
    ItemAmountChange.objects.create(
        entity=item.entity, item=item, day=on, open_amount_after=D(after), delta=D(delta)
    )


@pytest.fixture
def ledger(acme):
    martin = CustomerFactory(entity=acme, name="Boulangerie Martin", currency="EUR")
    dupont = CustomerFactory(entity=acme, name="Dupont SA", currency="EUR")

    def invoice(customer, number, issued, due, amount, open_amount, settled_on=None):
        return ItemFactory(
            customer=customer,
            number=number,
            issue_date=issued,
            due_date=due,
            amount=D(amount),
            open_amount=D(open_amount),
            settled_on=settled_on,
        )

    f7 = invoice(dupont, "F7", day(12, 1, 2025), day(12, 31, 2025), "700", "0")
    change(f7, TODAY, "0", "0")
    f1 = invoice(martin, "F1", day(1, 5), day(2, 4), "1000", "0", settled_on=day(2, 20))
    change(f1, TODAY, "0", "0")
    f2 = invoice(dupont, "F2", day(1, 20), day(2, 19), "2000", "1200")
    change(f2, day(1, 20), "2000", "2000")
    change(f2, day(2, 28), "1200", "-800")
    invoice(martin, "F3", day(2, 10), day(3, 12), "1500", "0", settled_on=day(3, 20))
    invoice(dupont, "F4", day(2, 25), day(3, 27), "500", "500")
    f5 = invoice(martin, "F5", day(3, 15), day(4, 14), "3000", "3000")
    change(f5, day(3, 15), "3000", "3000")
    ItemFactory(
        customer=dupont, kind="credit_note", number="A1", issue_date=day(3, 1), amount=D("100")
    )
    ItemFactory(
        customer=martin,
        number="F6",
        issue_date=day(3, 1),
        due_date=day(3, 31),
        amount=D("400"),
        currency="USD",
    )
    return {"martin": martin, "dupont": dupont}
