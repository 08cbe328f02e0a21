"""One customer never stops the run (spec, amendment 1, rule 6).

The runner plans, writes and sends a chunk of customers set-based; these wrappers keep that
fast path and, when it raises, narrow the failure down to the customers that caused it:
planning is already per customer (a pure call each), writing and sending are retried one
customer at a time only after the chunk's batch failed. Each failing customer is recorded
(customer, day, stage, message) as an EngineError at the end of its chunk, and counted.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from relance.agenda.models import Action
from relance.engine import planner
from relance.engine.choices import FailureStage
from relance.engine.models import EngineError
from relance.engine.writing import Counts, write_decisions

logger = logging.getLogger(__name__)


@dataclass
class Failures:
    """The customers of a chunk that failed: {customer id: (stage, message)}."""

    by_customer: dict[int, tuple[str, str]] = field(default_factory=dict)

    def add(self, customer_id: int, stage: str, error: BaseException | str) -> None:
        if isinstance(error, BaseException):
            logger.error("engine: customer %s, %s", customer_id, stage, exc_info=error)
            error = f"{type(error).__name__}: {error}"
        self.by_customer.setdefault(customer_id, (stage, str(error)))

    def __contains__(self, customer_id: int) -> bool:
        return customer_id in self.by_customer

    def __len__(self) -> int:
        return len(self.by_customer)


def plan_each(states, pending, day: date, is_working_day, failures: Failures) -> dict:
    """{customer: decisions} for the `pending` customers that have any; a customer whose
    planning raises is recorded and left out."""
    decisions = {}
    for pk in sorted(pending):
        try:
            found = planner.plan_customer(states[pk], day, is_working_day)
        except Exception as exc:
            failures.add(pk, FailureStage.PLANNING, exc)
            continue
        if found:
            decisions[pk] = found
    return decisions


def write_each(entity, day, decisions: dict, catalogue, collectors, counts: Counts, failures):
    """write_decisions for the whole chunk in one transaction; if it raises, again customer
    by customer, each in its own transaction, the failing ones recorded and their decisions
    dropped from `decisions` (nothing of theirs is written nor sent)."""
    batch = Counts()
    try:
        with transaction.atomic():
            ids = write_decisions(entity, day, decisions, catalogue, collectors, batch)
    except Exception:
        logger.warning("engine: a chunk's writes failed, written again customer by customer")
    else:
        counts.add(batch)
        return ids
    ids = {}
    for pk in sorted(decisions):
        part = Counts()
        try:
            with transaction.atomic():
                ids.update(
                    write_decisions(entity, day, {pk: decisions[pk]}, catalogue, collectors, part)
                )
        except Exception as exc:
            failures.add(pk, FailureStage.WRITING, exc)
            del decisions[pk]
            continue
        counts.add(part)
    return ids


def execute_each(execute: Callable, todo: list[tuple[int, int]], day: date, failures: Failures):
    """The executor's outcomes for the (customer, action) pairs of `todo`; if the batch
    raises, each action again on its own (an action already sent is not sent again: only
    open actions are executed), the customers whose action raises recorded."""
    try:
        return execute(action_ids=[action_id for _c, action_id in todo], day=day)
    except Exception:
        logger.warning("engine: a batch of sends failed, sent again one by one")
    outcomes = {}
    for pk, action_id in todo:
        try:
            outcome = execute(action_ids=[action_id], day=day).get(action_id)
        except Exception as exc:
            failures.add(pk, FailureStage.SENDING, exc)
            continue
        # Finished by the failed batch before it broke: its status says how.
        outcomes[action_id] = outcome or Action.objects.get(pk=action_id).status
    return outcomes


def failures_record(entity, day: date, run_id: int | None, ids: list[int], failures: Failures):
    """Close the errors that earlier runs recorded for the customers of this chunk (they
    were planned again), then record this chunk's failures; answers how many."""
    if ids:
        earlier = EngineError.objects.filter(
            entity=entity, resolved_on__isnull=True, customer_id__gte=ids[0]
        ).filter(customer_id__lte=ids[-1])
        if run_id is not None:
            earlier = earlier.exclude(run_id=run_id)
        earlier.update(resolved_on=day)
    rows = [
        EngineError(
            entity=entity,
            run_id=run_id,
            customer_id=pk,
            day=day,
            stage=stage,
            message=message[:2000],
        )
        for pk, (stage, message) in sorted(failures.by_customer.items())
    ]
    EngineError.objects.bulk_create(rows)
    return len(rows)
