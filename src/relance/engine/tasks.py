"""Thin Celery tasks around run_day: the daily beat calls `engine_run_all`, which fans
out one `engine_run` per entity (each entity at its own today)."""

import logging
from datetime import date

from celery import shared_task

from relance.core.models import Entity

logger = logging.getLogger(__name__)


@shared_task
def engine_run(entity_id: int, day: str | None = None, dry_run: bool = False) -> dict | None:
    """Run the engine for one entity at `day` (ISO date; default: its today)."""
    from dataclasses import asdict

    from relance.engine.runner import RunInProgress, run_day

    entity = Entity.objects.get(pk=entity_id)
    run_date = date.fromisoformat(day) if day else entity.today()
    try:
        summary = run_day(entity=entity, day=run_date, dry_run=dry_run)
    except RunInProgress as exc:  # not an error to retry: the other run does the work
        logger.warning("%s", exc)
        return None
    return {**asdict(summary), "day": run_date.isoformat()}


@shared_task
def engine_run_all() -> list[int]:
    ids = list(Entity.objects.order_by("pk").values_list("pk", flat=True))
    for entity_id in ids:
        engine_run.delay(entity_id)
    return ids
