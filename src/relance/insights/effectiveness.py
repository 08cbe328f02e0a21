"""Does a scenario step make customers pay? The amounts customers paid within 7, 14 and 30
days after a step was sent or done, beside what customers at the same stage paid over the
same days when the step had not reached them yet (docs/insights.md, "Step effectiveness").

The selector reads every step of an entity at once (one query); the pure part turns its
sums into means per observation and the difference between the two groups."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from relance.agenda.choices import ActionStatus
from relance.insights import sql
from relance.insights.figures import rounded
from relance.insights.models import BUCKETS
from relance.ledger.choices import ItemKind

WINDOWS = (7, 14, 30)
# Steps done or sent over the last year are measured.
SINCE_DAYS = 365
# The stages: the days overdue of the step's reference invoice on the observed day, in the
# aging buckets of the snapshots (key, lowest, highest).
STAGES = BUCKETS
RECEIVED = (ActionStatus.SENT, ActionStatus.DONE)
NOT_RECEIVED = (ActionStatus.SKIPPED, ActionStatus.CANCELLED)
ZERO = Decimal("0.00")


# The pure part -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """Observations of one group (those who received the step, or the comparison) over the
    windows: {days: number of observations}, {days: amount paid within them}."""

    observations: dict[int, int]
    paid: dict[int, Decimal]

    def mean(self, days: int) -> Decimal | None:
        """Paid per observation within `days` days, to the cent (None: no observation)."""
        count = self.observations.get(days, 0)
        if not count:
            return None
        return (self.paid.get(days, ZERO) / count).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class StepStage:
    """The figures of one step of a scenario at one stage (days overdue bucket)."""

    scenario_id: int
    position: int
    stage: str
    received: Group
    comparison: Group

    def difference(self, days: int) -> Decimal | None:
        """Paid per observation after the step minus paid per observation without it."""
        received, comparison = self.received.mean(days), self.comparison.mean(days)
        if received is None or comparison is None:
            return None
        return received - comparison

    def share_of_comparison(self, days: int) -> Decimal | None:
        """The mean after the step as a percentage of the comparison's (100: no effect)."""
        received, comparison = self.received.mean(days), self.comparison.mean(days)
        if received is None or not comparison:
            return None
        return rounded(received / comparison * 100)


def stage_of(days_overdue: int) -> str:
    for key, low, high in STAGES:
        if (low is None or days_overdue >= low) and (high is None or days_overdue <= high):
            return key
    raise ValueError(days_overdue)  # pragma: no cover - the stages cover every integer


def step_stages(rows) -> list[StepStage]:
    """StepStage per (scenario, position, stage) from the selector's rows (scenario id,
    position, stage, received (1/0), then per window a count and a paid amount)."""
    groups: dict[tuple, dict[int, Group]] = {}
    for scenario_id, position, stage, received, *sums in rows:
        observations = {days: int(sums[2 * i] or 0) for i, days in enumerate(WINDOWS)}
        paid = {days: sql.money(sums[2 * i + 1]) for i, days in enumerate(WINDOWS)}
        key = (scenario_id, position, stage)
        groups.setdefault(key, {})[int(received)] = Group(observations, paid)
    empty = Group(dict.fromkeys(WINDOWS, 0), dict.fromkeys(WINDOWS, ZERO))
    order = {key: index for index, (key, _low, _high) in enumerate(STAGES)}
    keys = sorted(groups, key=lambda key: (key[0], key[1], order[key[2]]))
    return [
        StepStage(*key, received=groups[key].get(1, empty), comparison=groups[key].get(0, empty))
        for key in keys
    ]


# The selector part ---------------------------------------------------------------------------


def _stage_sql(day: str, due: str) -> str:
    overdue = sql.days_between(day, due)
    cases = " ".join(
        f"WHEN {overdue} <= {high} THEN '{key}'" for key, _low, high in STAGES if high is not None
    )
    return f"CASE {cases} ELSE '{STAGES[-1][0]}' END"


def step_effectiveness(
    entity, *, as_of: date | None = None, since: date | None = None, customers=None
):
    """StepStage of every scenario step of `entity` with an observation since `since`
    (default: a year before `as_of`, the entity's today), of the actions of `customers`
    only if given (a queryset or a list); one query.

    Observations: a step *received* is an action sent or done, observed from its finish
    day; a *comparison* is an action of the same step observed from its due day that had
    not reached the customer yet (skipped, cancelled, or sent later): it counts for a
    window of N days only if it was not sent within those N days. Either counts for a window
    only once the window is over (observed day + N ≤ as_of). Paid: the decreases of the
    customer's invoices (issued by the observed day, in the entity's currency) on the days
    after the observed day."""
    as_of = as_of or entity.today()
    since = since or as_of - timedelta(days=SINCE_DAYS - 1)
    d = sql.date_param
    restriction, restriction_params = sql.customers_clause("o.customer_id", customers)
    statuses = ", ".join(f"'{status}'" for status in (*RECEIVED, *NOT_RECEIVED))
    received = ", ".join(f"'{status}'" for status in RECEIVED)
    not_received = ", ".join(f"'{status}'" for status in NOT_RECEIVED)
    windows = []
    for days in WINDOWS:
        eligible = (
            f"{sql.add_days('o.day', days)} <= b.as_of AND (o.received = 1"
            f" OR o.sent_on IS NULL OR o.sent_on > {sql.add_days('o.day', days)})"
        )
        windows.append(f"COUNT(DISTINCT CASE WHEN {eligible} THEN o.id END)")
        windows.append(
            f"SUM(CASE WHEN {eligible} AND p.day <= {sql.add_days('o.day', days)}"
            f" THEN -p.delta ELSE 0 END)"
        )
    query = f"""
        WITH b AS (SELECT {d()} AS since, {d()} AS as_of),
        o AS (
          SELECT a.id, a.scenario_id, a.step_position, a.customer_id, a.finished_on AS day,
                 1 AS received, a.finished_on AS sent_on, ref.due_date AS ref_due
          FROM agenda_action a JOIN ledger_item ref ON ref.id = a.reference_id CROSS JOIN b
          WHERE a.entity_id = %s AND a.status IN ({received})
            AND a.finished_on >= b.since AND a.finished_on <= b.as_of
          UNION ALL
          SELECT a.id, a.scenario_id, a.step_position, a.customer_id, a.due_date AS day,
                 0 AS received,
                 CASE WHEN a.status IN ({not_received}) THEN NULL ELSE a.finished_on END,
                 ref.due_date
          FROM agenda_action a JOIN ledger_item ref ON ref.id = a.reference_id CROSS JOIN b
          WHERE a.entity_id = %s AND a.status IN ({statuses})
            AND a.due_date >= b.since AND a.due_date <= b.as_of
            AND (a.status IN ({not_received}) OR a.finished_on > a.due_date)
        ),
        p AS (
          SELECT c.day, c.delta, i.customer_id, i.issue_date
          FROM ledger_itemamountchange c JOIN ledger_item i ON i.id = c.item_id
          WHERE c.entity_id = %s AND c.delta < 0 AND i.kind = %s AND i.currency = %s
        )
        SELECT o.scenario_id, o.step_position, {_stage_sql("o.day", "o.ref_due")} AS stage,
               o.received, {", ".join(windows)}
        FROM o CROSS JOIN b
        LEFT JOIN p ON p.customer_id = o.customer_id AND p.day > o.day
          AND p.day <= {sql.add_days("o.day", max(WINDOWS))} AND p.issue_date <= o.day
        WHERE 1 = 1{restriction}
        GROUP BY o.scenario_id, o.step_position, stage, o.received
    """
    params = [since, as_of, entity.pk, entity.pk, entity.pk, ItemKind.INVOICE, entity.currency]
    params += restriction_params
    return step_stages(sql.fetch(query, params))


def step_rows(entity, stages: list[StepStage]) -> list[dict]:
    """The table of the steps page: each scenario's steps in order (names from the
    scenarios, or the actions' copy for a step since removed), one row per stage measured."""
    from relance.agenda.models import Action
    from relance.scenarios.models import Scenario, Step

    wanted = {(stage.scenario_id, stage.position) for stage in stages}
    scenario_ids = {scenario_id for scenario_id, _position in wanted}
    scenarios = dict(Scenario.objects.filter(pk__in=scenario_ids).values_list("pk", "name"))
    names = {
        (scenario_id, position): name
        for scenario_id, position, name in Step.objects.filter(
            scenario_id__in=scenario_ids
        ).values_list("scenario_id", "position", "name")
    }
    missing = wanted - names.keys()
    if missing:
        copies = Action.objects.filter(
            entity=entity, scenario_id__in={s for s, _p in missing}
        ).values_list("scenario_id", "step_position", "step_name")
        for scenario_id, position, name in copies.order_by().distinct():
            names.setdefault((scenario_id, position), name)
    return [
        {
            "scenario": scenarios.get(stage.scenario_id, ""),
            "step": names.get((stage.scenario_id, stage.position), ""),
            "stage": stage,
        }
        for stage in sorted(
            stages,
            key=lambda s: (scenarios.get(s.scenario_id, ""), s.scenario_id, s.position),
        )
    ]
