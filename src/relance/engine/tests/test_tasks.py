import pytest

from relance.engine.models import EngineRun
from relance.engine.tasks import engine_run, engine_run_all
from relance.engine.tests.conftest import make_customer, make_invoice
from relance.engine.tests.simulation import d

pytestmark = pytest.mark.django_db


def test_the_task_runs_one_entity_at_a_given_date(scenario_s, acme_daily):
    make_invoice(make_customer(acme_daily), "C1", d(1, 31))
    result = engine_run.delay(acme_daily.pk, "2026-03-01").get()
    assert (result["day"], result["created"], result["sent"]) == ("2026-03-01", 2, 1)


def test_the_daily_task_runs_every_entity_at_its_today(scenario_s, acme_daily, globex):
    assert engine_run_all.delay().get() == [acme_daily.pk, globex.pk]
    assert EngineRun.objects.count() == 2
