"""The smart upload through the import pages: a file with other columns is matched, the
mapping confirmed (and saved for the next file with the same header), then checked and
imported by the usual importer, all or nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from relance.customers.tests.factories import CustomerFactory
from relance.ledger.models import ColumnMapping, ImportBatch, Item

GERMAN_ITEMS = (
    "Kundennummer;Belegart;Rechnungsnummer;Rechnungsdatum;Fälligkeitsdatum;Betrag;"
    "Offener Betrag;Währung;Bemerkung\n"
    "C001;Rechnung;RE-2026-001;03.04.2026;03.05.2026;1.234,50;1.234,50;EUR;dringend\n"
    "C001;Gutschrift;GS-2026-001;05.04.2026;;100,00;100,00;EUR;\n"
    "C002;Rechnung;RE-2026-002;15.04.2026;15.05.2026;99,90;0,00;EUR;bezahlt\n"
)
COLUMN_FIELDS = [
    "customer_external_id",
    "kind",
    "number",
    "issue_date",
    "due_date",
    "amount",
    "open_amount",
    "currency",
    "",
]


@pytest.fixture(autouse=True)
def _inline_background(settings):
    settings.RELANCE_BACKGROUND_INLINE = True


@pytest.fixture
def customers(acme):
    return [CustomerFactory(entity=acme, external_id=code) for code in ("C001", "C002")]


def upload(client, entity, text, kind="items", name="offene_posten.csv"):
    return client.post(
        reverse("ledger:import-new"),
        {
            "entity": entity.pk,
            "kind": kind,
            "file": SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv"),
        },
    )


def mapping_data(fields, date_order="dmy", decimal_separator=","):
    data = {f"column_{index}": name for index, name in enumerate(fields)}
    return data | {"date_order": date_order, "decimal_separator": decimal_separator}


@pytest.mark.django_db
def test_foreign_columns_are_proposed_confirmed_and_imported(client, alice, acme, customers):
    client.force_login(alice)

    response = upload(client, acme, GERMAN_ITEMS)
    batch = ImportBatch.objects.get()
    page = client.get(response.url)
    proposal = page.context["form"]

    assert response.url == reverse("ledger:import-columns", args=[batch.pk])
    assert batch.status == "mapping"
    assert [proposal[f"column_{i}"].value() for i in range(9)] == COLUMN_FIELDS
    assert proposal["date_order"].value() == "dmy"
    assert proposal["decimal_separator"].value() == ","
    assert 'id="mapping-ready"' in page.text

    checked = client.post(response.url, mapping_data(COLUMN_FIELDS))
    batch.refresh_from_db()

    assert checked.url == reverse("ledger:import-detail", args=[batch.pk])
    assert batch.status == "previewed"
    assert (batch.created, batch.updated) == (3, 0)
    assert not Item.objects.exists()
    assert "Fälligkeitsdatum → Due date" in client.get(checked.url).text

    client.post(reverse("ledger:import-confirm", args=[batch.pk]))
    batch.refresh_from_db()

    assert batch.status == "done"
    invoice = Item.objects.get(number="RE-2026-001")
    assert (invoice.kind, invoice.issue_date, invoice.due_date) == (
        "invoice",
        date(2026, 4, 3),
        date(2026, 5, 3),
    )
    assert (invoice.amount, invoice.open_amount) == (Decimal("1234.50"), Decimal("1234.50"))
    assert Item.objects.get(number="GS-2026-001").kind == "credit_note"
    assert Item.objects.get(number="RE-2026-002").open_amount == Decimal("0.00")


@pytest.mark.django_db
def test_the_confirmed_mapping_is_saved_and_proposed_for_the_next_file(
    client, alice, acme, customers
):
    client.force_login(alice)
    first = upload(client, acme, GERMAN_ITEMS)
    corrected = [*COLUMN_FIELDS[:4], "", *COLUMN_FIELDS[5:]]  # the due date left out
    client.post(first.url, mapping_data(corrected))

    saved = ColumnMapping.objects.get()
    again = upload(client, acme, GERMAN_ITEMS.replace("RE-2026", "RE-2027"), name="mai.csv")
    page = client.get(again.url)

    assert (saved.entity, saved.kind, saved.fields) == (acme, "items", corrected)
    assert saved.headers[4] == "Fälligkeitsdatum"
    assert 'id="mapping-saved"' in page.text
    assert page.context["form"]["column_4"].value() == ""
    assert page.context["form"]["column_5"].value() == "amount"


@pytest.mark.django_db
def test_a_saved_mapping_belongs_to_its_entity(client, alice, acme, globex, customers):
    client.force_login(alice)
    first = upload(client, acme, GERMAN_ITEMS)
    client.post(first.url, mapping_data(COLUMN_FIELDS))

    other = upload(client, globex, GERMAN_ITEMS)

    assert 'id="mapping-saved"' not in client.get(other.url).text


@pytest.mark.django_db
def test_a_missing_required_field_is_said_before_anything_is_imported(
    client, alice, acme, customers
):
    client.force_login(alice)
    response = upload(client, acme, GERMAN_ITEMS)
    batch = ImportBatch.objects.get()
    without_amounts = [*COLUMN_FIELDS[:5], "", "", "currency", ""]

    partial = client.post(
        response.url, mapping_data(without_amounts), headers={"HX-Request": "true"}
    )
    refused = client.post(response.url, mapping_data(without_amounts))
    twice = client.post(response.url, mapping_data([*COLUMN_FIELDS[:8], "currency"]))
    batch.refresh_from_db()

    assert partial.templates[0].name == "ledger/imports/_mapping_status.html"
    assert "Amount (amount) is required: choose the column that holds it." in partial.text
    assert "Open amount (open_amount) is required" in refused.text
    assert "Currency (currency) is chosen for more than one column." in twice.text
    assert batch.status == "mapping"
    assert not ColumnMapping.objects.exists()
    assert not Item.objects.exists()


@pytest.mark.django_db
def test_bad_rows_after_mapping_name_the_row_and_the_field_and_nothing_is_written(
    client, alice, acme, customers
):
    client.force_login(alice)
    bad = (
        GERMAN_ITEMS.replace("03.05.2026", "31.02.2026")
        .replace("C002", "C999")
        .replace("99,90", "viel")
    )
    response = upload(client, acme, bad)
    batch = ImportBatch.objects.get()

    client.post(response.url, mapping_data(COLUMN_FIELDS))
    batch.refresh_from_db()
    page = client.get(reverse("ledger:import-detail", args=[batch.pk]))

    assert batch.status == "failed"
    assert {(e["row"], e["column"]) for e in batch.errors} == {
        (2, "due_date (Fälligkeitsdatum)"),
        (4, "customer_external_id (Kundennummer)"),
        (4, "amount (Betrag)"),
    }
    assert "row 2, column due_date (Fälligkeitsdatum): &#x27;31.02.2026&#x27;" in page.text
    assert "confirm-import" not in page.text
    assert not Item.objects.exists()


@pytest.mark.django_db
def test_spanish_customers_with_day_first_dates_and_an_ignored_column(client, alice, acme):
    client.force_login(alice)
    text = (
        "Código de cliente,Razón social,Ciudad,País,Límite de crédito,Notas\n"
        'E-01,Panadería García,Sevilla,ES,"15.000,00",cliente antiguo\n'
        'E-02,Talleres Ruiz,Madrid,ES,"2.500,50",\n'
    )
    response = upload(client, acme, text, kind="customers", name="clientes.csv")
    form = client.get(response.url).context["form"]
    fields = [form[f"column_{i}"].value() for i in range(6)]

    assert fields == ["external_id", "name", "city", "country", "credit_limit", ""]
    client.post(response.url, mapping_data(fields))
    client.post(reverse("ledger:import-confirm", args=[ImportBatch.objects.get().pk]))

    garcia = acme.customers.get(external_id="E-01")
    assert (garcia.name, garcia.country, garcia.credit_limit) == (
        "Panadería García",
        "ES",
        Decimal("15000.00"),
    )


@pytest.mark.django_db
def test_a_file_with_relances_columns_skips_the_matching(client, alice, acme, customers):
    client.force_login(alice)
    text = (
        "customer_external_id;kind;number;issue_date;due_date;amount;open_amount\n"
        "C001;invoice;F-1;2026-04-03;2026-05-03;10,00;10,00\n"
    )
    response = upload(client, acme, text)
    assert response.url == reverse("ledger:import-detail", args=[ImportBatch.objects.get().pk])
    assert ImportBatch.objects.get().status == "previewed"


@pytest.mark.django_db
def test_only_importers_of_the_entity_match_columns(client, alice, bob, acme, globex, customers):
    client.force_login(alice)
    hidden = upload(client, globex, GERMAN_ITEMS)
    visible = upload(client, acme, GERMAN_ITEMS)
    client.force_login(bob)  # a collector of Acme France

    assert client.get(hidden.url).status_code == 404
    assert client.get(visible.url).status_code == 403
    assert client.post(visible.url, mapping_data(COLUMN_FIELDS)).status_code == 403
    assert set(ImportBatch.objects.values_list("status", flat=True)) == {"mapping"}


@pytest.mark.django_db
def test_the_matching_page_reads_in_french(client, alice, acme, customers):
    client.force_login(alice)
    response = upload(client, acme, GERMAN_ITEMS)
    without_kind = ["customer_external_id", "", *COLUMN_FIELDS[2:]]

    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="fr")
    refused = client.post(response.url, mapping_data(without_kind), HTTP_ACCEPT_LANGUAGE="fr")

    assert "Faire correspondre les colonnes" in page.text
    assert "— ignorer cette colonne —" in page.text
    assert "Sûr · 100 %" in page.text
    assert (
        "Type (facture, avoir, règlement) (kind) est obligatoire : choisissez la colonne "
        "qui le contient." in refused.text
    )
