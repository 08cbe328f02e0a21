"""The migration to runs (0007) keeps every day's figures of the daily rows it replaces."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("insights", "0006_risk_foreign_keys_unchecked")]
AFTER = [("insights", "0007_snapshot_runs")]
FIRST = datetime.date(2026, 3, 1)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_daily_rows_become_runs_with_the_same_figures(acme):
    from relance.customers.tests.factories import CustomerFactory

    martin = CustomerFactory(entity=acme)
    apps = _migrate(BEFORE)
    try:
        day_model = apps.get_model("insights", "SnapshotDay")
        snapshot = apps.get_model("insights", "CustomerSnapshot")
        # Days 1 to 6 written, then 9 (7 and 8 not): 100 open on days 1–3, 250 on 4–5,
        # nothing on 6, 250 again on 9 (read on 7 and 8 too: the latest day written).
        opens = {1: 100, 2: 100, 3: 100, 4: 250, 5: 250, 9: 250}
        for number in [1, 2, 3, 4, 5, 6, 9]:
            day_model.objects.create(entity_id=acme.pk, day=FIRST.replace(day=number))
        for number, amount in opens.items():
            snapshot.objects.create(
                entity_id=acme.pk, customer_id=martin.pk, day=FIRST.replace(day=number),
                currency="EUR", open_amount=amount, not_due=amount,
            )  # fmt: skip
    finally:
        _migrate(AFTER)
    from relance.insights.models import OPEN_END, CustomerSnapshot

    runs = CustomerSnapshot.objects.order_by("since").values_list("since", "until", "open_amount")
    assert [(s.day, u.day if u != OPEN_END else None, int(a)) for s, u, a in runs] == [
        (1, 4, 100),
        (4, 6, 250),
        (9, None, 250),
    ]
