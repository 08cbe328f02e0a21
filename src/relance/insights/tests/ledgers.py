"""The ledger of Acme France whose payment behaviour, step effectiveness and cash forecast
docs/insights.md works out by hand (sections "Payment behaviour", "Step effectiveness" and
"Cash forecast"), at AS_OF = Tuesday 30 June 2026.

Invoices in EUR (issued, due, amount: what happened):
  A  Martin  01-01 01-31  1000  settled 02-10 (10 days late)
  B  Martin  02-01 03-03  3000  settled 03-03 (on time)
  C  Martin  04-01 05-01  2000  promised for 05-15, settled 05-21 (20 days late)
  D  Martin  05-01 05-31   500  promised for 06-10, open
  E  Martin  05-10 06-09  1000  promised for 06-05, settled 06-05 (on time)
  F  Martin  06-01 07-01   400  open, disputed since 06-20
  G  Martin  03-01 03-31   600  open, disputed on 04-01, cleared on 04-15
  H  Martin  2025-06-01 2025-07-01  900  settled 2025-06-20 (before the year measured)
  I  Martin  06-10 07-10   700  open, promised for 07-06
  K1 Dupont  02-01 03-03  1000  settled 04-02 (30 days late)
  J  Dupont  06-01 07-20  1500  300 paid on 06-30, 1200 open
  K  Dupont  06-29 10-01   300  open (due in October)
  L  Dupont  USD 06-01 07-01  250  open
"""

import datetime
from decimal import Decimal

from relance.activity.choices import EventKind
from relance.activity.models import CustomerEvent
from relance.customers.tests.factories import CustomerFactory
from relance.ledger.models import ItemAmountChange
from relance.ledger.tests.factories import ItemFactory

D = Decimal
AS_OF = datetime.date(2026, 6, 30)


def day(month: int, number: int, year: int = 2026) -> datetime.date:
    return datetime.date(year, month, number)


def paid(item, on: datetime.date, amount: str) -> None:
    """A decrease of the open amount of `item` on `on` (a payment seen by an import)."""
    after = item.open_amount
    ItemAmountChange.objects.create(
        entity=item.entity, item=item, day=on, open_amount_after=after, delta=-D(amount)
    )


def invoice(customer, number, issued, due, amount, *, open_amount=None, **fields):
    return ItemFactory(
        customer=customer,
        number=number,
        issue_date=issued,
        due_date=due,
        amount=D(amount),
        open_amount=D(amount) if open_amount is None else D(open_amount),
        **fields,
    )


def event(customer, on, kind, **data):
    return CustomerEvent.objects.create(
        entity=customer.entity, customer=customer, day=on, kind=kind, data=data
    )


def build(acme, collector=None) -> dict:
    martin = CustomerFactory(entity=acme, name="Boulangerie Martin", currency="EUR")
    dupont = CustomerFactory(entity=acme, name="Dupont SA", currency="EUR")
    if collector is not None:
        martin.collector = collector
        martin.save(update_fields=["collector"])
    items = {}
    items["A"] = invoice(
        martin, "A", day(1, 1), day(1, 31), "1000", open_amount="0", settled_on=day(2, 10)
    )
    items["B"] = invoice(
        martin, "B", day(2, 1), day(3, 3), "3000", open_amount="0", settled_on=day(3, 3)
    )
    items["C"] = invoice(
        martin,
        "C",
        day(4, 1),
        day(5, 1),
        "2000",
        open_amount="0",
        settled_on=day(5, 21),
        promise_date=day(5, 15),
    )
    items["D"] = invoice(martin, "D", day(5, 1), day(5, 31), "500", promise_date=day(6, 10))
    items["E"] = invoice(
        martin,
        "E",
        day(5, 10),
        day(6, 9),
        "1000",
        open_amount="0",
        settled_on=day(6, 5),
        promise_date=day(6, 5),
    )
    items["F"] = invoice(
        martin,
        "F",
        day(6, 1),
        day(7, 1),
        "400",
        disputed=True,
        dispute_date=day(6, 20),
        dispute_reason="Damaged",
    )
    items["G"] = invoice(martin, "G", day(3, 1), day(3, 31), "600")
    items["H"] = invoice(
        martin,
        "H",
        day(6, 1, 2025),
        day(7, 1, 2025),
        "900",
        open_amount="0",
        settled_on=day(6, 20, 2025),
        promise_date=day(6, 15, 2025),
    )
    items["I"] = invoice(martin, "I", day(6, 10), day(7, 10), "700", promise_date=day(7, 6))
    items["K1"] = invoice(
        dupont, "K1", day(2, 1), day(3, 3), "1000", open_amount="0", settled_on=day(4, 2)
    )
    items["J"] = invoice(dupont, "J", day(6, 1), day(7, 20), "1500", open_amount="1200")
    items["K"] = invoice(dupont, "K", day(6, 29), day(10, 1), "300")
    items["L"] = invoice(dupont, "L", day(6, 1), day(7, 1), "250", currency="USD")
    # The payments the imports saw (the forecast's past weeks).
    paid(items["B"], day(3, 3), "3000")  # before the 13 weeks shown
    paid(items["C"], day(5, 21), "2000")
    paid(items["E"], day(6, 5), "1000")
    paid(items["J"], AS_OF, "300")
    # G's dispute, opened and cleared by hand; F's is open (opened on the customer's page).
    event(martin, day(4, 1), EventKind.DISPUTE_OPENED, items=["G"], reason="Price")
    event(martin, day(4, 15), EventKind.DISPUTE_CLEARED, items=["G"])
    event(martin, day(6, 20), EventKind.PORTAL_ANSWER, answer="dispute", items=["F"])
    return {"martin": martin, "dupont": dupont, "items": items}
