import pytest
from django.core.management import CommandError, call_command

from relance.agenda.models import Action
from relance.engine.models import EngineRun
from relance.engine.tests.conftest import make_customer, make_invoice
from relance.engine.tests.simulation import d

pytestmark = pytest.mark.django_db


def test_run_prints_a_summary(scenario_s, acme_daily, capsys):
    make_invoice(make_customer(acme_daily), "C1", d(1, 31))
    call_command("run", "--date", "2026-03-01", "--entity", "acme-fr")
    out = capsys.readouterr().out
    assert "acme-fr 2026-03-01" in out
    assert "customers scanned: 1" in out
    assert "actions created: 2" in out
    assert "skipped: 1" in out
    assert "sent: 1" in out
    assert "errors: 0" in out
    assert "seconds:" in out


def test_dry_run_writes_nothing(scenario_s, acme_daily, capsys):
    make_invoice(make_customer(acme_daily), "C1", d(1, 31))
    call_command("run", "--date", "2026-03-01", "--dry-run")
    assert "(dry run)" in capsys.readouterr().out
    assert not Action.objects.exists()


def test_cancellations_are_listed_by_reason(scenario_s, acme_daily, capsys):
    customer = make_customer(acme_daily)
    make_invoice(customer, "C1", d(1, 31))
    call_command("run", "--date", "2026-01-20")
    customer.on_hold = True
    customer.save()
    call_command("run", "--date", "2026-01-21")
    assert "cancelled: 1 (on hold: 1)" in capsys.readouterr().out


def test_without_a_date_each_entity_runs_at_its_today(scenario_s, acme_daily, globex):
    call_command("run")
    runs = {run.entity.slug: run.day for run in EngineRun.objects.select_related("entity")}
    assert runs == {"acme-fr": acme_daily.today(), "globex-uk": globex.today()}


def test_a_run_in_progress_exits_non_zero(scenario_s, acme_daily, monkeypatch):
    monkeypatch.setattr("relance.engine.runner._try_advisory_lock", lambda entity: None)
    EngineRun.objects.create(entity=acme_daily, day=d(3, 1))
    with pytest.raises(CommandError, match="Not run: acme-fr"):
        call_command("run", "--date", "2026-03-01")


def test_bad_arguments_are_refused(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("run", "--date", "01/03/2026")
    with pytest.raises(CommandError, match="No entity 'nope'"):
        call_command("run", "--entity", "nope")
