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


def invoice(customer, issued, due, amount, *, settled_on=None, open_amount=None, **extra):
    return ItemFactory(
        customer=customer,
        issue_date=issued,
        due_date=due,
        amount=D(amount),
        open_amount=D(amount if open_amount is None and settled_on is None else open_amount or 0),
        settled_on=settled_on,
        **extra,
    )


@pytest.fixture
def risky(acme):
    """Risky SA, credit limit 4,000 EUR.
    Settled in the year (days late = settled on − due date):
      R1 1000 due 2025-11-01 settled 2025-11-11: 10 days late (before the last 90 days)
      R2 3000 due 2026-01-10 settled 2026-02-19: 40 days late (in the last 90 days)
      R3 1000 due 2026-02-01 settled 2026-02-01: on time (in the last 90 days)
    Open: R4 2000 due 2026-03-01 (overdue, disputed), R5 2000 due 2026-04-30 (disputed),
    a credit note of 500, and an invoice in USD (not the customer's currency: left out)."""
    customer = CustomerFactory(entity=acme, name="Risky SA", credit_limit=D("4000"))
    invoice(customer, day(10, 2, 2025), day(11, 1, 2025), "1000", settled_on=day(11, 11, 2025))
    invoice(customer, day(12, 11, 2025), day(1, 10), "3000", settled_on=day(2, 19))
    invoice(customer, day(1, 2), day(2, 1), "1000", settled_on=day(2, 1))
    invoice(customer, day(1, 30), day(3, 1), "2000", disputed=True)
    invoice(customer, day(3, 31), day(4, 30), "2000", disputed=True)
    ItemFactory(customer=customer, kind="credit_note", issue_date=day(3, 1), amount=D("500"))
    invoice(customer, day(1, 5), day(1, 20), "9000", currency="USD")
    return customer


@pytest.fixture
def prudent(acme):
    """Prudent SARL, no credit limit: P1 1000 due 2026-01-15 paid that day; P2 1000 open,
    due 2026-04-15, issued 2026-03-16."""
    customer = CustomerFactory(entity=acme, name="Prudent SARL")
    invoice(customer, day(12, 16, 2025), day(1, 15), "1000", settled_on=day(1, 15))
    invoice(customer, day(3, 16), day(4, 15), "1000")
    return customer
