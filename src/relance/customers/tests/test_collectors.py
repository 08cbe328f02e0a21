"""A read-only user cannot be made a customer's collector: not by an import, not in the
admin's customer form."""

import pytest
from django.core.exceptions import ValidationError

from relance.accounts.tests.factories import UserFactory
from relance.customers.tests.factories import CustomerFactory
from relance.ledger.services import import_error_lines
from relance.ledger.tests.test_importers import run, stored_counts, write_csv

pytestmark = pytest.mark.django_db


def test_the_customer_import_refuses_a_read_only_collector(acme, tmp_path):
    UserFactory(username="dave", role="read_only", all_entities=True)
    before = stored_counts()
    rows = [["external_id", "name", "collector"], ["C1", "One", "DAVE@example.com"]]
    batch = run("customers", write_csv(tmp_path / "c.csv", rows), acme)
    assert import_error_lines(batch) == [
        "row 2, column collector: 'DAVE@example.com' is read-only: a read-only user cannot collect"
    ]
    assert stored_counts() == before


def test_a_read_only_user_shares_no_email_with_a_collector(acme, bob, tmp_path):
    """Read-only users are no candidates: bob's email, also a read-only user's, is bob."""
    UserFactory(username="bob-reader", role="read_only", email=bob.email, all_entities=True)
    rows = [["external_id", "name", "collector"], ["C1", "One", bob.email]]
    assert run("customers", write_csv(tmp_path / "c.csv", rows), acme).errors == []


def test_the_customer_form_refuses_a_read_only_collector(acme):
    dave = UserFactory(username="dave", role="read_only", all_entities=True)
    customer = CustomerFactory(entity=acme)
    customer.collector = dave
    with pytest.raises(ValidationError) as refused:
        customer.full_clean()
    assert refused.value.message_dict["collector"] == [
        "dave is read-only: a read-only user cannot collect."
    ]
