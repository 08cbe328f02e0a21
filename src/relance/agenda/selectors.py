"""Reads of actions."""

from dataclasses import dataclass
from datetime import date

from django.db.models import CharField, Count, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from relance.agenda.choices import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    ActionReason,
    ActionStatus,
    AgendaTab,
)
from relance.agenda.models import Action, CustomerResponse
from relance.customers.selectors import today_expression
from relance.ledger.models import Item
from relance.scenarios.choices import StepChannel, StepMode

EXPORT_COLUMNS = (
    "id",
    "entity",
    "customer_external_id",
    "customer_name",
    "scenario",
    "step",
    "channel",
    "mode",
    "status",
    "reason",
    "reference_number",
    "created_on",
    "due_date",
    "finished_on",
    "responsible",
)
_EXPORT_FIELDS = (
    "id",
    "entity__slug",
    "customer__external_id",
    "customer__name",
    "scenario__name",
    "step_name",
    "channel",
    "mode",
    "status",
    "reason",
    "reference__number",
    "created_on",
    "due_date",
    "finished_on",
    "responsible__username",
)


def action_export_rows(
    *,
    entity=None,
    status: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet:
    """One tuple per action in EXPORT_COLUMNS order; dates filter on the due date."""
    actions = Action.objects.all()
    if entity is not None:
        actions = actions.filter(entity=entity)
    if status:
        actions = actions.filter(status=status)
    if date_from:
        actions = actions.filter(due_date__gte=date_from)
    if date_to:
        actions = actions.filter(due_date__lte=date_to)
    return actions.order_by("entity__slug", "due_date", "id").values_list(*_EXPORT_FIELDS)


# The agenda -----------------------------------------------------------------------------

MANUAL_MODES = (StepMode.MANUAL,)
AUTOMATIC_MODES = (StepMode.AUTO, StepMode.AUTO_CONFIRM)
LIST_RELATED = ("entity", "customer", "scenario", "reference", "responsible")


def agenda_base_queryset(user) -> QuerySet:
    """Every action `user` may see, with what a list row shows (no query per row)."""
    return Action.objects.visible_to(user).select_related(*LIST_RELATED)


def agenda_tab_queryset(user, tab: str) -> QuerySet:
    """The actions of one agenda tab: open manual ones, open automatic ones, or the closed."""
    actions = agenda_base_queryset(user)
    if tab == AgendaTab.MANUAL:
        return actions.filter(status__in=OPEN_STATUSES, mode__in=MANUAL_MODES)
    if tab == AgendaTab.AUTOMATIC:
        return actions.filter(status__in=OPEN_STATUSES, mode__in=AUTOMATIC_MODES)
    return actions.filter(status__in=CLOSED_STATUSES)


def _now_condition(todays) -> Q:
    return Q(due_date__lte=today_expression(todays))


def agenda_counters(actions: QuerySet, todays) -> dict[str, int]:
    """One aggregate query over the (filtered) actions: per open tab, the actions scheduled
    and those to do now (manual: due or late; automatic: due and unconfirmed, or in error)."""
    now = _now_condition(todays)
    manual = Q(status__in=OPEN_STATUSES, mode__in=MANUAL_MODES)
    automatic = Q(status__in=OPEN_STATUSES, mode__in=AUTOMATIC_MODES)
    automatic_now = Q(status=ActionStatus.ERROR) | (
        now & Q(status__in=(ActionStatus.TO_CONFIRM, ActionStatus.PLANNED))
    )
    return actions.order_by().aggregate(
        manual_total=Count("pk", filter=manual),
        manual_now=Count("pk", filter=manual & now),
        automatic_total=Count("pk", filter=automatic),
        automatic_now=Count("pk", filter=automatic & automatic_now),
    )


def action_for_user(user, pk: int) -> Action:
    """One action the user may see (404 otherwise), with what its page shows."""
    queryset = agenda_base_queryset(user).select_related("step__template")
    return queryset.get_for_user(user, pk=pk)


def users_seeing_entity(entity) -> QuerySet:
    """The active users who see `entity`: whom an action of it can be given to."""
    from relance.accounts.models import User

    sees = (
        Q(is_superuser=True) | Q(role="administrator") | Q(all_entities=True) | Q(entities=entity)
    )
    return (
        User.objects.filter(is_active=True)
        .filter(sees)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def response_queryset(user) -> QuerySet:
    return CustomerResponse.objects.visible_to(user).select_related("entity", "customer", "action")


# The customer timeline ---------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the customer timeline: an action (`pk` is its id), or an invoice's dispute
    or promise (`pk` is the item's id, `title` its number, `note` the dispute reason)."""

    day: date
    kind: str  # "action", "dispute" or "promise"
    pk: int
    title: str
    status: str = ""
    reason: str = ""
    channel: str = ""
    note: str = ""

    def get_status_display(self) -> str:
        return ActionStatus(self.status).label if self.status else ""

    def get_reason_display(self) -> str:
        return ActionReason(self.reason).label if self.reason else ""

    def get_channel_display(self) -> str:
        return StepChannel(self.channel).label if self.channel else ""


_TIMELINE_FIELDS = tuple(f"tl_{name}" for name in TimelineEntry.__dataclass_fields__)


def _timeline_rows(queryset, kind: str, **values) -> QuerySet:
    annotations = {"tl_kind": Value(kind, output_field=CharField()), "tl_pk": F("pk")}
    for name in ("day", "title", "status", "reason", "channel", "note"):
        value = values.get(name)
        annotations[f"tl_{name}"] = Value("", output_field=CharField()) if value is None else value
    return queryset.order_by().annotate(**annotations).values_list(*_TIMELINE_FIELDS)


def customer_timeline(customer, limit: int = 100) -> list[TimelineEntry]:
    """Every action of `customer`, its disputes and its promises to pay, newest first, in one
    query (a UNION; an audit model replaces the item part later)."""
    actions = _timeline_rows(
        Action.objects.filter(customer=customer),
        "action",
        day=Coalesce("finished_on", "due_date"),
        title=F("step_name"),
        status=F("status"),
        reason=F("reason"),
        channel=F("channel"),
        note=F("note"),
    )
    items = Item.objects.filter(customer=customer)
    disputes = _timeline_rows(
        items.filter(dispute_date__isnull=False),
        "dispute",
        day=F("dispute_date"),
        title=F("number"),
        note=F("dispute_reason"),
    )
    promises = _timeline_rows(
        items.filter(promise_date__isnull=False),
        "promise",
        day=F("promise_date"),
        title=F("number"),
    )
    union = actions.union(disputes, promises, all=True).order_by("-tl_day", "-tl_kind", "-tl_pk")
    return [TimelineEntry(*row) for row in union[:limit]]
