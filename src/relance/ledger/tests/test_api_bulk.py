"""Bulk upserts through the API: the same checks, messages and writes as the file imports
(ledger/importers, one layer for both), all or nothing, idempotency keys."""

import csv
import re

import pytest

from relance.accounts import services as account_services
from relance.accounts.tests.factories import UserFactory
from relance.core.tests.factories import EntityFactory
from relance.customers.models import Contact, Customer
from relance.ledger.models import Item
from relance.ledger.tests.test_import_errors import (
    CONTACT_CASES,
    CONTACT_HEADER,
    CUSTOMER_CASES,
    CUSTOMER_HEADER,
    GOOD_ITEM,
    ITEM_CASES,
    ITEM_HEADER,
)
from relance.ledger.tests.test_importers import DATA, run, stored_counts, write_csv

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def claire(acme):
    """A credit manager of Acme France (who may import), calling with her token."""
    user = UserFactory(username="claire", role="credit_manager")
    user.entities.set([acme])
    return user


@pytest.fixture
def api(client, claire):
    _token, secret = account_services.api_token_create(user=claire, name="erp")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return client


def post(client, kind: str, entity, records, **headers):
    body = {"entity": entity.pk, "items": records}
    return client.post(f"{API}/{kind}/bulk/", body, content_type="application/json", **headers)


def records_of(path) -> list[dict]:
    """A file's rows as the API takes them: one object per row, cells as text."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def file_errors_as_api_lines(errors: list[dict]) -> list[str]:
    """A file's errors as the API words them: row N of the file is items[N-2] (the header
    is row 1), and so is the earlier row a duplicate names."""

    def item_row(found):
        return f"in the request (first at items[{int(found[1]) - 2}])"

    return [
        f"items[{error['row'] - 2}].{error['column']}: "
        + re.sub(r"in the file \(first at row (\d+)\)", item_row, error["reason"])
        for error in errors
    ]


def stored(entity) -> dict:
    """What an import wrote for `entity`, without ids and times."""
    return {
        "customers": sorted(
            Customer.objects.filter(entity=entity).values_list(
                "external_id", "name", "legal_id", "city", "currency", "credit_limit", "on_hold"
            )
        ),
        "contacts": sorted(
            Contact.objects.filter(customer__entity=entity).values_list(
                "customer__external_id", "email", "phone", "is_collection", "is_billing"
            )
        ),
        "items": sorted(
            Item.objects.filter(entity=entity).values_list(
                "customer__external_id", "kind", "number", "due_date", "amount", "open_amount"
            )
        ),
    }


def test_the_example_files_give_the_same_rows_through_the_api(api, acme, claire, bob):
    twin = EntityFactory(slug="acme-twin", name="Acme twin", country="FR", currency="EUR")
    bob.entities.add(twin)  # the files name bob as a collector
    claire.entities.add(twin)
    for kind in ("customers", "contacts", "items"):
        batch = run(kind, DATA / f"{kind}.csv", acme, acting_user=claire)
        assert batch.errors == []
        response = post(api, kind, twin, records_of(DATA / f"{kind}.csv"))
        assert response.status_code == 200, response.json()
        assert response.json() == {
            "rows": batch.rows,
            "created": batch.created,
            "updated": batch.updated,
            "unchanged": batch.unchanged,
            "dry_run": False,
        }
    assert stored(twin) == stored(acme)
    assert stored(acme)["items"]


CASES = [
    *(("items", ITEM_HEADER, rows, case) for case, (rows, _line) in ITEM_CASES.items()),
    *(("customers", CUSTOMER_HEADER, [row], case) for case, (row, _l) in CUSTOMER_CASES.items()),
    *(("contacts", CONTACT_HEADER, [row], case) for case, (row, _l) in CONTACT_CASES.items()),
]


@pytest.mark.parametrize(
    ("kind", "header", "rows"), [case[:3] for case in CASES], ids=[case[3] for case in CASES]
)
def test_bad_rows_get_the_file_imports_messages(api, acme, globex, tmp_path, kind, header, rows):
    from relance.customers.tests.factories import CustomerFactory

    CustomerFactory(entity=acme, external_id="C001")
    UserFactory(username="carol-globex", email="carol@example.com").entities.set([globex])
    before = stored_counts()
    batch = run(kind, write_csv(tmp_path / "f.csv", [header, *rows]), acme)
    assert batch.errors
    response = post(api, kind, acme, [dict(zip(header, row, strict=True)) for row in rows])

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == file_errors_as_api_lines(batch.errors)
    assert stored_counts() == before


def test_one_bad_row_writes_nothing(api, acme):
    from relance.customers.tests.factories import CustomerFactory

    CustomerFactory(entity=acme, external_id="C001")
    good = dict(zip(ITEM_HEADER, GOOD_ITEM, strict=True))
    records = [{**good, "number": f"G{n}"} for n in range(50)] + [{**good, "amount": "x"}]
    response = post(api, "items", acme, records)
    assert response.status_code == 400
    assert response.json()["errors"] == ["items[50].amount: 'x' is not an amount"]
    assert not Item.objects.exists()


def test_unknown_and_nested_values_are_named_by_item(api, acme):
    good = dict(zip(CUSTOMER_HEADER, CUSTOMER_CASES["bad country"][0], strict=True))
    response = post(api, "customers", acme, [{**good, "country": "FR"}, {**good, "colour": "red"}])
    lines = response.json()["errors"]
    assert lines[0].startswith("items[1].colour: unknown column; accepted columns are:")
    response = post(api, "customers", acme, [{**good, "name": {"first": "x"}}])
    assert response.json()["errors"] == ["items[0].name: expected a text, a number or true/false"]


def test_a_dry_run_writes_nothing(api, acme):
    response = post(
        api, "customers", acme, [{"external_id": "C9", "name": "Nine"}], QUERY_STRING="dry_run=1"
    )
    assert response.status_code == 200
    assert response.json()["created"] == 1 and response.json()["dry_run"] is True
    assert not Customer.objects.exists()


def test_a_collector_may_not_import_and_nobody_imports_into_another_entity(
    client, api, acme, globex, bob
):
    response = post(api, "customers", globex, [{"external_id": "C9", "name": "Nine"}])
    assert response.status_code == 400
    assert response.json()["errors"][0].startswith("entity: Invalid pk")
    _token, secret = account_services.api_token_create(user=bob, name="mine")
    response = post(
        client,
        "customers",
        acme,
        [{"external_id": "C9", "name": "Nine"}],
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 403
    assert not Customer.objects.exists()


def test_the_same_key_and_body_replays_the_first_answer(api, acme):
    records = [{"external_id": "C9", "name": "Nine"}]
    first = post(api, "customers", acme, records, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.json()["created"] == 1
    Customer.objects.filter(external_id="C9").update(name="Changed since")
    again = post(api, "customers", acme, records, HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 200
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Customer.objects.get(external_id="C9").name == "Changed since"  # not written again
    other = post(
        api, "customers", acme, [{"external_id": "C8", "name": "Eight"}], HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert other.status_code == 422
    assert other["Content-Type"] == "application/problem+json"
    assert not Customer.objects.filter(external_id="C8").exists()


def test_a_refused_request_keeps_its_key_free(api, acme):
    bad = post(api, "customers", acme, [{"external_id": "C9"}], HTTP_IDEMPOTENCY_KEY="k-2")
    assert bad.status_code == 400
    fixed = [{"external_id": "C9", "name": "Nine"}]
    assert post(api, "customers", acme, fixed, HTTP_IDEMPOTENCY_KEY="k-2").status_code == 200


def test_a_duplicate_names_the_earlier_item_not_a_file_row(api, acme):
    from relance.customers.tests.factories import CustomerFactory

    CustomerFactory(entity=acme, external_id="C001")
    good = dict(zip(ITEM_HEADER, GOOD_ITEM, strict=True))
    response = post(api, "items", acme, [good, {**good, "number": "G2"}, good])
    assert response.json()["errors"] == [
        "items[2].number: duplicate number in the request (first at items[0])"
    ]
