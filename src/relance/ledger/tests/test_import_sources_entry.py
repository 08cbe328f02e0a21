"""FEC files and e-invoices reached from the import page (kind detected or chosen) and from
`relance import`, and the detection of a file's kind."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from relance.customers.models import Customer
from relance.ledger.choices import ImportKind
from relance.ledger.importers.detect import detect_kind
from relance.ledger.models import ImportBatch, Item
from relance.ledger.tests.test_import_einvoice import DATA as EINVOICES
from relance.ledger.tests.test_import_fec import SAMPLE as FEC
from relance.ledger.tests.test_importers import DATA as TABLES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _inline_background(settings, tmp_path):
    settings.RELANCE_BACKGROUND_INLINE = True
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        (FEC, ImportKind.FEC),
        (EINVOICES / "factur-x.pdf", ImportKind.EINVOICE),
        (EINVOICES / "ubl-invoice.xml", ImportKind.EINVOICE),
        (EINVOICES / "cii-invoice.xml", ImportKind.EINVOICE),
        (TABLES / "customers.csv", ImportKind.CUSTOMERS),
        (TABLES / "contacts.csv", ImportKind.CONTACTS),
        (TABLES / "items.csv", ImportKind.ITEMS),
    ],
)
def test_detect_kind(path: Path, kind: str):
    assert detect_kind(path.read_bytes()[:65536]) == kind


def test_detect_kind_says_so_when_it_cannot_tell():
    assert detect_kind(b"a;b;c\n1;2;3\n") is None
    assert detect_kind(b"PK\x03\x04rest of a workbook") is None


def upload(client, entity, path: Path, kind="auto"):
    return client.post(
        reverse("ledger:import-new"),
        {
            "entity": entity.pk,
            "kind": kind,
            "file": SimpleUploadedFile(path.name, path.read_bytes()),
        },
    )


def test_page_detects_a_facturx_pdf_previews_then_imports_it(client, alice, acme):
    client.force_login(alice)
    response = upload(client, acme, EINVOICES / "factur-x.pdf")
    batch = ImportBatch.objects.get()
    assert batch.kind == ImportKind.EINVOICE
    preview = client.get(response.url)
    assert "Would create 2, update 0, leave 0 unchanged" in preview.text
    assert "FA2026-0201" in preview.text and "Hôtel du Lac" in preview.text
    assert not Item.objects.exists()
    client.post(reverse("ledger:import-confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "done"
    assert Item.objects.get().pdf.name.startswith("items/FA2026-0201-")


def test_page_imports_a_fec_and_lists_its_errors_by_line(client, alice, acme, tmp_path):
    client.force_login(alice)
    response = upload(client, acme, FEC)
    preview = client.get(response.url)
    assert "Would create 15, update 0, leave 0 unchanged" in preview.text
    assert "FA2026-0101" in preview.text  # the first lines of the file
    bad = tmp_path / "bad-fec.txt"
    bad.write_bytes(FEC.read_bytes().replace(b"\t20260905\t411000", b"\t20260931\t411000", 1))
    response = upload(client, acme, bad, kind=ImportKind.FEC)
    page = client.get(response.url)
    assert (
        "line 2, field EcritureDate: &#x27;20260931&#x27; is not a date in the FEC&#x27;s "
        "format YYYYMMDD" in page.text
    )
    assert not Customer.objects.exists()


def test_page_asks_for_the_kind_when_it_cannot_tell(client, alice, acme, tmp_path):
    client.force_login(alice)
    odd = tmp_path / "odd.csv"
    odd.write_text("a;b\n1;2\n", encoding="utf-8")
    response = upload(client, acme, odd)
    assert response.status_code == 200
    assert "cannot be told from it: choose its kind" in response.text
    assert not ImportBatch.objects.exists()


def call(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_imports_a_fec_and_an_einvoice(acme):
    out, _err = call("fec", str(FEC))
    assert out == "Created 15, updated 0, unchanged 0\n"
    out, _err = call("auto", str(EINVOICES / "ubl-invoice.xml"))
    assert out == "Created 1, updated 1, unchanged 0\n"  # the invoice; C004's name and address
    assert Item.objects.filter(number="FA2026-0203", customer__external_id="C004").exists()


def test_command_prints_element_errors(acme):
    err = StringIO()
    with pytest.raises(CommandError, match=r"plain\.pdf: the import failed, nothing was written"):
        call_command("import", "auto", str(EINVOICES / "plain.pdf"), stdout=StringIO(), stderr=err)
    assert "the PDF has no embedded invoice XML" in err.getvalue()
    with pytest.raises(CommandError, match="cannot tell what the file holds"):
        call("auto", str(TABLES.parent / "conftest.py"))
