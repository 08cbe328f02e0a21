"""Reads of actions."""

import zoneinfo
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from operator import attrgetter

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest, TruncDate

from relance.accounts.choices import Role
from relance.activity.models import CustomerEvent
from relance.activity.selectors import customer_events
from relance.agenda.choices import (
    ActionReason,
    ActionStatus,
    AgendaTab,
    ResponseChannel,
    ResponseKind,
)
from relance.agenda.models import Action, CustomerResponse
from relance.customers.selectors import CREDIT_KINDS, MONEY, ZERO, today_expression
from relance.ledger.choices import ItemKind
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
    "tracking_number",
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
    "tracking_number",
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


def agenda_tab_queryset(user, tab: str, todays=None) -> QuerySet:
    """The actions of one agenda tab: open manual ones, open automatic ones, or the closed;
    the open tabs with their amounts (`with_amounts`) when given the entities' `todays`.

    Open is `finished_on IS NULL` (a constraint ties it to the status): the tabs then read
    the index action_by_finished in their order and stop at one page."""
    actions = agenda_base_queryset(user)
    if tab == AgendaTab.MANUAL:
        actions = actions.filter(finished_on__isnull=True, mode__in=MANUAL_MODES)
    elif tab == AgendaTab.AUTOMATIC:
        actions = actions.filter(finished_on__isnull=True, mode__in=AUTOMATIC_MODES)
    else:
        return actions.filter(finished_on__isnull=False)
    return actions if todays is None else with_amounts(actions, todays)


def with_amounts(actions: QuerySet, todays) -> QuerySet:
    """`actions` annotated with `at_stake` and `overdue`, in the reference invoice's currency
    (`currency`).

    - *overdue*: the open amount of the customer's invoices due before the entity's today;
    - *at stake*: what the engine would ask for now: the open invoices due by the later of
      today and the reference's due date, not disputed, blocked or paid online awaiting
      reconciliation, less the open credits (credit notes, payments), never below 0.
      Promises are not deducted: the action exists, so the engine saw something to ask.

    Correlated subqueries over the index item_open_by_customer, computed for the page's rows
    only unless the tab is sorted by an amount."""
    today = today_expression(todays, "entity_id")
    items = Item.objects.filter(
        customer=OuterRef("customer_id"),
        open_amount__gt=0,
        currency=OuterRef("reference__currency"),
    )
    invoices = items.filter(kind=ItemKind.INVOICE)
    horizon = Greatest(today, OuterRef("reference__due_date"))
    asked = Q(
        kind=ItemKind.INVOICE,
        due_date__lte=horizon,
        disputed=False,
        blocked=False,
        payment_pending_since__isnull=True,
    )
    signed = Case(
        When(kind=ItemKind.INVOICE, then=F("open_amount")),
        default=-F("open_amount"),
        output_field=MONEY,
    )
    stake = items.filter(asked | Q(kind__in=CREDIT_KINDS))
    return actions.annotate(
        currency=F("reference__currency"),
        overdue=_sum(invoices.filter(due_date__lt=today)),
        at_stake=Greatest(_sum(stake, signed), Value(ZERO), output_field=MONEY),
    )


def _sum(items: QuerySet, amount=None):
    amount = F("open_amount") if amount is None else amount
    total = items.order_by().values("customer").annotate(total=Sum(amount)).values("total")
    return Coalesce(Subquery(total, output_field=MONEY), Value(ZERO), output_field=MONEY)


def _now_condition(todays) -> Q:
    return Q(due_date__lte=today_expression(todays))


def agenda_counters(actions: QuerySet, todays) -> dict[str, int]:
    """One aggregate query over the (filtered) actions: per open tab, the actions scheduled
    and those to do now (manual: due or late; automatic: due and unconfirmed, or in error).
    Only the open ones count; the conditions read mode, status and due date alone, which
    the index action_open_counters holds (an index-only scan)."""
    now = _now_condition(todays)
    # Every mode named: a condition SQLite answers from that index, so it reads it alone.
    actions = actions.filter(finished_on__isnull=True, mode__in=MANUAL_MODES + AUTOMATIC_MODES)
    manual = Q(mode__in=MANUAL_MODES)
    automatic = Q(mode__in=AUTOMATIC_MODES)
    automatic_now = Q(status=ActionStatus.ERROR) | (
        now & Q(status__in=(ActionStatus.TO_CONFIRM, ActionStatus.PLANNED))
    )
    return actions.order_by().aggregate(
        manual_total=Count("pk", filter=manual),
        manual_now=Count("pk", filter=manual & now),
        automatic_total=Count("pk", filter=automatic),
        automatic_now=Count("pk", filter=automatic & automatic_now),
    )


def engine_errors(user) -> QuerySet:
    """The customers `user` may see that the engine failed on and has not planned again
    since (engine.EngineError, unresolved), the latest first."""
    from relance.engine.models import EngineError

    return (
        EngineError.objects.unresolved()
        .visible_to(user)
        .select_related("customer", "entity")
        .order_by("-day", "customer__name", "-id")
    )


def action_for_user(user, pk: int) -> Action:
    """One action the user may see (404 otherwise), with what its page shows."""
    queryset = agenda_base_queryset(user).select_related("step__template", "customer__collector")
    return queryset.get_for_user(user, pk=pk)


def message_proofs(outbox) -> list:
    """The providers' proofs of a message (deposit receipt, acknowledgement, e-registered
    proof), without their content."""
    return list(outbox.proofs.defer("content").select_related("outbox"))


def sent_message(action: Action):
    """The Outbox row of what left for `action` (its last attempt recorded sent), or None:
    a message done by hand, skipped or never sent has none."""
    # delivery sits above agenda: imported on use, as the engine does.
    from relance.delivery.choices import OutboxStatus

    return action.outbox.filter(status=OutboxStatus.SENT).order_by("-created_at", "-id").first()


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


RESPONSE_RELATED = ("entity", "customer", "action", "handled_by")


def response_queryset(user) -> QuerySet:
    """The responses `user` may see, with what a row shows (items in one more query), the
    unhandled first, then the latest first."""
    unhandled_first = ExpressionWrapper(Q(handled_at__isnull=False), output_field=BooleanField())
    return (
        CustomerResponse.objects.visible_to(user)
        .select_related(*RESPONSE_RELATED)
        .prefetch_related(Prefetch("items", queryset=Item.objects.order_by("number")))
        .order_by(unhandled_first.asc(), "-received_at", "-id")
    )


def response_for_user(user, pk: int) -> CustomerResponse:
    """One response the user may see (the same 404 when missing or not theirs)."""
    return response_queryset(user).get_for_user(user, pk=pk)


def unhandled_responses(user) -> QuerySet:
    """The responses not handled yet that `user` has to read: a collector those of their
    own customers, anyone else all those they may see."""
    responses = CustomerResponse.objects.visible_to(user).filter(handled_at__isnull=True)
    if user.is_authenticated and user.role == Role.COLLECTOR and not user.is_superuser:
        responses = responses.filter(customer__collector=user)
    return responses


def unhandled_response_count(user) -> int:
    return unhandled_responses(user).order_by().count()


def answer_templates(user, response: CustomerResponse) -> QuerySet:
    """The email templates that can answer `response`: shared or of its entity, with a
    text in the customer's or the entity's language."""
    from relance.templating.choices import Channel
    from relance.templating.models import MessageTemplate

    languages = {response.customer.language, response.entity.language} - {""}
    return (
        MessageTemplate.objects.visible_to(user)
        .for_entity(response.entity)
        .filter(channel=Channel.EMAIL, variants__language__in=languages)
        .distinct()
        .order_by("name", "id")
    )


# The customer timeline ---------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the customer timeline: an action (`pk` is its id); a message that left
    (`pk` is its action's id, `title` its subject, `note` its text as sent); an invoice's
    dispute or promise (`pk` is the item's id, `title` its number, `note` the dispute
    reason); a payment (`pk` the item's id, `title` its number, with its amount); an email
    received (`pk` the response's id, `title` its author, `reason` its kind, `note` its
    text); an event
    of the audit trail (`event`: who did what, and when)."""

    day: date
    kind: str  # "action", "message", "dispute", "promise", "payment" or "email"
    pk: int
    title: str
    status: str = ""
    reason: str = ""
    channel: str = ""
    note: str = ""
    currency: str = ""
    amount: Decimal | None = None
    event: CustomerEvent | None = None
    message: "TimelineEntry | None" = None  # an action's message, sent the day it finished

    def get_status_display(self) -> str:
        return ActionStatus(self.status).label if self.status else ""

    def get_reason_display(self) -> str:
        return ActionReason(self.reason).label if self.reason else ""

    def get_channel_display(self) -> str:
        return StepChannel(self.channel).label if self.channel else ""

    def get_response_kind_display(self) -> str:
        """An email's kind of response (reply, automatic reply)."""
        return ResponseKind(self.reason).label if self.reason in ResponseKind.values else ""


_TIMELINE_FIELDS = tuple(
    f"tl_{name}" for name in TimelineEntry.__dataclass_fields__ if name not in ("event", "message")
)
_TEXT_FIELDS = ("day", "title", "status", "reason", "channel", "note", "currency")
# Typed, or PostgreSQL takes the NULL for text and refuses the UNION with the amounts.
_NO_AMOUNT = Cast(Value(None), DecimalField(max_digits=14, decimal_places=2))


def _timeline_rows(queryset, kind: str, *, pk=None, amount=None, **values) -> QuerySet:
    annotations = {"tl_kind": Value(kind, output_field=CharField()), "tl_pk": pk or F("pk")}
    for name in _TEXT_FIELDS:
        value = values.get(name)
        annotations[f"tl_{name}"] = Value("", output_field=CharField()) if value is None else value
    annotations["tl_amount"] = _NO_AMOUNT if amount is None else amount
    return queryset.order_by().annotate(**annotations).values_list(*_TIMELINE_FIELDS)


def _with_messages(entries: list[TimelineEntry]) -> list[TimelineEntry]:
    """Each message shown inside its action's line when the action finished the day it left
    (one line, not two); a message of another day (an action reopened since) stays apart."""
    actions = {(e.pk, e.day) for e in entries if e.kind == "action"}
    messages = {
        (e.pk, e.day): e for e in entries if e.kind == "message" and (e.pk, e.day) in actions
    }
    merged = []
    for entry in entries:
        if entry.kind == "message" and (entry.pk, entry.day) in messages:
            continue
        if entry.kind == "action" and (entry.pk, entry.day) in messages:
            entry = replace(entry, message=messages[entry.pk, entry.day])
        merged.append(entry)
    return merged


def customer_timeline(customer, limit: int = 100) -> list[TimelineEntry]:
    """Every action of `customer`, the messages that left with their content as sent, its
    disputes, promises to pay and payments (one UNION query), merged with what users and
    imports did to it (the audit trail, a second query), newest first, `limit` lines."""
    # delivery sits above agenda: imported on use, as the engine does.
    from relance.delivery.choices import OutboxStatus
    from relance.delivery.models import Outbox

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
    messages = _timeline_rows(
        Outbox.objects.filter(action__customer=customer, status=OutboxStatus.SENT),
        "message",
        pk=F("action_id"),
        day=F("day"),
        title=F("subject"),
        channel=F("channel"),
        note=F("body"),
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
    payments = _timeline_rows(
        items.filter(kind=ItemKind.PAYMENT),
        "payment",
        day=F("issue_date"),
        title=F("number"),
        currency=F("currency"),
        amount=F("amount"),
    )
    # The emails the customer sent back (a reply, an automatic reply), on the day they
    # came in the entity's time zone; their page is the response's.
    emails = _timeline_rows(
        CustomerResponse.objects.filter(customer=customer, channel=ResponseChannel.EMAIL),
        "email",
        day=TruncDate("received_at", tzinfo=zoneinfo.ZoneInfo(customer.entity.time_zone)),
        title=F("author"),
        reason=F("kind"),
        note=F("body"),
    )
    union = actions.union(messages, disputes, promises, payments, emails, all=True)
    union = union.order_by("-tl_day", "-tl_kind", "-tl_pk")
    entries = _with_messages([TimelineEntry(*row) for row in union[:limit]])
    events = [
        TimelineEntry(day=event.day, kind="event", pk=event.pk, title="", event=event)
        for event in customer_events(customer, limit)
    ]
    # A stable sort: on one day the events (which have a time) stay above the rest.
    return sorted([*events, *entries], key=attrgetter("day"), reverse=True)[:limit]


# The pause on a reply (docs/engine.md, "A reply pauses the automatic messages") ----------


def _local_midnight(entity, day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zoneinfo.ZoneInfo(entity.time_zone))


def reply_pause_until(entity, received_at: datetime) -> date:
    """The first day of the entity's calendar on which a reply received at `received_at`
    no longer holds the automatic messages, handled or not: the day it was received (in
    the entity's time zone) + `reply_pause_max_days`."""
    local = received_at.astimezone(zoneinfo.ZoneInfo(entity.time_zone)).date()
    return local + timedelta(entity.reply_pause_max_days)


def pausing_responses(entity, day: date) -> QuerySet:
    """The responses that hold a customer's automatic messages on run day `day`: human email
    replies nobody handled yet, received on `day` or within the `reply_pause_max_days - 1`
    days before it; none when the entity does not pause on a reply."""
    if not entity.pause_on_reply:
        return CustomerResponse.objects.none()
    first = day - timedelta(entity.reply_pause_max_days - 1)
    return CustomerResponse.objects.filter(
        entity=entity,
        handled_at__isnull=True,
        channel=ResponseChannel.EMAIL,
        kind=ResponseKind.REPLY,
        received_at__gte=_local_midnight(entity, first),
        received_at__lt=_local_midnight(entity, day + timedelta(1)),
    )


def customers_paused_by_reply(*, entity, day: date, ids: list[int]) -> set[int]:
    """Which customers of `ids` (sorted, as the engine loads them) a reply pauses on `day`:
    one query over the range of ids (the unhandled responses' index)."""
    if not ids or not entity.pause_on_reply:
        return set()
    rows = pausing_responses(entity, day).filter(customer_id__gte=ids[0], customer_id__lte=ids[-1])
    wanted = set(ids)
    return {pk for pk in rows.order_by().values_list("customer_id", flat=True) if pk in wanted}


def one_off_templates(user, customer) -> QuerySet:
    """The templates a one-off message to `customer` may start from: emails, SMS and
    letters shared or of its entity, with a text in the customer's or the entity's
    language."""
    from relance.templating.choices import Channel
    from relance.templating.models import MessageTemplate

    languages = {customer.language, customer.entity.language} - {""}
    return (
        MessageTemplate.objects.visible_to(user)
        .for_entity(customer.entity)
        .filter(
            channel__in=[Channel.EMAIL, Channel.SMS, Channel.LETTER],
            variants__language__in=languages,
        )
        .distinct()
        .order_by("channel", "name", "id")
    )


def item_for_user(user, pk: int):
    """One item the user may see (404 otherwise), with its customer and entity."""
    from relance.ledger.models import Item

    return Item.objects.select_related("customer__entity", "entity").get_for_user(user, pk=pk)


def item_history(item) -> list[Action]:
    """Every action whose reference was `item` (newest first), each with `messages`: the
    outbox rows of what left, or tried to, for it (oldest attempt first). Three queries."""
    from django.db.models import Prefetch

    from relance.delivery.models import Outbox

    messages = Prefetch(
        "outbox", queryset=Outbox.objects.order_by("attempt", "id"), to_attr="messages"
    )
    return list(
        Action.objects.filter(reference=item)
        .select_related("responsible")
        .prefetch_related(messages)
        .order_by("-created_on", "-id")
    )


def departure_label(action: Action, now: datetime | None = None, *, if_confirmed=False) -> str:
    """When an automatic action leaves, in words: "today around 10:15", "tomorrow at
    08:00", "Monday 08:00", or a date further on; "" for one that does not leave by itself.
    `if_confirmed`: for an action still to confirm, if it were confirmed now."""
    from django.utils import formats
    from django.utils.translation import get_language
    from django.utils.translation import gettext as _

    from relance.engine.sendtick import expected_departure

    departure = expected_departure(action, now, if_confirmed=if_confirmed)
    if departure is None:
        return ""
    local_now = action.entity.local_now(now)
    clock = formats.time_format(departure.time())
    days = (departure.date() - local_now.date()).days
    if days <= 0:
        if departure.time() == action.entity.sending_start:
            return _("today at %(time)s") % {"time": clock}
        return _("today around %(time)s") % {"time": clock}
    if days == 1:
        return _("tomorrow at %(time)s") % {"time": clock}
    if days < 7:
        weekday = formats.date_format(departure.date(), "l")
        if get_language().startswith("fr"):  # "lundi" within a sentence, not "Lundi"
            weekday = weekday.lower()
        return _("%(weekday)s %(time)s") % {"weekday": weekday, "time": clock}
    day = formats.date_format(departure.date())
    return _("on %(date)s at %(time)s") % {"date": day, "time": clock}


def first_departure_label(actions: list[Action], now: datetime | None = None) -> str:
    """`departure_label` of the first of `actions` to leave ("" if none leaves by itself);
    their entities are read once."""
    from relance.core.models import Entity
    from relance.engine.sendtick import expected_departure

    entities = Entity.objects.in_bulk({action.entity_id for action in actions})
    first = None
    for action in actions:
        action.entity = entities[action.entity_id]
        departure = expected_departure(action, now)
        if departure is not None and (first is None or departure < first[0]):
            first = (departure, action)
    return departure_label(first[1], now) if first else ""
