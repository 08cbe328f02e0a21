"""`__among`: the same rows as `__in`, one array parameter on PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from relance.core.tests.factories import EntityFactory
from relance.customers.models import Contact, Customer
from relance.customers.tests.factories import ContactFactory, CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def customers():
    entity = EntityFactory(slug="acme-fr", name="Acme France")
    return [CustomerFactory(entity=entity, external_id=f"C{n}") for n in range(5)]


def test_among_finds_what_in_finds(customers):
    wanted = [customers[3].pk, customers[0].pk, customers[3].pk, None, 10**9]
    among = list(Customer.objects.filter(pk__among=wanted).order_by("pk"))
    assert among == list(Customer.objects.filter(pk__in=wanted).order_by("pk"))
    assert among == [customers[0], customers[3]]


def test_among_on_a_foreign_key_and_excluded(customers):
    for customer in customers[:3]:
        ContactFactory(customer=customer)
    ids = [customers[1].pk, customers[4].pk]
    assert [c.customer_id for c in Contact.objects.filter(customer_id__among=ids)] == [ids[0]]
    assert Contact.objects.filter(customer__among=ids).count() == 1
    assert Customer.objects.exclude(pk__among=ids).count() == 3


def test_an_empty_list_finds_nothing_without_a_query(customers):
    with CaptureQueriesContext(connection) as queries:
        assert list(Customer.objects.filter(pk__among=[])) == []
        assert list(Customer.objects.filter(pk__among=[None])) == []
    assert len(queries) == 0


def test_a_subquery_goes_as_in(customers):
    inner = Customer.objects.filter(external_id__in=["C1", "C2"]).values("pk")
    assert Customer.objects.filter(pk__among=inner).count() == 2


def test_one_array_parameter_on_postgresql(customers):
    ids = [c.pk for c in customers]
    sql, params = Customer.objects.filter(pk__among=ids).query.sql_with_params()
    if connection.vendor == "postgresql":
        assert "= ANY(%s::bigint[])" in sql
        assert list(params) == [ids]
    else:
        assert " IN (" in sql
        assert list(params) == ids


def test_rows_ids_and_strings_are_prepared_as_in_prepares_them(customers):
    """Plain ints go as they are; anything else (a row, a numeric string) is prepared value
    by value, as `__in` does."""
    for customer in customers[:3]:
        ContactFactory(customer=customer)
    mixed = [customers[0], customers[1].pk, str(customers[2].pk)]
    assert Contact.objects.filter(customer__among=mixed).count() == 3
    assert Customer.objects.filter(pk__among=[str(customers[0].pk)]).get() == customers[0]
