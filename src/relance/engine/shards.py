"""The pieces of a distributed run (engine/tasks.py): customer ids split into shards, one
shard planned and written, and the run's EngineRun row added to by every task."""

from collections import Counter
from datetime import date

from django.db import transaction
from django.utils import timezone

from relance.agenda.models import Action
from relance.engine import loading
from relance.engine.choices import RunStatus
from relance.engine.models import EngineRun
from relance.engine.writing import Counts

SHARD_SIZE = 1000
SUMMED = ("customers", "created", "skipped", "updated", "sent", "errors", "recovered", "unsent")
SUMMED += ("failed", "paused", "holds_ended")


def customer_ids(entity, first_id: int | None = None, last_id: int | None = None) -> list[int]:
    """The customers with something to decide, with ids in [first_id, last_id]."""
    ids = loading.customer_ids(entity)
    if first_id is not None:
        ids = [pk for pk in ids if first_id <= pk <= (last_id if last_id is not None else pk)]
    return ids


def split(ids: list[int], size: int = SHARD_SIZE) -> list[list[int]]:
    return [ids[start : start + size] for start in range(0, len(ids), size)]


def id_ranges(ids: list[int], size: int = SHARD_SIZE) -> list[tuple[int, int, int]]:
    """(first id, last id, count) of each shard of the sorted `ids`."""
    return [(part[0], part[-1], len(part)) for part in split(ids, size)]


def run_shard(entity, day: date, run_id: int, customer_ids: list[int]) -> list[list[int]]:
    """Plan and write for these customers; the due automatic actions are not executed here
    but answered as [customer, action] pairs for delivery_send_actions tasks."""
    from relance.engine.runner import QUEUED, run_customers

    counts, due = Counts(), set()

    def collect(*, action_ids: list[int], day: date) -> dict[int, str]:
        due.update(action_ids)
        return dict.fromkeys(action_ids, QUEUED)

    run_customers(entity, day, EngineRun(pk=run_id), customer_ids, counts, collect)
    run_add(run_id, _as_dict(counts))
    pairs = Action.objects.filter(pk__among=sorted(due)).values_list("customer_id", "pk")
    return sorted([customer, action] for customer, action in pairs)


def _as_dict(counts: Counts) -> dict:
    return {
        "created": counts.created,
        "skipped": counts.skipped,
        "updated": counts.updated,
        "cancelled": dict(counts.cancelled),
        "unsent": counts.unsent,
        "failed": counts.failed,
        "paused": counts.paused,
    }


def run_add(run_id: int, added: dict) -> None:
    """Add these counts to the run's, under a row lock (shards finish concurrently)."""
    with transaction.atomic():
        run = EngineRun.objects.select_for_update().get(pk=run_id)
        counts = run.counts or {"dry_run": False, "send": True, "cancelled": {}}
        for key, value in added.items():
            if isinstance(value, dict):
                merged = dict(counts.get(key, {}))
                for reason, n in value.items():
                    merged[reason] = merged.get(reason, 0) + n
                counts[key] = merged
            else:
                counts[key] = counts.get(key, 0) + value
        run.counts = counts
        run.heartbeat_at = timezone.now()
        run.save(update_fields=["counts", "heartbeat_at"])


def counts_of(summed: dict | None) -> Counts:
    """The Counts of a run's row as the tasks added them (for runner.run_end)."""
    summed = summed or {}
    counts = Counts(cancelled=Counter(summed.get("cancelled", {})))
    for name in ("created", "skipped", "updated", "sent", "errors", "unsent", "failed", "paused"):
        setattr(counts, name, summed.get(name, 0))
    return counts


def run_finish(run_id: int, *, status: str, error: str = "", analyzed: bool = False) -> None:
    """Close the run once (a redelivered callback finds it closed)."""
    with transaction.atomic():
        run = EngineRun.objects.select_for_update().get(pk=run_id)
        if run.status != RunStatus.RUNNING:
            return
        now = timezone.now()
        run.counts = {k: run.counts.get(k, 0) for k in SUMMED} | {
            "dry_run": False,
            "send": True,
            "cancelled": run.counts.get("cancelled", {}),
            "analyzed": analyzed,
            "seconds": round((now - run.started_at).total_seconds(), 3),
        }
        run.status, run.error, run.finished_at = status, error, now
        run.save(update_fields=["status", "error", "finished_at", "counts"])
