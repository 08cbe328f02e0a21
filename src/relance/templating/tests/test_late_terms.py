"""The hashtags that claim late-payment terms follow the country pack of the entity (or of
the customer, or the contract), and a British formal notice prints them."""

import datetime
from decimal import Decimal

import pytest

from relance.core.tests.factories import EntityFactory
from relance.customers.tests.factories import CustomerFactory
from relance.ledger.tests.factories import ItemFactory
from relance.templating.defaults import default_text
from relance.templating.formatting import formatter
from relance.templating.hashtags import HASHTAGS
from relance.templating.render import render
from relance.templating.selectors import customer_context
from relance.templating.tests.factories import MessageTemplateFactory
from relance.templating.tests.test_letters import pdf_text

LETTER_DAY = datetime.date(2025, 2, 10)


def plain(value: str) -> str:
    return value.replace("\u202f", " ").replace("\xa0", " ")


def value(name, ctx, language="en"):
    return plain(HASHTAGS[name].text(ctx, formatter(language, ctx.region)))


@pytest.fixture
def acme_uk(db):
    return EntityFactory(
        slug="acme-uk",
        name="Acme Industries Ltd",
        country="GB",
        currency="GBP",
        language="en",
        time_zone="Europe/London",
    )


@pytest.fixture
def brown(acme_uk):
    """A British customer with one £1,500 invoice overdue since 21 June 2024."""
    customer = CustomerFactory(
        entity=acme_uk,
        name="Brown & Sons Ltd",
        external_id="C-BRN",
        country="GB",
        address_line1="1 High Street",
        postal_code="M1 1AA",
        city="Manchester",
    )
    ItemFactory(
        customer=customer,
        number="INV-1500",
        amount=Decimal("1500.00"),
        issue_date=datetime.date(2024, 5, 21),
        due_date=datetime.date(2024, 6, 20),
    )
    return customer


def test_a_uk_debt_gets_the_tiered_fee_and_boe_plus_8(brown):
    ctx = customer_context(brown, LETTER_DAY)
    # 1500 × 13.25 % × 235 / 365 = 127.96 (see countries/tests/test_interest.py)
    assert value("late_interest_amount", ctx) == "£127.96"
    assert value("recovery_fee", ctx) == "£70.00"  # £1,000 to £9,999.99
    assert value("late_penalty_rate", ctx) == "13.25%"
    mentions = value("legal_mentions", ctx)
    assert mentions.startswith("Under the Late Payment of Commercial Debts (Interest) Act 1998")
    assert "13.25% a year (the Bank of England base rate of 5.25% plus 8 points)" in mentions
    assert "£127.96 to date" in mentions and "fixed compensation of £70.00" in mentions


def test_fees_add_up_per_invoice_by_its_size(brown):
    for number, amount in (("INV-999", "999.99"), ("INV-10K", "10000.00")):
        ItemFactory(
            customer=brown,
            number=number,
            amount=Decimal(amount),
            issue_date=datetime.date(2024, 12, 1),
            due_date=datetime.date(2024, 12, 31),
        )
    ctx = customer_context(brown, LETTER_DAY)
    assert value("recovery_fee", ctx) == "£210.00"  # 70 + 40 + 100
    # Two rates cited: 13.25 % (INV-1500, overdue in H1 2024) and 12.75 % (the others, overdue
    # from 1 January 2025: base rate 4.75 on 31 December 2024 + 8).
    assert value("late_penalty_rate", ctx) == "13.25% / 12.75%"


def test_a_contractual_rate_is_used_and_cited_instead(brown, acme_uk):
    acme_uk.late_interest_rate = Decimal("15")
    acme_uk.save()
    brown.refresh_from_db()
    ctx = customer_context(brown, LETTER_DAY)
    # 1500 × 0.15 × 235 / 365 = 144.8630 -> £144.86
    assert value("late_interest_amount", ctx) == "£144.86"
    mentions = value("legal_mentions", ctx)
    assert mentions.startswith("Under our terms of trade, interest at 15% a year, £144.86")
    assert "Bank of England" not in mentions
    assert value("recovery_fee", ctx) == "£70.00"  # the fee stays the statutory one


def test_the_customers_country_law_when_the_entity_says_so(acme):
    customer = CustomerFactory(entity=acme, country="DE", name="Müller GmbH", language="en")
    ItemFactory(
        customer=customer,
        number="R-1",
        amount=Decimal("5000.00"),
        issue_date=datetime.date(2024, 11, 15),
        due_date=datetime.date(2024, 12, 15),
    )
    today = datetime.date(2025, 8, 10)
    # The entity's (French) law by default: ECB + 10 over the same three half-years.
    french = customer_context(customer, today)
    assert "Code de commerce" in value("legal_mentions", french, "fr")
    acme.late_terms_country = "customer"
    acme.save()
    customer.refresh_from_db()
    german = customer_context(customer, today)
    # 5000 × (12.37 % × 16 + 11.27 % × 181 + 10.27 % × 41) / 365 = 364.23 (test_interest.py)
    assert value("late_interest_amount", german) == "€364.23"
    assert value("legal_mentions", german).startswith("Under § 288(2) of the German Civil Code")
    # A message in French cites German law in German: the pack has no French sentences.
    assert value("legal_mentions", german, "fr").startswith("Gemäß § 288 Abs. 2 BGB")


def test_the_items_table_has_an_interest_column(brown):
    ctx = customer_context(brown, LETTER_DAY)
    html = HASHTAGS["overdue_items_list"].html(ctx, formatter("en", "GB"))
    assert ">Interest</th>" in html and "£127.96</td>" in html
    assert "(+ interest £127.96)" in value("items_list", ctx)


def test_a_british_formal_notice_pdf_claims_70_pounds_and_boe_plus_8(brown):
    notice = MessageTemplateFactory(
        name="Formal notice",
        entity=brown.entity,
        channel="letter",
        letter_type="registered",
        variants={"en": default_text("NOTICE", "en")},
    )
    text = pdf_text(render(notice, brown, language="en", today=LETTER_DAY).pdf)
    flat = " ".join(text.split())
    assert "£0.00" not in flat
    assert "fixed compensation of £70.00" in flat
    assert "statutory interest is due at 13.25% a year" in flat
    assert "Bank of England base rate of 5.25% plus 8 points" in flat
    assert "£127.96 to date" in flat
    [row] = [line for line in text.splitlines() if "INV-1500" in line]
    assert "235" in row and "£1,500.00" in row and "£127.96" in row  # days, open, interest
