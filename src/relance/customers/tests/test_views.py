import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from relance.accounts.tests.factories import UserFactory
from relance.customers.models import CustomField, Tag
from relance.customers.tests.factories import ContactFactory, CustomerFactory
from relance.ledger.tests.factories import ItemFactory

LIST_URL = reverse("customers:list")
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "list-results"}


def overdue_invoice(customer, amount="1000.00", days=40, **kwargs):
    today = customer.entity.today()
    return ItemFactory(
        customer=customer,
        amount=Decimal(amount),
        issue_date=today - datetime.timedelta(days=days + 30),
        due_date=today - datetime.timedelta(days=days),
        **kwargs,
    )


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    """A request in French leaves French active in this thread: reset it for later tests."""
    yield
    translation.deactivate()


@pytest.fixture
def book(acme, globex):
    """Two Acme customers (one overdue, one on hold) and one Globex customer."""
    collector = UserFactory(username="carol", first_name="Carol", last_name="Petit")
    uk_collector = UserFactory(username="dave", first_name="Dave", last_name="Smith")
    vip = Tag.objects.create(name="vip")
    dupont = CustomerFactory(
        entity=acme,
        name="Dupont SA",
        external_id="C-DUP",
        legal_id="552100554",
        collector=collector,
        category="retail",
    )
    dupont.tags.add(vip)
    overdue_invoice(dupont, "1200.00", days=40, number="F-DUP-1")
    martin = CustomerFactory(
        entity=acme, name="Martin SARL", external_id="C-MAR", on_hold=True, hold_reason="Audit"
    )
    not_due = martin.entity.today() + datetime.timedelta(days=20)
    ItemFactory(customer=martin, number="F-MAR-1", amount=Decimal("300.00"), due_date=not_due)
    initech = CustomerFactory(
        entity=globex,
        name="Initech Ltd",
        external_id="G-INI",
        legal_id="GB123456789",
        collector=uk_collector,
        category="wholesale",
    )
    overdue_invoice(initech, "900.00", days=100, number="G-INI-1")
    return {"dupont": dupont, "martin": martin, "initech": initech}


def names(response) -> list[str]:
    return [row.record.name for row in response.context["table"].paginated_rows]


def test_anonymous_is_sent_to_login(client, book):
    for url in (LIST_URL, reverse("customers:detail", args=[book["dupont"].pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_home_redirects_a_read_only_user_to_the_customer_list(client, acme):
    from relance.accounts.tests.factories import UserFactory

    client.force_login(UserFactory(username="reader", role="read_only"))
    assert client.get("/")["Location"] == LIST_URL


def test_login_page_renders_for_anonymous(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b'name="language"' in response.content


def test_alice_sees_every_entity(client, alice, book):
    client.force_login(alice)
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert names(response) == ["Dupont SA", "Initech Ltd", "Martin SARL"]


def test_bob_never_sees_globex(client, bob, book):
    client.force_login(bob)
    response = client.get(LIST_URL)
    assert names(response) == ["Dupont SA", "Martin SARL"]
    body = response.content.decode()
    assert "Initech" not in body and "Globex" not in body
    # Nor in the filter choices (entities, collectors, categories).
    form = response.context["filterset"].form
    assert [e.name for e in form.fields["entity"].queryset] == ["Acme France"]
    assert [u.username for u in form.fields["collector"].queryset] == ["carol"]
    assert [value for value, _label in form.fields["category"].choices if value] == ["retail"]
    assert "Dave" not in body and "wholesale" not in body


def test_bob_search_and_filters_cannot_reach_globex(client, bob, book, globex):
    client.force_login(bob)
    assert names(client.get(LIST_URL, {"q": "Initech"})) == []
    assert names(client.get(LIST_URL, {"q": "GB123"})) == []
    # An entity bob does not see is not a filter he may use: refused, never ignored.
    refused = client.get(LIST_URL, {"entity": globex.pk})
    assert refused.status_code == 400 and "Initech" not in refused.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "dupont"}, ["Dupont SA"]),
        ({"q": "C-MAR"}, ["Martin SARL"]),
        ({"q": "552100"}, ["Dupont SA"]),
        ({"q": "GB1234"}, ["Initech Ltd"]),
        ({"overdue": "true"}, ["Dupont SA", "Initech Ltd"]),
        ({"overdue": "false"}, ["Martin SARL"]),
        ({"on_hold": "true"}, ["Martin SARL"]),
        ({"on_hold": "false"}, ["Dupont SA", "Initech Ltd"]),
        ({"category": "wholesale"}, ["Initech Ltd"]),
    ],
)
def test_search_and_filters(client, alice, book, query, expected):
    client.force_login(alice)
    assert names(client.get(LIST_URL, query)) == expected


def test_filter_by_entity_collector_and_tag(client, alice, book, acme):
    client.force_login(alice)
    assert names(client.get(LIST_URL, {"entity": acme.pk})) == ["Dupont SA", "Martin SARL"]
    carol = book["dupont"].collector
    assert names(client.get(LIST_URL, {"collector": carol.pk})) == ["Dupont SA"]
    vip = Tag.objects.get(name="vip")
    assert names(client.get(LIST_URL, {"tag": vip.pk})) == ["Dupont SA"]


def test_filter_by_custom_fields(client, alice, acme):
    CustomField.objects.create(
        name="sector", label="Sector", type="select", choices=["retail", "b2b"]
    )
    CustomField.objects.create(name="public", label="Public body", type="boolean")
    CustomField.objects.create(name="employees", label="Employees", type="integer")
    CustomField.objects.create(name="note", label="Note", type="text")
    data = {
        "Shop": {"sector": "retail", "public": False, "employees": 12, "note": "Paie en retard"},
        "Town hall": {"sector": "b2b", "public": True, "employees": 300, "note": ""},
        "Plain": {},
    }
    for name, values in data.items():
        CustomerFactory(entity=acme, name=name, custom_field_data=values)
    client.force_login(alice)
    response = client.get(LIST_URL)
    assert "Sector" in response.content.decode() and "Public body" in response.content.decode()
    assert names(client.get(LIST_URL, {"cf_sector": "retail"})) == ["Shop"]
    assert names(client.get(LIST_URL, {"cf_public": "true"})) == ["Town hall"]
    assert names(client.get(LIST_URL, {"cf_employees": "300"})) == ["Town hall"]
    assert names(client.get(LIST_URL, {"cf_employees": "many"})) == []
    assert names(client.get(LIST_URL, {"cf_note": "retard"})) == ["Shop"]


def test_list_shows_figures_in_the_customer_currency(client, alice, book):
    client.force_login(alice)
    response = client.get(LIST_URL)
    rows = {row.record.name: row.record for row in response.context["table"].paginated_rows}
    assert rows["Dupont SA"].outstanding == Decimal("1200.00")
    assert rows["Dupont SA"].overdue == Decimal("1200.00")
    assert rows["Martin SARL"].overdue == 0
    body = response.content.decode()
    assert "€1,200.00" in body and "£900.00" in body
    assert ">40<" in body and ">100<" in body  # days overdue of the oldest overdue invoice


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("-outstanding", ["Dupont SA", "Initech Ltd", "Martin SARL"]),
        ("outstanding", ["Martin SARL", "Initech Ltd", "Dupont SA"]),
        ("-overdue", ["Dupont SA", "Initech Ltd", "Martin SARL"]),
        ("-days_overdue", ["Initech Ltd", "Dupont SA", "Martin SARL"]),
        ("days_overdue", ["Martin SARL", "Dupont SA", "Initech Ltd"]),
        ("-name", ["Martin SARL", "Initech Ltd", "Dupont SA"]),
    ],
)
def test_sorting(client, alice, book, sort, expected):
    client.force_login(alice)
    assert names(client.get(LIST_URL, {"sort": sort})) == expected


def test_pagination_counts_all_filtered_rows(client, alice, acme):
    CustomerFactory.create_batch(55, entity=acme)
    client.force_login(alice)
    response = client.get(LIST_URL, {"page": 2})
    table = response.context["table"]
    assert table.paginator.count == 55
    assert len(list(table.paginated_rows)) == 5
    assert "55 results" in response.content.decode()


def test_htmx_request_gets_the_table_only(client, alice, book):
    client.force_login(alice)
    response = client.get(LIST_URL, {"q": "Dupont"}, **HTMX)
    body = response.content.decode()
    assert "<html" not in body and "Dupont SA" in body and "Martin" not in body
    assert "HX-Request" in response["Vary"]
    # Sort and page links are boosted by htmx; links to customer pages are whole pages.
    assert 'hx-boost="false"' in body
    assert "<html" in client.get(LIST_URL).content.decode()


def read_csv(response) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(content)))


def read_xlsx(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_csv_export_is_scoped_and_filtered(client, bob, book):
    client.force_login(bob)
    response = client.get(LIST_URL, {"export": "csv", "sort": "-outstanding"})
    assert response["Content-Type"].startswith("text/csv")
    header, *rows = read_csv(response)
    assert header[:3] == ["Name", "Number", "Entity"]
    assert [row[0] for row in rows] == ["Dupont SA", "Martin SARL"]
    dupont = dict(zip(header, rows[0], strict=True))
    assert dupont["Outstanding"] == "1200.00"
    assert dupont["Days overdue"] == "40"
    assert dupont["Currency"] == "EUR"
    assert dupont["Collector"] == "Carol Petit"
    filtered = read_csv(client.get(LIST_URL, {"export": "csv", "on_hold": "true"}))
    assert [row[0] for row in filtered[1:]] == ["Martin SARL"]


def test_xlsx_export_is_scoped_and_filtered(client, alice, bob, book):
    client.force_login(bob)
    header, *rows = read_xlsx(client.get(LIST_URL, {"export": "xlsx"}))
    assert [row[0] for row in rows] == ["Dupont SA", "Martin SARL"]
    values = dict(zip(header, rows[0], strict=True))
    assert values["Outstanding"] == 1200
    assert values["On hold"] == "No"  # in words, in the reader's language
    client.force_login(alice)
    _header, *rows = read_xlsx(client.get(LIST_URL, {"export": "xlsx", "q": "Initech"}))
    assert [row[0] for row in rows] == ["Initech Ltd"]


def list_queries(client, entity, count: int) -> int:
    for _ in range(count):
        customer = CustomerFactory(entity=entity, collector=UserFactory())
        customer.tags.add(Tag.objects.get_or_create(name="t")[0])
        overdue_invoice(customer)
        ItemFactory(customer=customer, kind="credit_note", amount=Decimal("10"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST_URL, {"overdue": "true"})
    assert response.status_code == 200
    return len(queries)


def test_list_queries_do_not_grow_with_rows(client, bob, acme, django_assert_max_num_queries):
    client.force_login(bob)
    few = list_queries(client, acme, 5)
    many = list_queries(client, acme, 45)  # 50 in all
    assert few == many
    with django_assert_max_num_queries(12):
        client.get(LIST_URL, {"sort": "-days_overdue"})


def test_customer_page(client, alice, book):
    dupont = book["dupont"]
    ContactFactory(customer=dupont, first_name="Claire", last_name="Durand", phone="+33102030405")
    ItemFactory(customer=dupont, number="AV-1", kind="credit_note", amount=Decimal("50.00"))
    ItemFactory(customer=dupont, number="F-PAID", amount=Decimal("5"), open_amount=Decimal("0"))
    client.force_login(alice)
    response = client.get(dupont.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    for text in ("Dupont SA", "552100554", "Claire Durand", "+33102030405", "F-DUP-1", "AV-1"):
        assert text in body
    assert "F-PAID" not in body
    assert "1–30 days" in body and "Over 90 days" in body
    assert "€1,150.00" in body  # outstanding: 1,200 invoiced less 50 credited
    summary = response.context["summary"]
    assert summary.max_days_overdue == 40


def test_customer_page_is_404_when_not_visible(client, bob, book):
    client.force_login(bob)
    assert client.get(book["initech"].get_absolute_url()).status_code == 404
    assert client.get(reverse("customers:detail", args=[999999])).status_code == 404
    assert client.get(book["dupont"].get_absolute_url()).status_code == 200


def test_read_only_user_can_view(client, acme, book):
    viewer = UserFactory(username="rita", role="read_only")
    viewer.entities.set([acme])
    client.force_login(viewer)
    assert client.get(LIST_URL).status_code == 200
    assert client.get(book["dupont"].get_absolute_url()).status_code == 200


def test_customer_page_queries_are_bounded(client, alice, book, django_assert_max_num_queries):
    dupont = book["dupont"]
    for _ in range(10):
        overdue_invoice(dupont)
        ContactFactory(customer=dupont)
    client.force_login(alice)
    # The 11th: the panel's engine errors; the 12th: the customer page's links (revoke);
    # the 13th: the menu's count of responses to handle; the 14th: the Risk card's score.
    with django_assert_max_num_queries(14):
        client.get(dupont.get_absolute_url())


def test_french_labels_after_switching_language(client, alice, book):
    client.force_login(alice)
    response = client.post(reverse("set_language"), {"language": "fr", "next": LIST_URL})
    assert response.status_code == 302
    body = client.get(LIST_URL).content.decode()
    assert "Clients" in body
    assert "Rechercher" in body
    page = client.get(book["dupont"].get_absolute_url()).content.decode()
    assert "1\u202f200,00\xa0€" in page
    assert "Plus de 90 jours" in page


def test_language_switch_works_before_login(client):
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/login/"})
    assert response.status_code == 302
    assert "Connexion" in client.get(reverse("login")).content.decode()


def test_the_customer_page_writes_the_address_as_its_country_does(client, alice, acme, globex):
    """London's postcode on its own line after the town; Lyon's before the town."""
    client.force_login(alice)
    smith = CustomerFactory(
        entity=globex,
        name="Smith Ltd",
        country="GB",
        address_line1="1 High Street",
        postal_code="SW1A 1AA",
        city="London",
    )
    ContactFactory(
        customer=smith,
        last_name="Jones",
        address_line1="2 Low Road",
        postal_code="E1 6AN",
        city="London",
    )
    dupont = CustomerFactory(
        entity=acme,
        country="FR",
        address_line1="12 rue des Lilas",
        postal_code="69003",
        city="Lyon",
    )
    page = client.get(reverse("customers:detail", args=[smith.pk])).content.decode()
    assert "1 High Street<br>LONDON<br>SW1A 1AA<br>United Kingdom</dd>" in page
    assert "2 Low Road<br>LONDON<br>E1 6AN</div>" in page  # the contact's, no country
    with translation.override("fr"):
        page = client.get(reverse("customers:detail", args=[dupont.pk])).content.decode()
    assert "12 rue des Lilas<br>69003 LYON<br>France</dd>" in page
