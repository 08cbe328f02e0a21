"""A bank statement through the web UI: uploaded, matched, and its one line that the
matching could not place allocated by hand on the reconciliation screen (htmx swaps the
line's row; the page does not reload)."""

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from relance.banking.models import PayerAccount
from relance.customers.tests.factories import CustomerFactory
from relance.ledger.models import Item
from relance.ledger.tests.factories import ItemFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SAMPLES = Path(__file__).resolve().parents[2] / "src" / "relance" / "banking" / "samples"


@pytest.fixture
def books(acme):
    """What camt053.001.08.xml pays: Durand's 99.90 (known IBAN) and Leblanc's invoice by
    its number are matched; DUPONT's 350.00, "Paiement", no IBAN, is not."""
    customers = {}
    for number, name, iban in [
        ("C-DUP", "Dupont SA", ""),
        ("C-DUR", "Durand SARL", "DE89370400440532013000"),
        ("C-LEB", "Leblanc", ""),
    ]:
        customers[number] = CustomerFactory(entity=acme, external_id=number, name=name)
        if iban:
            PayerAccount.objects.create(entity=acme, customer=customers[number], iban=iban)
    for customer, number, amount in [
        ("C-DUP", "F-2026-0001", "1200.00"),
        ("C-DUP", "F-2026-0002", "350.00"),
        ("C-DUR", "F-2026-0012", "99.90"),
        ("C-LEB", "F-2026-0030", "750.00"),
    ]:
        ItemFactory(
            customer=customers[customer],
            number=number,
            amount=Decimal(amount),
            issue_date=date(2026, 10, 1),
            due_date=date(2026, 11, 1),
        )
    return customers


def _upload(page):
    page.get_by_role("link", name="Bank", exact=True).click()
    page.get_by_role("link", name="Import a statement").click()
    page.get_by_label("Statement file").set_input_files(SAMPLES / "camt053.001.08.xml")
    page.get_by_role("button", name="Import and match").click()
    expect(page).to_have_url(re.compile(r"/bank/statements/\d+/$"))
    expect(page.get_by_role("alert")).to_contain_text("2 matched automatically, 1 to reconcile")


def test_a_line_left_by_the_matching_is_allocated_by_hand(
    live_server, page, acme, alice, books, log_in
):
    log_in("alice")
    _upload(page)

    lines = page.locator("#lines-to-reconcile .bank-line")
    expect(lines).to_have_count(1)
    line = lines.first
    expect(line).to_contain_text("DUPONT")
    expect(line).to_contain_text("Paiement")
    expect(page.locator("#count-left")).to_have_text("1")

    line.locator("summary", has_text="Allocate by hand").click()
    line.get_by_placeholder("Search a customer by name or number").fill("dupont")
    line.get_by_label("Dupont SA").check()
    line.get_by_role("checkbox", name="F-2026-0002").check()
    line.get_by_role("button", name="Allocate line 3").click()

    done = page.locator("#lines-to-reconcile .bank-line-done")
    expect(done).to_contain_text("Line 3")
    expect(done).to_contain_text("is reconciled")
    expect(done).to_contain_text("F-2026-0002")
    expect(done).to_be_focused()  # the keyboard goes on from there
    expect(page.locator("#lines-to-reconcile .bank-line")).to_have_count(0)
    expect(page.locator("#count-left")).to_have_text("0")
    item = Item.objects.get(number="F-2026-0002")
    assert (item.open_amount, item.settled_on) == (Decimal("0.00"), date(2026, 12, 4))

    page.reload()
    expect(page.locator("#nothing-left")).to_be_visible()


def test_a_suggestion_is_allocated_in_one_click_with_a_partial_payment_left_open(
    live_server, page, acme, alice, books, log_in
):
    Item.objects.filter(number="F-2026-0002").update(amount=500, open_amount=500)
    log_in("alice")
    _upload(page)

    line = page.locator("#lines-to-reconcile .bank-line").first
    # No invoice of 350.00 now: Dupont SA (the payer's name) is suggested, oldest first.
    button = line.get_by_role("button", name=re.compile(r"^Allocate to Dupont SA"))
    expect(button.first).to_be_visible()
    button.first.focus()
    page.keyboard.press("Enter")

    expect(page.locator("#lines-to-reconcile .bank-line-done")).to_contain_text("still open")
    expect(page.locator("#count-left")).to_have_text("0")
    paid = Item.objects.get(number="F-2026-0001")
    assert paid.open_amount == Decimal("850.00")


def test_a_large_statement_is_imported_in_the_background(
    live_server, page, settings, acme, alice, books, log_in
):
    settings.RELANCE_BACKGROUND_INLINE = False  # a thread of the server, as the demo runs it
    settings.BANK_SYNC_IMPORT_LINES = 1
    log_in("alice")
    page.get_by_role("link", name="Bank", exact=True).click()
    page.get_by_role("link", name="Import a statement").click()
    page.get_by_label("Statement file").set_input_files(SAMPLES / "camt053.001.08.xml")
    page.get_by_role("button", name="Import and match").click()

    # The upload's page polls until the import ends, then opens the reconciliation.
    expect(page).to_have_url(re.compile(r"/bank/statements/\d+/$"), timeout=15_000)
    expect(page.locator("#lines-to-reconcile .bank-line")).to_have_count(1)
    expect(page.locator("#count-left")).to_have_text("1")
