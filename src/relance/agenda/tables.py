"""The agenda tables: one action table whose columns and row colours follow the tab, and the
responses table. Rows carry what they show through select_related (no query per row)."""

import os
from datetime import date
from decimal import Decimal, InvalidOperation

import django_tables2 as tables
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from relance.agenda.choices import (
    OUTCOME_ACCEPTED,
    OUTCOME_ANSWERED,
    OUTCOME_KEY,
    OUTCOME_REJECTED,
    OUTCOME_UNDONE,
    ActionStatus,
    AgendaTab,
    ResponseKind,
)
from relance.agenda.models import Action, CustomerResponse
from relance.core.tables import PAGE_LINK, TABLE_ATTRS, DateColumn, DateTimeColumn, MoneyColumn
from relance.core.templatetags.money import money
from relance.customers.tables import user_name
from relance.delivery.errors import error_display

# Columns of words, which may wrap so that the table fits the window; free text (errors,
# notes) wraps within a readable width (relance.css).
WRAP = {"td": {"class": "cell-wrap"}}
TEXT = {"td": {"class": "cell-text"}}

# Row colours (Bootstrap's contextual table classes) and the state they stand for.
LATE, UPCOMING, CONFIRMED, ERROR, FUTURE = (
    "table-danger",
    "table-primary",
    "table-success",
    "table-warning",
    "",
)

TAB_COLUMNS = {
    AgendaTab.MANUAL: (
        "due_date",
        "customer",
        "customer_number",
        "step_name",
        "channel",
        "reference",
        "at_stake",
        "overdue",
        "entity",
        "responsible",
        "status",
    ),
    AgendaTab.AUTOMATIC: (
        "select",
        "due_date",
        "customer",
        "customer_number",
        "step_name",
        "channel",
        "mode",
        "reference",
        "at_stake",
        "overdue",
        "entity",
        "responsible",
        "status",
        "error_message",
    ),
    AgendaTab.HISTORY: (
        "finished_on",
        "due_date",
        "customer",
        "customer_number",
        "step_name",
        "channel",
        "mode",
        "reference",
        "entity",
        "responsible",
        "status",
        "reason",
        "tracking_number",
        "proofs",
        "note",
    ),
}


def row_state(action: Action, today: date | None, tab: str) -> str:
    """The colour class of an action's row in `tab` on the entity's `today`."""
    if tab == AgendaTab.HISTORY or today is None:
        return ""
    now = action.due_date <= today
    if tab == AgendaTab.MANUAL:
        return LATE if now else UPCOMING
    if action.status == ActionStatus.ERROR:
        return ERROR
    if action.status == ActionStatus.CONFIRMED:
        return CONFIRMED
    return LATE if now else FUTURE


class ChoiceColumn(tables.Column):
    """A choice field: its label in the reader's language, on the page and in the exports
    (django-tables2 reads get_FOO_display for both)."""


class ActionTable(tables.Table):
    select = tables.CheckBoxColumn(
        accessor="pk",
        attrs={
            "input": {"name": "actions", "class": "form-check-input"},
            "th__input": {"class": "form-check-input select-all", "aria-label": _("Select all")},
        },
    )
    due_date = DateColumn(verbose_name=_("Due date"), order_by=("due_date", "pk"))
    finished_on = DateColumn(
        verbose_name=_("Finished on"),
        order_by=("finished_on", "due_date", "pk"),
    )
    customer = tables.Column(
        accessor="customer__name",
        verbose_name=_("Customer"),
        order_by=("customer__name", "pk"),
        attrs={"td": {"class": "cell-ellipsis"}},
    )
    # In the exports only: the customer's number in the ledger, beside the name.
    customer_number = tables.Column(
        accessor="customer__external_id",
        verbose_name=_("Customer number"),
        orderable=False,
        visible=False,
    )
    step_name = tables.Column(verbose_name=_("Step"), order_by=("step_name", "pk"), attrs=WRAP)
    channel = ChoiceColumn(verbose_name=_("Channel"), attrs=WRAP)
    mode = ChoiceColumn(verbose_name=_("Mode"), attrs=WRAP)
    reference = tables.Column(
        accessor="reference__number",
        verbose_name=_("Invoice"),
        order_by=("reference__number", "pk"),
    )
    at_stake = MoneyColumn(
        verbose_name=_("At stake"),
        order_by=("at_stake", "pk"),
    )
    overdue = MoneyColumn(
        verbose_name=_("Overdue"),
        order_by=("overdue", "pk"),
        highlight=True,
    )
    entity = tables.Column(
        accessor="entity__name",
        verbose_name=_("Entity"),
        order_by=("entity__name", "due_date", "pk"),
        attrs=WRAP,
    )
    responsible = tables.Column(
        verbose_name=_("Responsible"), orderable=False, attrs=WRAP, default=_("Unassigned")
    )
    status = ChoiceColumn(verbose_name=_("Status"))
    reason = ChoiceColumn(verbose_name=_("Reason"), attrs=WRAP)
    error_message = tables.Column(verbose_name=_("Error"), orderable=False, attrs=TEXT)
    note = tables.Column(verbose_name=_("Note"), orderable=False, attrs=TEXT)
    tracking_number = tables.Column(verbose_name=_("Tracking number"), orderable=False)
    proofs = tables.Column(
        accessor="pk",
        verbose_name=_("Proofs"),
        orderable=False,
        empty_values=(),
        exclude_from_export=True,
    )

    class Meta:
        model = Action
        fields = ()
        attrs = TABLE_ATTRS
        order_by = ("due_date",)
        per_page = 50
        empty_text = _("No action matches these filters.")

    def __init__(self, data, *, tab: str, todays: dict[int, date], **kwargs):
        self.tab = tab
        self.todays = todays
        columns = TAB_COLUMNS[tab]
        exclude = [name for name in self.base_columns if name not in columns]
        kwargs.setdefault("sequence", columns)
        if tab == AgendaTab.HISTORY:
            kwargs.setdefault("order_by", ("-finished_on",))
        super().__init__(data, exclude=exclude, **kwargs)
        self.row_attrs = {
            "class": lambda record: " ".join(
                filter(
                    None,
                    ["agenda-row", row_state(record, self.todays.get(record.entity_id), self.tab)],
                )
            ),
            "data-href": lambda record: reverse("agenda:action-detail", args=[record.pk]),
            "data-status": lambda record: record.status,
        }

    def render_customer(self, value, record):
        url = reverse("customers:detail", args=[record.customer_id])
        return format_html('<a href="{}" hx-boost="false">{}</a>', url, value)

    def value_customer(self, value):
        return value

    def render_step_name(self, value, record):
        url = reverse("agenda:action-detail", args=[record.pk])
        return format_html('<a href="{}" hx-boost="false">{}</a>', url, value)

    def value_step_name(self, value):
        return value

    def render_responsible(self, value):
        return user_name(value)

    def value_responsible(self, value):
        return user_name(value)

    def render_tracking_number(self, value, record):
        """The number, a link to the carrier's tracking page (the export keeps the number)."""
        url = record.tracking_url
        if not url:
            return value
        return format_html(
            '<a class="tracking-link" href="{}" target="_blank" rel="noopener noreferrer" '
            'hx-boost="false" title="{}">{}</a>',
            url,
            _("Track it at %(carrier)s") % {"carrier": record.carrier_name},
            value,
        )

    def _page_proofs(self) -> dict[int, list[tuple[int, str]]]:
        """The providers' proofs of the page's actions, read once for the page."""
        if getattr(self, "_proofs", None) is None:
            # delivery sits above agenda: imported on use.
            from relance.delivery.models import Proof

            page = getattr(self, "page", None)
            ids = [row.record.pk for row in page.object_list] if page else []
            rows = Proof.objects.filter(outbox__action_id__in=ids).order_by("received_at", "pk")
            self._proofs = {}
            for pk, kind, action_id in rows.values_list("pk", "kind", "outbox__action_id"):
                self._proofs.setdefault(action_id, []).append((pk, kind))
        return self._proofs

    def render_proofs(self, record):
        from relance.delivery.choices import ProofKind

        proofs = self._page_proofs().get(record.pk)
        if not proofs:
            return "—"
        return format_html_join(
            " · ",
            '<a class="proof-link" href="{}" download hx-boost="false">{}</a>',
            (
                (reverse("delivery:proof-download", args=[pk]), ProofKind(kind).label)
                for pk, kind in proofs
            ),
        )

    def render_error_message(self, value):
        return format_html(
            '<span class="text-danger-emphasis small">{}</span>', error_display(value)
        )

    def value_error_message(self, value):
        return error_display(value)


# Customers' responses ---------------------------------------------------------------------

DATE_LABELS = {
    ResponseKind.PROMISE: _("Promised for"),
    ResponseKind.PAYMENT_ANNOUNCED: _("Paid on"),
    ResponseKind.PAYMENT: _("Paid on"),
    ResponseKind.CALLBACK: _("Call back on"),
    ResponseKind.DISPUTE: _("Disputed on"),
}
OUTCOME_LABELS = {
    OUTCOME_ACCEPTED: _("contact details accepted"),
    OUTCOME_REJECTED: _("contact details rejected"),
    OUTCOME_UNDONE: _("undone"),
    OUTCOME_ANSWERED: _("answered by email"),
}


def _day(value) -> str:
    try:
        return date_format(date.fromisoformat(str(value)), "DATE_FORMAT")
    except ValueError:
        return str(value)


def _amount(value, currency: str) -> str:
    try:
        return money(Decimal(str(value)), currency)
    except (InvalidOperation, ValueError):
        return str(value)


CONTACT_LABELS = (
    ("name", _("Name")),
    ("email", _("Email")),
    ("phone", _("Phone")),
    ("address", _("Postal address")),
)
DATE_KEYS = ("date", "paid_on", "promise_date", "day")  # by kind, as the customer's page writes


def _choice_labels() -> dict[str, dict[str, str]]:
    """The labels of the codes the customer's page stores (dispute reason, call-back slot)."""
    # portal sits above agenda: imported on use, as the engine does with delivery.
    try:
        from relance.portal.choices import CallbackSlot, DisputeReason
    except ImportError:
        return {}
    return {"reason": dict(DisputeReason.choices), "slot": dict(CallbackSlot.choices)}


def response_details(response: CustomerResponse) -> list[tuple[str, str]]:
    """The structured answer in words, as (label, value) pairs of plain text (escaped where
    shown): dates in the active language, amounts with their currency, codes by their
    label, the proposed contact, what a user decided."""
    details = response.details if isinstance(response.details, dict) else {}
    labels = _choice_labels()
    lines = []
    day = next((details[key] for key in DATE_KEYS if details.get(key)), None)
    if day:
        lines.append((DATE_LABELS.get(response.kind, _("Date")), _day(day)))
    if details.get("amount") not in (None, ""):
        currency = str(details.get("currency") or response.customer.currency)
        lines.append((_("Amount"), _amount(details["amount"], currency)))
    for key, label in (
        ("reference", _("Reference")),
        ("reason", _("Reason")),
        ("slot", _("Time slot")),
        ("phone", _("Phone")),
    ):
        if details.get(key):
            value = str(details[key])
            lines.append((label, str(labels.get(key, {}).get(value, value))))
    contact = details.get("contact")
    if isinstance(contact, dict):
        for key, label in CONTACT_LABELS:
            if contact.get(key):
                lines.append((label, str(contact[key])))
    if details.get(OUTCOME_KEY) in OUTCOME_LABELS:
        lines.append((_("Decision"), str(OUTCOME_LABELS[details[OUTCOME_KEY]])))
    return [(str(label), value) for label, value in lines]


def details_html(response: CustomerResponse) -> str:
    lines = response_details(response)
    if not lines:
        return ""
    rows = format_html_join("", "<dt>{}</dt><dd>{}</dd>", lines)
    return format_html('<dl class="response-details small mb-0">{}</dl>', rows)


class ResponseTable(tables.Table):
    received_at = DateTimeColumn(verbose_name=_("Received"))
    customer = tables.Column(
        accessor="customer__name",
        verbose_name=_("Customer"),
        linkify=lambda record: record.customer.get_absolute_url(),
        attrs={"a": PAGE_LINK},
    )
    customer_number = tables.Column(
        accessor="customer__external_id",
        verbose_name=_("Customer number"),
        orderable=False,
        visible=False,
    )
    entity = tables.Column(accessor="entity__name", verbose_name=_("Entity"))
    kind = ChoiceColumn(verbose_name=_("Kind"))
    channel = ChoiceColumn(verbose_name=_("Channel"))
    author = tables.Column(verbose_name=_("Author"))
    items = tables.Column(accessor="pk", verbose_name=_("Items"), orderable=False, empty_values=())
    details = tables.Column(
        accessor="pk", verbose_name=_("Details"), orderable=False, empty_values=(), attrs=WRAP
    )
    body = tables.Column(verbose_name=_("Message"), orderable=False, attrs=TEXT)
    attachment = tables.Column(verbose_name=_("File"), orderable=False)
    handled = tables.Column(
        accessor="handled_at", verbose_name=_("Handled"), empty_values=(), attrs=WRAP
    )
    action = tables.Column(verbose_name=_("Action"), orderable=False)

    class Meta:
        model = CustomerResponse
        fields = ()
        sequence = (
            "received_at",
            "customer",
            "customer_number",
            "entity",
            "kind",
            "items",
            "details",
            "body",
            "attachment",
            "channel",
            "author",
            "handled",
            "action",
        )
        attrs = TABLE_ATTRS
        per_page = 50
        empty_text = _("No response or comment yet.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.row_attrs = {
            "class": lambda record: "" if record.handled_at else "fw-semibold response-unhandled",
            "data-href": lambda record: reverse("agenda:response-detail", args=[record.pk]),
        }

    def render_received_at(self, value, record):
        url = reverse("agenda:response-detail", args=[record.pk])
        return format_html(
            '<a href="{}" hx-boost="false">{}</a>',
            url,
            date_format(localtime(value), "SHORT_DATETIME_FORMAT"),
        )

    def value_received_at(self, value):
        return localtime(value)

    def render_kind(self, record):
        return record.get_kind_display()

    def render_channel(self, record):
        return record.get_channel_display()

    def render_items(self, record):
        return ", ".join(item.number for item in record.items.all()) or "—"

    def value_items(self, record):
        return " ".join(item.number for item in record.items.all())

    def render_details(self, record):
        return details_html(record) or "—"

    def value_details(self, record):
        return "; ".join(f"{label}: {value}" for label, value in response_details(record))

    def render_body(self, value):
        return format_html('<span class="text-pre-wrap">{}</span>', value)

    def value_body(self, value):
        return value

    def render_attachment(self, value, record):
        url = reverse("agenda:response-attachment", args=[record.pk])
        return format_html(
            '<a href="{}" hx-boost="false" download>{}</a>', url, attachment_name(record)
        )

    def value_attachment(self, value, record):
        return attachment_name(record)

    def render_handled(self, value, record):
        if value is None:
            return format_html('<span class="badge text-bg-warning">{}</span>', _("To handle"))
        return format_html(
            '<span class="text-body-secondary">{}</span>',
            _("by %(name)s") % {"name": user_name(record.handled_by) or "—"},
        )

    def value_handled(self, value, record):
        return localtime(value) if value else None

    def render_action(self, value):
        url = reverse("agenda:action-detail", args=[value.pk])
        return format_html('<a href="{}" hx-boost="false">{}</a>', url, value.step_name)


def attachment_name(response: CustomerResponse) -> str:
    return os.path.basename(response.attachment.name) if response.attachment else ""
