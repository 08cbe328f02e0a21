from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from relance.accounts.tests.factories import UserFactory
from relance.banking.choices import LineStatus, MatchReason, SuggestionBasis, UploadStatus
from relance.banking.models import (
    Allocation,
    PayerAccount,
    Statement,
    StatementLine,
    StatementUpload,
)
from relance.banking.services import statement_import
from relance.banking.tasks import statement_upload_run
from relance.banking.tests.conftest import sample
from relance.customers.tests.factories import CustomerFactory
from relance.ledger.choices import ItemKind
from relance.ledger.models import Item
from relance.ledger.tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def _upload(client, entity, name, content=None):
    content = sample(name) if content is None else content
    return client.post(
        reverse("banking:statement-new"),
        {"entity": entity.pk, "format": "", "file": SimpleUploadedFile(name, content)},
    )


def _imported(acme, name="camt053.001.08.xml"):
    return statement_import(entity=acme, content=sample(name), file_name=name)


def _dupont_line(statement):
    """Line 3 of camt053.001.08.xml: 350.00 from "DUPONT", "Paiement", no IBAN."""
    return statement.lines.get(position=3)


def _open(number):
    return Item.objects.get(number=number).open_amount


def _allocate(client, line, amounts, customer=None, htmx=True):
    data = {"item": list(amounts), **{f"amount_{pk}": value for pk, value in amounts.items()}}
    if customer is not None:
        data["customer"] = customer.pk
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(reverse("banking:line-allocate", args=[line.pk]), data, **headers)


# Upload ---------------------------------------------------------------------------------


def test_upload_imports_matches_and_opens_the_reconciliation(client, alice, acme, books):
    client.force_login(alice)

    response = _upload(client, acme, "camt053.001.08.xml")

    statement = Statement.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("banking:statement-detail", args=[statement.pk])
    assert (statement.lines_count, statement.matched_count, statement.unmatched_count) == (3, 2, 1)
    assert statement.imported_by == alice
    page = client.get(response.url)
    assert "3 lines, 2 matched automatically, 1 to reconcile." in page.text


def test_a_bad_file_names_its_problems_and_writes_nothing(client, alice, acme, books):
    client.force_login(alice)

    response = _upload(
        client, acme, "camt053-bad-amount.xml", sample("malformed/camt053-bad-amount.xml")
    )

    assert response.status_code == 200
    assert 'id="statement-problems"' in response.text
    assert "nothing was imported" in response.text
    assert "Ntry" in response.text or "entry" in response.text  # the place in the file
    assert not Statement.objects.exists() and not StatementLine.objects.exists()
    assert not Allocation.objects.exists()


def test_bad_csv_rows_are_named(client, alice, acme):
    client.force_login(alice)
    content = sample("malformed/statement-bad-rows.csv")

    response = _upload(client, acme, "statement-bad-rows.csv", content)

    assert "row" in response.text.lower()
    assert not Statement.objects.exists()


def test_the_same_file_twice_is_refused(client, alice, acme, books):
    client.force_login(alice)
    _upload(client, acme, "camt053.001.08.xml")

    response = _upload(client, acme, "camt053.001.08.xml")

    assert "this statement was already imported" in response.text
    assert Statement.objects.count() == 1


def test_an_unknown_extension_is_refused_by_the_form(client, alice, acme):
    client.force_login(alice)

    response = _upload(client, acme, "statement.pdf", b"%PDF-1.4")

    assert "Choose a .xml, .sta, .940, .txt or .csv file." in response.text
    assert not Statement.objects.exists()


def test_collectors_and_read_only_users_cannot_import(client, acme, bob):
    client.force_login(bob)
    assert client.get(reverse("banking:statement-new")).status_code == 403
    assert _upload(client, acme, "camt053.001.08.xml").status_code == 403
    assert not Statement.objects.exists()


def test_a_user_imports_only_for_an_entity_they_see(client, acme, globex):
    manager = UserFactory(username="claire", role="credit_manager")
    manager.entities.set([acme])
    client.force_login(manager)

    response = _upload(client, globex, "camt053.001.08.xml")

    assert response.status_code == 200
    assert not Statement.objects.exists()


def test_a_large_file_is_imported_in_the_background(client, settings, alice, acme, books):
    settings.RELANCE_BACKGROUND_INLINE = True  # the task runs in place
    settings.BANK_SYNC_IMPORT_LINES = 1
    client.force_login(alice)

    response = _upload(client, acme, "camt053.001.08.xml")

    upload = StatementUpload.objects.get()
    assert response.url == reverse("banking:upload-detail", args=[upload.pk])
    assert (upload.status, upload.started_by) == (UploadStatus.DONE, alice)
    page = client.get(response.url)
    assert page.url == reverse("banking:statement-detail", args=[upload.statement_id])
    assert upload.statement.lines_count == 3 and upload.statement.imported_by == alice


def test_a_large_bad_file_is_refused_at_once(client, settings, alice, acme):
    settings.RELANCE_BACKGROUND_INLINE = True
    settings.BANK_SYNC_IMPORT_LINES = 1
    client.force_login(alice)

    response = _upload(
        client, acme, "statement-bad-rows.csv", sample("malformed/statement-bad-rows.csv")
    )

    assert response.status_code == 200 and 'id="statement-problems"' in response.text
    assert not StatementUpload.objects.exists() and not Statement.objects.exists()


def test_a_background_import_that_fails_shows_its_problems(client, alice, acme, books):
    name = "camt053.001.08.xml"
    upload = StatementUpload.objects.create(
        entity=acme,
        file_name=name,
        upload=SimpleUploadedFile(name, sample(name)),
        started_by=alice,
    )
    _imported(acme, name)  # the same file, imported meanwhile
    statement_upload_run(upload.pk)
    client.force_login(alice)

    page = client.get(reverse("banking:upload-detail", args=[upload.pk]))
    progress = client.get(reverse("banking:upload-progress", args=[upload.pk]))

    upload.refresh_from_db()
    assert upload.status == UploadStatus.FAILED
    assert upload.problems == ["this statement was already imported"]
    assert "this statement was already imported" in page.text
    assert "nothing was imported" in page.text
    assert progress["HX-Refresh"] == "true"
    assert Statement.objects.count() == 1


def test_an_upload_is_seen_by_users_of_its_entity_only(client, settings, acme, globex, alice):
    settings.RELANCE_BACKGROUND_INLINE = True
    settings.BANK_SYNC_IMPORT_LINES = 1
    client.force_login(alice)
    response = _upload(client, acme, "camt053.001.08.xml")
    stranger = UserFactory(username="gary", role="credit_manager")
    stranger.entities.set([globex])
    client.force_login(stranger)

    assert client.get(response.url).status_code == 404


# List and reconciliation ----------------------------------------------------------------


def test_list_shows_each_statement_with_its_counts(client, alice, acme, books):
    statement = _imported(acme)
    _customers, items = books
    line_allocate_by_hand = _dupont_line(statement)
    client.force_login(alice)
    _allocate(client, line_allocate_by_hand, {items["F-2026-0002"].pk: "350.00"})

    response = client.get(reverse("banking:statement-list"))

    row = response.context["rows"][0]
    assert (row.counts.lines, row.automatic, row.manual, row.to_reconcile) == (3, 2, 1, 0)
    assert "camt053.001.08.xml" in response.text
    assert "FR7630006000011234567890189" in response.text


def test_list_costs_a_fixed_number_of_queries(
    client, alice, acme, books, django_assert_max_num_queries
):
    _imported(acme)
    _imported(acme, "camt053.001.02.xml")
    client.force_login(alice)
    with django_assert_max_num_queries(8):
        client.get(reverse("banking:statement-list"))


def test_reconciliation_shows_the_lines_left_with_ranked_suggestions(client, alice, acme, books):
    statement = _imported(acme)
    client.force_login(alice)

    response = client.get(reverse("banking:statement-detail", args=[statement.pk]))

    rows = response.context["rows"]
    assert [row.line.position for row in rows] == [3]  # lines 1 and 2 were matched
    best = rows[0].suggestions[0]
    # DUPONT paid 350.00: Dupont SA's invoice of exactly that amount comes first.
    assert (best.customer.name, best.item_numbers) == ("Dupont SA", "F-2026-0002")
    assert best.basis == SuggestionBasis.NAME_AMOUNT
    assert "Paiement" in response.text and "DUPONT" in response.text
    assert "Allocate to Dupont SA: F-2026-0002" in response.text
    assert "Allocate by hand" in response.text


def _more_lines(statement, count, start):
    StatementLine.objects.bulk_create(
        StatementLine(
            entity=statement.entity,
            statement=statement,
            position=start + n,
            booking_date=statement.lines.first().booking_date,
            amount=Decimal("350.00") + n,
            currency="EUR",
            counterparty_name=f"DUPONT {n}",
            counterparty_iban="DE89370400440532013000",
            remittance=f"INVOICE F-2026-{n:04d}",
        )
        for n in range(count)
    )


def test_suggestions_cost_a_fixed_number_of_queries(
    client, alice, acme, books, django_assert_max_num_queries
):
    statement = _imported(acme, "camt053.001.02.xml")
    _more_lines(statement, 2, start=100)
    client.force_login(alice)
    url = reverse("banking:statement-detail", args=[statement.pk])
    with django_assert_max_num_queries(25) as few:
        client.get(url)
    # Twenty more lines on the page (references, IBANs, names, amounts) cost no more.
    _more_lines(statement, 20, start=200)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["rows"]) == 23


# Allocation ------------------------------------------------------------------------------


def test_one_click_allocation_of_a_suggestion_replaces_the_row(client, alice, acme, books):
    statement = _imported(acme)
    _customers, items = books
    line = _dupont_line(statement)
    client.force_login(alice)

    response = _allocate(client, line, {items["F-2026-0002"].pk: "350.00"})

    line.refresh_from_db()
    assert (line.status, line.reason) == (LineStatus.MATCHED, MatchReason.MANUAL)
    assert _open("F-2026-0002") == 0
    assert 'class="card mb-3 border-success bank-line-done"' in response.text
    assert "Line 3" in response.text and "is reconciled" in response.text
    assert 'hx-swap-oob="true"' in response.text  # the counts follow
    assert Allocation.objects.get(line=line).allocated_by == alice
    statement.refresh_from_db()
    assert (statement.matched_count, statement.unmatched_count) == (3, 0)
    page = client.get(reverse("banking:statement-detail", args=[statement.pk]))
    assert page.context["rows"] == []


def test_partial_payment_leaves_the_rest_open(client, alice, acme, books):
    statement = _imported(acme)
    _customers, items = books
    client.force_login(alice)

    # The 350.00 line pays 300.00 of the 1,200.00 invoice and 50.00 of the 350.00 one.
    response = _allocate(
        client,
        _dupont_line(statement),
        {items["F-2026-0001"].pk: "300,00", items["F-2026-0002"].pk: "50"},
    )

    assert response.status_code == 200
    assert _open("F-2026-0001") == Decimal("900.00")
    assert _open("F-2026-0002") == Decimal("300.00")
    assert not Item.objects.filter(kind=ItemKind.PAYMENT, customer__name="Dupont SA").exists()


def test_over_payment_becomes_unapplied_credit(client, alice, acme, books):
    statement = _imported(acme)
    customers, items = books
    client.force_login(alice)

    _allocate(client, _dupont_line(statement), {items["F-2026-0002"].pk: "200.00"})

    credit = Item.objects.get(kind=ItemKind.PAYMENT, customer=customers["dupont"])
    assert (credit.customer, credit.open_amount) == (customers["dupont"], Decimal("150.00"))
    assert _open("F-2026-0002") == Decimal("150.00")


def test_a_customer_without_items_takes_the_whole_line_as_credit(client, alice, acme, books):
    statement = _imported(acme)
    customers, _items = books
    client.force_login(alice)

    _allocate(client, _dupont_line(statement), {}, customer=customers["martin"])

    credit = Item.objects.get(kind=ItemKind.PAYMENT, customer=customers["martin"])
    assert credit.open_amount == Decimal("350.00")


def test_a_refused_allocation_keeps_the_row_with_the_reason(client, alice, acme, books):
    statement = _imported(acme)
    _customers, items = books
    line = _dupont_line(statement)
    client.force_login(alice)

    response = _allocate(client, line, {items["F-2026-0001"].pk: "400.00"})

    assert "The amounts add up to more than the line." in response.text
    assert f'id="line-{line.pk}"' in response.text and "allocation-error" in response.text
    line.refresh_from_db()
    assert line.status == LineStatus.UNMATCHED
    assert _open("F-2026-0001") == Decimal("1200.00")


def test_without_htmx_the_allocation_redirects_with_a_message(client, alice, acme, books):
    statement = _imported(acme)
    _customers, items = books
    client.force_login(alice)

    response = _allocate(
        client, _dupont_line(statement), {items["F-2026-0002"].pk: "350.00"}, htmx=False
    )

    assert response.status_code == 302
    assert "Line 3 allocated." in client.get(response.url).text


def test_the_payer_iban_is_learned_from_a_manual_allocation(client, alice, acme, books):
    statement = _imported(acme)
    customers, items = books
    line = _dupont_line(statement)
    StatementLine.objects.filter(pk=line.pk).update(counterparty_iban="FR1420041010050500013M02606")
    client.force_login(alice)

    _allocate(client, line, {items["F-2026-0002"].pk: "350.00"})

    assert (
        PayerAccount.objects.get(iban="FR1420041010050500013M02606").customer == customers["dupont"]
    )


def test_customer_search_and_open_items_of_the_manual_form(client, alice, acme, books):
    statement = _imported(acme)
    customers, items_of = books
    line = _dupont_line(statement)
    client.force_login(alice)

    found = client.get(reverse("banking:line-customers", args=[line.pk]), {"q": "dup"})
    items = client.get(
        reverse("banking:line-items", args=[line.pk]), {"customer": customers["dupont"].pk}
    )

    assert list(found.context["customers"]) == [customers["dupont"]]
    assert "F-2026-0001" in items.text and "F-2026-0002" in items.text
    # 1,200.00 open on F-2026-0001: the form proposes the line's 350.00 at most.
    assert f'name="amount_{items_of["F-2026-0001"].pk}" value="350.00"' in items.text
    assert "F-2026-0010" not in items.text  # Durand's


# Permissions and entity isolation ------------------------------------------------------


def test_a_read_only_user_sees_but_cannot_allocate(client, acme, books):
    statement = _imported(acme)
    _customers, items = books
    reader = UserFactory(username="rita", role="read_only")
    reader.entities.set([acme])
    client.force_login(reader)

    page = client.get(reverse("banking:statement-detail", args=[statement.pk]))
    response = _allocate(client, _dupont_line(statement), {items["F-2026-0002"].pk: "350.00"})

    assert page.status_code == 200 and "Dupont SA" in page.text
    assert "Allocate to" not in page.text and "Allocate by hand" not in page.text
    assert response.status_code == 403
    assert _open("F-2026-0002") == Decimal("350.00")


def test_a_user_of_another_entity_never_sees_the_statement(client, acme, globex, books):
    statement = _imported(acme)
    _customers, items = books
    line = _dupont_line(statement)
    stranger = UserFactory(username="gary", role="credit_manager")
    stranger.entities.set([globex])
    client.force_login(stranger)

    assert "camt053.001.08.xml" not in client.get(reverse("banking:statement-list")).text
    for url in [
        reverse("banking:statement-detail", args=[statement.pk]),
        reverse("banking:line-customers", args=[line.pk]),
        reverse("banking:line-items", args=[line.pk]),
    ]:
        assert client.get(url).status_code == 404
    assert _allocate(client, line, {items["F-2026-0002"].pk: "350.00"}).status_code == 404
    assert _open("F-2026-0002") == Decimal("350.00")


def test_items_and_customers_of_another_entity_cannot_be_allocated(
    client, alice, acme, globex, books
):
    statement = _imported(acme)
    foreign = CustomerFactory(entity=globex, external_id="G-1", name="Dupont Ltd")
    foreign_item = ItemFactory(customer=foreign, number="G-0001", amount=Decimal("350.00"))
    client.force_login(alice)
    line = _dupont_line(statement)

    by_item = _allocate(client, line, {foreign_item.pk: "350.00"})
    by_customer = _allocate(client, line, {}, customer=foreign)
    found = client.get(reverse("banking:line-customers", args=[line.pk]), {"q": "Dupont"})

    assert "not open invoices" in by_item.text
    assert "allocation-error" in by_customer.text
    assert list(found.context["customers"]) == [books[0]["dupont"]]
    line.refresh_from_db()
    assert line.status == LineStatus.UNMATCHED
    assert Item.objects.get(pk=foreign_item.pk).open_amount == Decimal("350.00")


def test_the_screen_in_french_posts_amounts_the_server_reads(client, alice, acme, books):
    statement = _imported(acme)
    _customers, items = books
    client.force_login(alice)

    html = client.get(
        reverse("banking:statement-detail", args=[statement.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    ).text

    assert "Lignes créditrices à rapprocher" in html
    assert "Affecter à Dupont SA : F-2026-0002" in html
    assert "350,00\u00a0€" in html  # shown the French way
    assert f'name="amount_{items["F-2026-0002"].pk}" value="350.00"' in html  # posted plainly
    assert ">Banque</a>" in html
