import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from relance.customers.models import Customer
from relance.ledger.models import ImportBatch

GOOD_CUSTOMERS = (
    "external_id;name;country;language;currency\n"
    "C001;Boulangerie Martin;FR;fr;EUR\n"
    "C002;Garage Dupont;FR;fr;EUR\n"
)
BAD_CUSTOMERS = (
    "external_id;name;country;language;currency\n"
    "C001;Boulangerie Martin;FR;fr;EUR\n"
    "C002;Garage Dupont;FR;fr;EURO\n"
)


@pytest.fixture(autouse=True)
def _inline_background(settings):
    settings.RELANCE_BACKGROUND_INLINE = True


def upload(client, entity, text, name="customers.csv"):
    return client.post(
        reverse("ledger:import-new"),
        {
            "entity": entity.pk,
            "kind": "customers",
            "file": SimpleUploadedFile(name, text.encode("utf-8-sig"), content_type="text/csv"),
        },
    )


@pytest.mark.django_db
def test_upload_shows_a_preview_and_writes_only_on_confirm(client, alice, acme):
    client.force_login(alice)

    response = upload(client, acme, GOOD_CUSTOMERS)
    batch = ImportBatch.objects.get()
    preview = client.get(response.url)

    assert response.url == reverse("ledger:import-detail", args=[batch.pk])
    assert batch.status == "previewed"
    assert "Would create 2, update 0, leave 0 unchanged" in preview.text
    assert "Boulangerie Martin" in preview.text
    assert not Customer.objects.exists()

    client.post(reverse("ledger:import-confirm", args=[batch.pk]))
    batch.refresh_from_db()

    assert batch.status == "done"
    assert (batch.created, batch.updated, batch.unchanged) == (2, 0, 0)
    assert sorted(Customer.objects.values_list("external_id", flat=True)) == ["C001", "C002"]


@pytest.mark.django_db
def test_confirming_twice_imports_once(client, alice, acme):
    client.force_login(alice)
    upload(client, acme, GOOD_CUSTOMERS)
    batch = ImportBatch.objects.get()

    client.post(reverse("ledger:import-confirm", args=[batch.pk]))
    client.post(reverse("ledger:import-confirm", args=[batch.pk]))
    batch.refresh_from_db()

    assert (batch.created, batch.updated, batch.unchanged) == (2, 0, 0)
    assert Customer.objects.count() == 2


@pytest.mark.django_db
def test_a_bad_file_lists_every_error_and_cannot_be_confirmed(client, alice, acme):
    client.force_login(alice)

    upload(client, acme, BAD_CUSTOMERS)
    batch = ImportBatch.objects.get()
    page = client.get(reverse("ledger:import-detail", args=[batch.pk]))
    confirm = client.post(reverse("ledger:import-confirm", args=[batch.pk]))

    assert batch.status == "failed"
    assert "row 3, column currency" in page.text
    assert "confirm-import" not in page.text
    assert confirm.status_code == 302
    assert not Customer.objects.exists()


@pytest.mark.django_db
def test_collectors_cannot_import_and_nobody_sees_another_entitys_imports(
    client, bob, alice, globex
):
    client.force_login(alice)
    upload(client, globex, GOOD_CUSTOMERS)
    batch = ImportBatch.objects.get()
    client.force_login(bob)

    assert client.get(reverse("ledger:import-new")).status_code == 403
    assert client.get(reverse("ledger:import-detail", args=[batch.pk])).status_code == 404
    assert batch.file_name not in client.get(reverse("ledger:import-list")).text


@pytest.mark.django_db
def test_the_upload_form_refuses_other_file_types_and_hidden_entities(
    client, alice, bob, acme, globex
):
    client.force_login(alice)
    wrong_type = upload(client, acme, GOOD_CUSTOMERS, name="customers.docx")
    bob.role = "credit_manager"
    bob.save()
    client.force_login(bob)
    hidden_entity = upload(client, globex, GOOD_CUSTOMERS)

    assert wrong_type.status_code == 200
    assert "Choose a .csv, .txt, .xlsx, .pdf or .xml file." in wrong_type.text
    assert hidden_entity.status_code == 200
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_the_summary_reads_in_french(client, alice, acme):
    from django.utils import translation

    client.force_login(alice)
    response = upload(client, acme, GOOD_CUSTOMERS)
    with translation.override("fr"):
        preview = client.get(response.url, HTTP_ACCEPT_LANGUAGE="fr")
    assert "Créerait 2, mettrait à jour 0, laisserait 0 inchangés" in preview.text
    client.post(reverse("ledger:import-confirm", args=[ImportBatch.objects.get().pk]))
    done = client.get(response.url, HTTP_ACCEPT_LANGUAGE="fr")
    assert "2 créés, 0 mis à jour, 0 inchangés" in done.text


@pytest.mark.django_db
def test_the_upload_page_lists_each_kind_of_file_with_its_columns(client, alice):
    from relance.ledger.importers import IMPORTERS

    client.force_login(alice)
    html = client.get(reverse("ledger:import-new")).content.decode()
    assert "docs/import.md" not in html
    for label in ("Customers", "Contacts", "Items"):
        assert f"<summary>{label}</summary>" in html
    for importer in IMPORTERS.values():
        for column in (*importer.required_columns, *importer.optional_columns):
            assert f"<code>{column}</code>" in html
