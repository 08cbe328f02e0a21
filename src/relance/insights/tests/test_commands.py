"""`relance insights backfill` and `relance insights export`, read back from their files."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from relance.insights.exports import COLUMNS
from relance.insights.models import CustomerSnapshot, SnapshotDay
from relance.insights.tests.conftest import TODAY, D


@pytest.fixture
def backfilled(acme, ledger):
    out = io.StringIO()
    call_command(
        "insights", "backfill", "--entity", "acme-fr", "--from", "2025-12-01",
        "--to", TODAY.isoformat(), stdout=out,
    )  # fmt: skip
    assert out.getvalue().startswith("acme-fr: 121 days, ")
    return ledger


def test_backfill_writes_every_day(acme, backfilled):
    assert SnapshotDay.objects.filter(entity=acme).count() == 121
    assert CustomerSnapshot.objects.on(TODAY).count() == 3


def test_export_csv_to_stdout(acme, backfilled):
    out = io.StringIO()
    call_command(
        "insights", "export", "--entity", "acme-fr", "--from", "2026-01-01", "--to", "2026-03-31",
        stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [row["month"] for row in rows] == ["2026-01-01", "2026-02-01", "2026-03-01"]
    march = rows[2]
    assert {k: march[k] for k in ("dso_countback", "dso_simple", "best_possible_dso", "add")} == {
        "dso_countback": "54.8",
        "dso_simple": "48.6",
        "best_possible_dso": "31.0",
        "add": "17.6",
    }
    assert (march["cei"], march["receivables"], march["overdue_31_60"]) == (
        "46.9",
        "4700.00",
        "1200.00",
    )
    assert rows[0]["cei"] == ""  # January: nothing was collectable


def test_export_xlsx_keeps_dates_and_numbers(acme, backfilled, tmp_path):
    path = tmp_path / "figures.xlsx"
    call_command(
        "insights", "export", "--entity", "acme-fr", "--from", "2026-02-01", "--to", "2026-03-31",
        "--format", "xlsx", "-o", str(path), stderr=io.StringIO(),
    )  # fmt: skip
    sheet = openpyxl.load_workbook(path).active
    header, *rows = list(sheet.values)
    assert header == COLUMNS
    february = dict(zip(header, rows[0], strict=True))
    assert february["month"].date() == date(2026, 2, 1)
    assert february["end"].date() == date(2026, 2, 28)
    assert (february["dso_countback"], february["cei"], february["receivables"]) == (40.4, 60, 3200)
    assert february["snapshot_day"].date() == date(2026, 2, 28)
    assert Decimal(str(february["overdue_1_30"])) == D("1200")


def test_usd_figures_and_bad_arguments(acme, backfilled, tmp_path):
    out = io.StringIO()
    call_command(
        "insights", "export", "--entity", "acme-fr", "--from", "2026-03-01", "--to", "2026-03-31",
        "--currency", "usd", stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    (march,) = csv.DictReader(io.StringIO(out.getvalue()))
    assert (march["currency"], march["receivables"], march["dso_simple"]) == (
        "USD",
        "400.00",
        "31.0",
    )
    with pytest.raises(CommandError, match="No entity 'nope'"):
        call_command("insights", "backfill", "--entity", "nope", "--from", "2026-01-01")
    with pytest.raises(CommandError, match="before --from"):
        call_command("insights", "export", "--entity", "acme-fr", "--from", "2026-03-01",
                     "--to", "2026-02-01")  # fmt: skip
    with pytest.raises(CommandError, match="needs -o FILE"):
        call_command("insights", "export", "--entity", "acme-fr", "--from", "2026-03-01",
                     "--to", "2026-03-31", "--format", "xlsx")  # fmt: skip
    tomorrow = (acme.today() + timedelta(days=1)).isoformat()
    with pytest.raises(CommandError, match="in the future"):
        call_command("insights", "backfill", "--entity", "acme-fr", "--from", "2026-01-01",
                     "--to", tomorrow)  # fmt: skip
    with pytest.raises(CommandError, match="expected YYYY-MM-DD"):
        call_command("insights", "backfill", "--entity", "acme-fr", "--from", "31/12/2025")
