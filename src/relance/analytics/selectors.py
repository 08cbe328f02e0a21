"""Read-only figures for the charts; one aggregate query per chart over `actions`, the
actions the user sees (`Action.objects.visible_to`) narrowed by the page's filters.

- *Actions per day*: over the last and next `days` days, open actions on their due date,
  split into "to do" (due on or before the entity's today, late ones included) and
  "upcoming"; finished ones (sent or done) on the day they were finished.
- *Actions per channel*: the same actions, per channel.
- *Collected after each step*: for the steps sent or done in the last `since_days` days, the
  amount at stake is the reference invoices' amount (the open amount at the time is not
  kept, so partial payments before the step are not deducted), and the amount collected is
  that of the reference invoices settled within `window_days` after the step (their
  `settled_on`, set by the import, falls in that window). Amounts are summed per currency,
  never converted.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DateField,
    DecimalField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from relance.agenda.choices import OPEN_STATUSES, ActionStatus
from relance.agenda.models import Action
from relance.customers.selectors import today_expression

TODO, UPCOMING, DONE = "todo", "upcoming", "done"
FINISHED = (ActionStatus.SENT, ActionStatus.DONE)
MONEY = DecimalField(max_digits=16, decimal_places=2)


def reference_day(todays: dict[int, date]) -> date:
    """The day the charts are centred on: the latest today of the user's entities."""
    return max(todays.values(), default=timezone.localdate())


def chart_actions(user) -> QuerySet:
    """Every action the charts may count for `user`, before the page's filters."""
    return Action.objects.visible_to(user)


def _window_actions(actions: QuerySet, todays: dict[int, date], days: int):
    today = reference_day(todays)
    start, end = today - timedelta(days=days), today + timedelta(days=days)
    is_open = Q(status__in=OPEN_STATUSES)
    is_done = Q(status__in=FINISHED)
    return (
        actions.filter(
            (is_open & Q(due_date__range=(start, end)))
            | (is_done & Q(finished_on__range=(start, end)))
        )
        .annotate(
            day=Case(When(is_open, then=F("due_date")), default=F("finished_on")),
            kind=Case(
                When(is_done, then=Value(DONE)),
                When(due_date__lte=today_expression(todays), then=Value(TODO)),
                default=Value(UPCOMING),
            ),
        )
        .order_by()
    )


def actions_per_day(actions: QuerySet, todays: dict[int, date], *, days: int = 14) -> dict:
    """{(day, kind): count} for the days around today (one query)."""
    rows = _window_actions(actions, todays, days).values("day", "kind").annotate(count=Count("pk"))
    return {(row["day"], row["kind"]): row["count"] for row in rows}


def actions_per_channel(actions: QuerySet, todays: dict[int, date], *, days: int = 14) -> dict:
    """{(channel, kind): count} over the same window (one query)."""
    rows = (
        _window_actions(actions, todays, days).values("channel", "kind").annotate(count=Count("pk"))
    )
    return {(row["channel"], row["kind"]): row["count"] for row in rows}


def collected_per_step(
    actions: QuerySet, todays: dict[int, date], *, since_days: int = 90, window_days: int = 30
) -> list[dict]:
    """Per scenario step and currency: steps finished, amount at stake and collected."""
    today = reference_day(todays)
    window_end = ExpressionWrapper(
        F("finished_on") + timedelta(days=window_days), output_field=DateField()
    )
    settled = Q(
        reference__open_amount=0,
        reference__settled_on__gte=F("finished_on"),
        reference__settled_on__lte=window_end,
    )
    zero = Value(Decimal("0.00"), output_field=MONEY)
    return list(
        actions.filter(status__in=FINISHED, finished_on__gte=today - timedelta(days=since_days))
        .order_by()
        .values(
            "scenario_id", "scenario__name", "step_position", "step_name", "reference__currency"
        )
        .annotate(
            steps=Count("pk"),
            at_stake=Coalesce(Sum("reference__amount"), zero, output_field=MONEY),
            collected=Coalesce(Sum("reference__amount", filter=settled), zero, output_field=MONEY),
        )
        .order_by("scenario__name", "scenario_id", "step_position", "reference__currency")
    )
