"""The smart upload in Chromium: a Spanish open-items file is matched to Relance's fields,
the proposal checked live as the user changes a column (htmx), confirmed, previewed and
imported; the items then show in the item list."""

import re

import pytest
from playwright.sync_api import expect

from relance.customers.tests.factories import CustomerFactory
from relance.ledger.models import ColumnMapping, Item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SPANISH_ITEMS = (
    "Código cliente;Tipo de documento;Nº factura;Fecha de emisión;Fecha de vencimiento;"
    "Importe;Importe pendiente;Moneda;Notas\n"
    "C001;Factura;FV-2026-101;03/04/2026;03/05/2026;1.234,50;1.234,50;EUR;urgente\n"
    "C001;Abono;AB-2026-007;05/04/2026;;100,00;100,00;EUR;\n"
    "C002;Factura;FV-2026-102;15/04/2026;15/05/2026;99,90;99,90;EUR;\n"
)


def test_a_spanish_file_is_matched_confirmed_and_imported(
    live_server, page, settings, acme, alice, log_in, tmp_path
):
    settings.RELANCE_BACKGROUND_INLINE = False
    for code in ("C001", "C002"):
        CustomerFactory(entity=acme, external_id=code)
    path = tmp_path / "partidas_abiertas.csv"
    path.write_text(SPANISH_ITEMS, encoding="utf-8")
    log_in("alice", start="/ledger/imports/new/")

    page.get_by_label("What the file holds").select_option("items")
    page.get_by_label("File (CSV, XLSX").set_input_files(path)
    page.get_by_role("button", name="Check the file").click()

    expect(page).to_have_url(re.compile(r"/ledger/imports/\d+/columns/$"))
    expect(page.get_by_label("Fecha de vencimiento")).to_have_value("due_date")
    expect(page.get_by_label("Importe pendiente")).to_have_value("open_amount")
    expect(page.get_by_label("Nº factura")).to_have_value("number")
    expect(page.get_by_label("Notas")).to_have_value("")
    expect(page.get_by_label("Dates are written")).to_have_value("dmy")
    expect(page.get_by_label("Amounts are written with")).to_have_value(",")
    expect(page.locator("#mapping-ready")).to_be_visible()

    # Leaving out a required field is said at once, and choosing it again clears it.
    page.get_by_label("Importe pendiente").select_option("")
    expect(page.locator("#mapping-problems")).to_contain_text(
        "Open amount (open_amount) is required: choose the column that holds it."
    )
    page.get_by_label("Importe pendiente").focus()
    page.get_by_label("Importe pendiente").select_option("open_amount")
    expect(page.locator("#mapping-ready")).to_be_visible()

    page.get_by_role("button", name="Check the file with these columns").click()
    expect(page.locator("#import-summary")).to_have_text(
        "Would create 3, update 0, leave 0 unchanged", timeout=15_000
    )
    assert not Item.objects.exists()
    page.get_by_role("button", name="Confirm the import").click()
    expect(page.locator("#import-summary")).to_have_text(
        "Created 3, updated 0, unchanged 0", timeout=15_000
    )

    page.goto(live_server.url + "/ledger/items/")
    expect(page.get_by_text("FV-2026-101")).to_be_visible()
    expect(page.get_by_text("AB-2026-007")).to_be_visible()
    expect(page.get_by_text("FV-2026-102")).to_be_visible()
    assert ColumnMapping.objects.get().fields[-1] == ""
