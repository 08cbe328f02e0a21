"""`relance import`: one summary line on success, every error on stderr and a non-zero exit
on failure, and --entity required when several entities exist."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from relance.customers.tests.factories import CustomerFactory
from relance.ledger.models import ImportBatch, Item
from relance.ledger.tests.test_importers import DATA, ITEM_HEADER, write_csv


def call(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_prints_one_summary_line(acme, bob):
    out, _err = call("customers", str(DATA / "customers.csv"))
    assert out == "Created 2, updated 0, unchanged 0\n"
    out, _err = call("customers", str(DATA / "customers.csv"), "--entity", "acme-fr")
    assert out == "Created 0, updated 0, unchanged 2\n"


def test_dry_run_says_what_it_would_do(acme, bob):
    out, _err = call("customers", str(DATA / "customers.csv"), "--dry-run")
    assert out == "Would create 2, update 0, leave 0 unchanged\n"
    assert ImportBatch.objects.get().dry_run


def test_failure_prints_every_error_and_exits_non_zero(acme, tmp_path):
    CustomerFactory(entity=acme, external_id="C001")
    path = write_csv(
        tmp_path / "items.csv",
        [
            ITEM_HEADER,
            ["C001", "invoice", "F1", "2026-01-01", "2026-01-31", "100", "120", "EUR"],
            ["C404", "invoice", "F2", "2026-01-01", "2026-01-31", "100", "100", "EUR"],
        ],
    )
    err = StringIO()
    with pytest.raises(CommandError, match=r"items\.csv: the import failed, nothing was written"):
        call_command("import", "items", str(path), stdout=StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [
        "row 2, column open_amount: open amount 120.00 is above the amount 100.00",
        "row 3, column customer_external_id: unknown customer 'C404'",
    ]
    assert not Item.objects.exists()


def test_entity_is_required_when_several_exist(acme, globex):
    with pytest.raises(CommandError, match="use --entity with one of acme-fr, globex-uk"):
        call("customers", str(DATA / "customers.csv"))
    with pytest.raises(CommandError, match="No entity 'nope'"):
        call("customers", str(DATA / "customers.csv"), "--entity", "nope")


def test_exit_code_of_the_console_command(acme, tmp_path):
    path = write_csv(tmp_path / "c.csv", [["external_id"], ["C1"]])
    with pytest.raises(SystemExit) as exit_info:
        from django.core.management import ManagementUtility

        ManagementUtility(["relance", "import", "customers", str(path)]).execute()
    assert exit_info.value.code == 1
