"""The recovery at the start of every run reads the few outbox rows in flight through their
partial index, however much history the tables hold and however stale their statistics
(PostgreSQL, whose planner follows them; autovacuum may be off or late)."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from relance.agenda.models import Action
from relance.delivery.models import Outbox
from relance.delivery.services import outbox_recover
from relance.engine.runner import run_day
from relance.engine.tests.conftest import make_customer, make_invoice
from relance.engine.tests.simulation import d

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner"),
]
HISTORY = 20_000


def _copy_finished_actions(times: int) -> None:
    """Each finished action copied `times` times: months of history."""
    columns = [f.column for f in Action._meta.concrete_fields if not f.primary_key]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO agenda_action ({', '.join(columns)}) SELECT {', '.join(columns)} "
            "FROM agenda_action, generate_series(1, %s) WHERE finished_on IS NOT NULL",
            [times],
        )


def _plans(sql: str) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        (plan,) = cursor.fetchone()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    nodes, todo = [], [plan[0]["Plan"]]
    while todo:
        node = todo.pop()
        nodes.append(node)
        todo.extend(node.get("Plans", []))
    return nodes


def test_the_recovery_reads_the_partial_index_whatever_the_history(scenario_s, acme_daily, smtp):
    customer = make_customer(acme_daily)
    make_invoice(customer, "A1", d(1, 31), issue=d(1, 1))
    run_day(entity=acme_daily, day=d(1, 26))  # the courtesy email sent: one outbox row
    with connection.cursor() as cursor:  # statistics taken while the history was small
        cursor.execute("ANALYZE agenda_action, delivery_outbox")
    # Months of history: sent messages, each with its finished action.
    _copy_finished_actions(HISTORY)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO delivery_outbox (action_id, attempt, key, channel, status, day, "
            "message_id, recipients, subject, body, html, error, idempotency_key, uncertain, "
            "provider_id, provider_status, proof, created_at, updated_at) "
            "SELECT a.id, 1, 'history-' || a.id, 'email', 'sent', a.finished_on, '', '', "
            "'', '', '', '', '', false, '', '', '{}', now(), now() FROM agenda_action a "
            "WHERE NOT EXISTS (SELECT FROM delivery_outbox o WHERE o.action_id = a.id)"
        )
    # One message whose run stopped between the hand-over and its record.
    stuck = Outbox.objects.order_by("-id").first()
    Outbox.objects.filter(pk=stuck.pk).update(status="sending")
    Action.objects.filter(pk=stuck.action_id).update(status="planned", finished_on=None)
    assert Outbox.objects.count() > HISTORY

    with CaptureQueriesContext(connection) as queries:
        assert outbox_recover(entity=acme_daily) == 1
    reads = [q["sql"] for q in queries if q["sql"].startswith("SELECT")]
    assert any("delivery_outbox" in sql for sql in reads)
    for sql in reads:
        nodes = _plans(sql)
        assert "Nested Loop" not in {node["Node Type"] for node in nodes}, sql
        outbox = [node for node in nodes if node.get("Relation Name") == "delivery_outbox"]
        # Read through an index on what is in flight, never scanned whole.
        assert all(node["Node Type"] != "Seq Scan" for node in outbox), sql
