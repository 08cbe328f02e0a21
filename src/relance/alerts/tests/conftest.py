import datetime
from decimal import Decimal

import pytest

from relance.engine.tests.conftest import make_customer, make_invoice

DAY = datetime.timedelta(days=1)


def rules(*leaves, op="and") -> dict:
    """A criteria tree of (field, lookup, value) leaves."""
    return {
        "op": op,
        "rules": [{"field": f, "lookup": lookup, "value": value} for f, lookup, value in leaves],
    }


@pytest.fixture
def customers(acme, globex):
    """Big is over its limit and 50 days late; Small broke a promise; Kept's promise holds;
    Paid owes nothing; Abroad (Globex, GBP) is late, over its limit and broke a promise;
    Insured is covered by Coface until in 20 days and holds a bank guarantee."""
    today = acme.today()
    big = make_customer(acme, name="Big", credit_limit=Decimal("500"))
    make_invoice(big, "B-1", today - 50 * DAY, amount=Decimal("1000"))
    small = make_customer(acme, name="Small", credit_limit=Decimal("5000"))
    make_invoice(small, "S-1", today - 5 * DAY, amount=Decimal("100"))
    make_invoice(small, "S-2", today + 10 * DAY, amount=Decimal("200"), promise_date=today - DAY)
    kept = make_customer(acme, name="Kept")
    make_invoice(kept, "K-1", today + 10 * DAY, amount=Decimal("300"), promise_date=today + DAY)
    paid = make_customer(acme, name="Paid")
    make_invoice(
        paid,
        "P-1",
        today - 40 * DAY,
        amount=Decimal("300"),
        open_amount=Decimal("0"),
        promise_date=today - 3 * DAY,
    )
    abroad = make_customer(globex, name="Abroad", credit_limit=Decimal("10"), currency="GBP")
    # Globex keeps London time: its "today" is Acme's yesterday from 23:00 UTC.
    globex_today = globex.today()
    make_invoice(
        abroad,
        "A-1",
        globex_today - 60 * DAY,
        amount=Decimal("2000"),
        currency="GBP",
        promise_date=globex_today - 2 * DAY,
    )
    insured = make_customer(
        acme,
        name="Insured",
        insurer="Coface",
        insured_amount=Decimal("8000"),
        insurance_expires_on=today + 20 * DAY,
        guarantee_kind="bank_guarantee",
        guarantee_amount=Decimal("1500"),
    )
    make_invoice(insured, "I-1", today + 3 * DAY, amount=Decimal("12000"), disputed=True)
