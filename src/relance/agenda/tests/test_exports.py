import csv
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from relance.agenda.models import Action
from relance.agenda.selectors import EXPORT_COLUMNS
from relance.engine.runner import run_day
from relance.engine.tests.conftest import make_customer, make_invoice
from relance.engine.tests.simulation import d

pytestmark = pytest.mark.django_db


@pytest.fixture
def actions(scenario_s, acme_daily, bob):
    customer = make_customer(acme_daily, name="Dupont SA", external_id="C-DUP", collector=bob)
    make_invoice(customer, "C1", d(1, 31))
    run_day(entity=acme_daily, day=d(3, 1))  # skipped, sent, planned
    return list(Action.objects.order_by("due_date", "id"))


def test_csv_to_stdout_one_row_per_action_in_the_documented_columns(actions, capsys):
    call_command("actions", "export")
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == list(EXPORT_COLUMNS)
    assert len(rows) == 4
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first == {
        "id": str(actions[0].pk),
        "entity": "acme-fr",
        "customer_external_id": "C-DUP",
        "customer_name": "Dupont SA",
        "scenario": "S",
        "step": "courtesy",
        "channel": "email",
        "mode": "auto",
        "status": "skipped",
        "reason": "already due",
        "reference_number": "C1",
        "created_on": "2026-03-01",
        "due_date": "2026-03-01",
        "finished_on": "2026-03-01",
        "responsible": "bob",
        "tracking_number": "",
    }


def test_filters_by_status_and_due_dates(actions, capsys):
    call_command("actions", "export", "--status", "planned", "--entity", "acme-fr")
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert [row[5] for row in rows[1:]] == ["second"]
    call_command("actions", "export", "--from", "2026-03-02", "--to", "2026-03-31")
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert [row[12] for row in rows[1:]] == ["2026-03-08"]


def test_xlsx_to_a_file(actions, tmp_path):
    path = tmp_path / "actions.xlsx"
    call_command("actions", "export", "--format", "xlsx", "-o", str(path))
    sheet = load_workbook(path).active
    values = list(sheet.values)
    assert values[0] == EXPORT_COLUMNS
    assert len(values) == 4
    assert values[1][8] == "skipped"


def test_xlsx_needs_a_file_and_dates_must_parse(db):
    with pytest.raises(CommandError, match="needs -o"):
        call_command("actions", "export", "--format", "xlsx")
    with pytest.raises(CommandError, match="--from"):
        call_command("actions", "export", "--from", "yesterday")
