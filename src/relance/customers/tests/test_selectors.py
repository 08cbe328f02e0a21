import datetime
from decimal import Decimal

import pytest
from django.http import Http404

from relance.customers import selectors
from relance.customers.models import Customer, CustomField
from relance.customers.tests.factories import CustomerFactory
from relance.ledger.tests.factories import ItemFactory

TODAY = datetime.date(2026, 3, 31)


def days_ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


def invoice(customer, amount, *, due, open_amount=None, **kwargs):
    return ItemFactory(
        customer=customer,
        amount=Decimal(amount),
        open_amount=Decimal(open_amount if open_amount is not None else amount),
        due_date=due,
        issue_date=due - datetime.timedelta(days=30),
        **kwargs,
    )


def credit(customer, amount, *, kind="credit_note", **kwargs):
    return ItemFactory(
        customer=customer, kind=kind, amount=Decimal(amount), issue_date=days_ago(5), **kwargs
    )


@pytest.fixture
def account(acme):
    """An Acme customer with overdue, not-due, settled invoices and two open credits."""
    customer = CustomerFactory(entity=acme, name="Dupont SA")
    invoice(customer, "1000.00", due=days_ago(45))
    invoice(customer, "500.00", open_amount="200.00", due=days_ago(-10))
    invoice(customer, "300.00", open_amount="0", due=days_ago(100))  # settled
    credit(customer, "100.00")
    credit(customer, "50.00", kind="payment")
    return customer


def listed(customer, today=TODAY):
    customers = Customer.objects.filter(pk=customer.pk)
    return selectors.with_figures(customers, today).get()


def test_list_figures_net_open_invoices_and_credits(account):
    row = listed(account)
    assert row.open_invoices == Decimal("1200.00")
    assert row.credits == Decimal("150.00")
    assert row.outstanding == Decimal("1050.00")
    assert row.overdue == Decimal("1000.00")
    assert row.oldest_overdue == days_ago(45)


def test_list_figures_of_a_customer_without_items_are_zero(acme):
    row = listed(CustomerFactory(entity=acme))
    assert (row.open_invoices, row.credits, row.outstanding, row.overdue) == (0, 0, 0, 0)
    assert row.oldest_overdue is None


def test_summary_totals_match_the_list(account):
    summary = selectors.customer_account_summary(account, TODAY)
    [eur] = summary.currencies
    assert eur.currency == "EUR"
    assert eur.open_invoices == Decimal("1200.00")
    assert eur.credits == Decimal("150.00")
    assert eur.outstanding == Decimal("1050.00")
    assert eur.overdue == Decimal("1000.00")
    assert eur.invoice_count == 2
    assert eur.oldest_due == days_ago(45)
    assert eur.max_days_overdue == 45
    assert summary.max_days_overdue == 45


def test_aging_bucket_boundaries(acme):
    customer = CustomerFactory(entity=acme)
    # days overdue -> amount; the amounts are powers of ten so each bucket's sum says who is in.
    for days, amount in [
        (-5, "1"),
        (0, "2"),
        (1, "10"),
        (30, "20"),
        (31, "100"),
        (60, "200"),
        (61, "1000"),
        (90, "2000"),
        (91, "10000"),
        (400, "20000"),
    ]:
        invoice(customer, amount, due=days_ago(days))
    [eur] = selectors.customer_account_summary(customer, TODAY).currencies
    buckets = {key: amount for key, _label, amount in eur.buckets}
    assert buckets == {
        "not_due": Decimal("3"),
        "d1_30": Decimal("30"),
        "d31_60": Decimal("300"),
        "d61_90": Decimal("3000"),
        "d90_plus": Decimal("30000"),
    }
    assert eur.overdue == Decimal("33330")
    assert eur.max_days_overdue == 400
    bars = {bar["key"]: bar["percent"] for bar in eur.bars}
    assert bars["d90_plus"] == 100
    assert bars["not_due"] == 0


def test_credits_are_not_aged(account):
    [eur] = selectors.customer_account_summary(account, TODAY).currencies
    assert sum(amount for _key, _label, amount in eur.buckets) == eur.open_invoices


def test_currencies_are_kept_apart(acme):
    customer = CustomerFactory(entity=acme, currency="EUR")
    invoice(customer, "100.00", due=days_ago(10))
    invoice(customer, "7.00", due=days_ago(70), currency="USD")
    credit(customer, "3.00", currency="USD")
    summary = selectors.customer_account_summary(customer, TODAY)
    assert [c.currency for c in summary.currencies] == ["EUR", "USD"]
    eur, usd = summary.currencies
    assert (eur.open_invoices, eur.overdue, eur.credits) == (Decimal("100"), Decimal("100"), 0)
    assert (usd.open_invoices, usd.outstanding) == (Decimal("7"), Decimal("4"))
    assert usd.max_days_overdue == 70
    # The list counts the customer's own currency only.
    row = listed(customer)
    assert (row.open_invoices, row.overdue, row.credits) == (Decimal("100"), Decimal("100"), 0)
    assert row.oldest_overdue == days_ago(10)


def test_due_today_is_not_overdue(acme):
    customer = CustomerFactory(entity=acme)
    invoice(customer, "10.00", due=TODAY)
    assert listed(customer).overdue == 0
    assert selectors.customer_account_summary(customer, TODAY).currencies[0].overdue == 0


def test_each_entity_ages_on_its_own_today(acme, globex):
    paris = CustomerFactory(entity=acme)
    london = CustomerFactory(entity=globex)
    invoice(paris, "10.00", due=TODAY)
    invoice(london, "10.00", due=TODAY)
    todays = {acme.pk: TODAY + datetime.timedelta(days=1), globex.pk: TODAY}
    rows = selectors.with_figures(Customer.objects.all(), todays).in_bulk()
    assert rows[paris.pk].overdue == Decimal("10.00")
    assert rows[london.pk].overdue == 0
    overdue = Customer.objects.filter(selectors.overdue_invoices_exist(todays))
    assert list(overdue) == [paris]


def test_credit_limit_use_is_the_outstanding_share(account):
    account.credit_limit = Decimal("2100.00")
    summary = selectors.customer_account_summary(account, TODAY)
    assert summary.credit_limit_use == Decimal("50.0")
    account.credit_limit = None
    assert selectors.customer_account_summary(account, TODAY).credit_limit_use is None


def test_summary_of_a_settled_account_is_empty(acme):
    summary = selectors.customer_account_summary(CustomerFactory(entity=acme), TODAY)
    assert summary.currencies == []
    assert summary.oldest_due is None and summary.max_days_overdue is None


def test_summary_is_one_query(account, django_assert_num_queries):
    with django_assert_num_queries(1):
        selectors.customer_account_summary(account, TODAY)


def test_open_items_oldest_first_with_days_overdue(account):
    items = selectors.customer_open_items(account, TODAY)
    assert [item.kind for item in items] == ["invoice", "invoice", "credit_note", "payment"]
    assert items[0].days_overdue == 45
    assert items[1].days_overdue is None
    assert all(item.open_amount > 0 for item in items)


def test_customer_detail_is_404_when_not_visible(acme, globex, alice, bob):
    theirs = CustomerFactory(entity=globex)
    assert selectors.customer_detail(alice, theirs.pk) == theirs
    with pytest.raises(Http404):
        selectors.customer_detail(bob, theirs.pk)
    with pytest.raises(Http404):
        selectors.customer_detail(alice, theirs.pk + 1000)


def test_list_queryset_is_scoped(acme, globex, bob):
    mine = CustomerFactory(entity=acme)
    CustomerFactory(entity=globex)
    assert list(selectors.customer_list_queryset(bob)) == [mine]


def test_custom_fields_with_labels_in_order(acme):
    CustomField.objects.create(name="siren_group", label="Group", position=2)
    CustomField.objects.create(name="sector", label="Sector", position=1)
    CustomField.objects.create(name="opened", label="Opened", position=3, type="date")
    customer = CustomerFactory(
        entity=acme,
        custom_field_data={
            "siren_group": "G1",
            "sector": "Retail",
            "legacy": "x",
            "opened": "2013-07-05",
            "empty": "",
        },
    )
    assert selectors.customer_custom_fields(customer) == [
        ("Sector", "Retail", "text"),
        ("Group", "G1", "text"),
        ("Opened", datetime.date(2013, 7, 5), "date"),
        ("legacy", "x", ""),
    ]


def test_categories_are_each_entitys_distinct_ones_sorted(acme, globex, django_assert_num_queries):
    for category in ("wholesale", "retail", "wholesale", "", "Zeta", "retail"):
        CustomerFactory(entity=acme, category=category)
    CustomerFactory(entity=globex, category="export")
    CustomerFactory(entity=globex, category="retail")

    assert selectors.customer_categories([acme.pk]) == ["Zeta", "retail", "wholesale"]
    with django_assert_num_queries(2):  # one probe per entity, whatever the customer count
        both = selectors.customer_categories([acme.pk, globex.pk])
    assert both == ["Zeta", "export", "retail", "wholesale"]
    assert selectors.customer_categories([]) == []


@pytest.mark.parametrize(
    ("country", "lines"),
    [
        ("GB", ["1 High Street", "Flat 2", "LONDON", "SW1A 1AA"]),
        ("IE", ["1 High Street", "Flat 2", "LONDON", "SW1A 1AA"]),
        ("FR", ["1 High Street", "Flat 2", "SW1A 1AA LONDON"]),
        ("DE", ["1 High Street", "Flat 2", "SW1A 1AA LONDON"]),
        ("US", ["1 High Street", "Flat 2", "LONDON, SW1A 1AA"]),
        ("", ["1 High Street", "Flat 2", "SW1A 1AA London"]),
    ],
)
def test_address_lines_follow_the_countrys_post(country, lines):
    address = Customer(
        country=country,
        address_line1="1 High Street",
        address_line2="Flat 2",
        postal_code="SW1A 1AA",
        city="London",
    )
    assert selectors.address_lines(address, home_country=country) == lines
    named = selectors.address_lines(address, home_country="XX", country_name=str.lower)
    assert named == lines + ([country.lower()] if country else [])


def test_an_address_without_a_country_is_laid_out_as_its_default():
    contact = Customer(
        country="", address_line1="1 High Street", postal_code="E1 6AN", city="London"
    )
    assert selectors.address_lines(contact, default_country="GB") == [
        "1 High Street",
        "LONDON",
        "E1 6AN",
    ]


def test_a_uk_address_reads_town_then_postcode_in_capitals():
    """Royal Mail's order, not "M1 2EF Manchester"; French and Japanese ones in theirs."""
    manchester = Customer(
        country="GB", address_line1="1 Piccadilly", postal_code="M1 2EF", city="Manchester"
    )
    assert selectors.address_lines(manchester, home_country="GB") == [
        "1 Piccadilly",
        "MANCHESTER",
        "M1 2EF",
    ]
    tokyo = Customer(
        country="JP", address_line1="千代田区丸の内1-1", postal_code="100-0005", city="東京都"
    )
    assert selectors.address_lines(tokyo, home_country="JP") == [
        "〒100-0005",
        "東京都",
        "千代田区丸の内1-1",
    ]


@pytest.mark.parametrize(
    ("country", "postal_code", "problem"),
    [
        ("GB", "M1 2EF", ""),
        ("GB", "75002", "75002 is not a postal code of United Kingdom (for example EC1Y 8SY)."),
        ("FR", "7500", "7500 is not a postal code of France (for example 33380)."),
        ("FR", "75002", ""),
        ("PL", "00-950", ""),
        ("PL", "00950", "00950 is not a postal code of Poland (for example 00-950)."),
        ("", "anything", ""),  # no country: nothing to check against
    ],
)
def test_address_problems_check_the_postcode_against_the_country(country, postal_code, problem):
    assert selectors.address_problems(country, postal_code) == ([problem] if problem else [])
