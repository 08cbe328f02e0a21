"""A run that bulk-wrote analyses the tables it wrote (core/statistics.py)."""

import pytest
from django.db import connection

from relance.core.tests.test_statistics import _analyze_now, _rows_known
from relance.engine.runner import run_day
from relance.engine.tests.conftest import make_customer, make_invoice
from relance.engine.tests.simulation import d

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_class.reltuples"),
]


def test_a_run_that_wrote_many_rows_analyses_the_actions(scenario_s, acme_daily, monkeypatch):
    make_invoice(make_customer(acme_daily), "A1", d(1, 31), issue=d(1, 1))
    _analyze_now("agenda_action")
    run_day(entity=acme_daily, day=d(1, 19), send=False)  # one action: below the threshold
    assert _rows_known("agenda_action") == 0
    # The threshold lowered to the one action the next run writes (1,000 in production).
    monkeypatch.setattr("relance.core.statistics.ANALYZE_AFTER_ROWS", 1)
    make_invoice(make_customer(acme_daily, email="b@client.example"), "B1", d(1, 31))
    run_day(entity=acme_daily, day=d(1, 19), send=False)
    assert _rows_known("agenda_action") == 2
