"""The agenda tables: one action table whose columns and row colours follow the tab, and the
responses table. Rows carry what they show through select_related (no query per row)."""

from datetime import date

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from relance.agenda.choices import ActionStatus, AgendaTab
from relance.agenda.models import Action, CustomerResponse
from relance.core.tables import PAGE_LINK, TABLE_ATTRS, DateColumn, DateTimeColumn
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
        "step_name",
        "channel",
        "reference",
        "entity",
        "responsible",
        "status",
    ),
    AgendaTab.AUTOMATIC: (
        "select",
        "due_date",
        "customer",
        "step_name",
        "channel",
        "mode",
        "reference",
        "entity",
        "responsible",
        "status",
        "error_message",
    ),
    AgendaTab.HISTORY: (
        "finished_on",
        "due_date",
        "customer",
        "step_name",
        "channel",
        "mode",
        "reference",
        "entity",
        "responsible",
        "status",
        "reason",
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
    """A choice field: its label on the page (django-tables2 reads get_FOO_display), its
    code in the exports, which are files for machines first."""

    def value(self, record, bound_column):
        return getattr(record, bound_column.accessor)


class ActionTable(tables.Table):
    select = tables.CheckBoxColumn(
        accessor="pk",
        attrs={
            "input": {"name": "actions", "class": "form-check-input"},
            "th__input": {"class": "form-check-input select-all", "aria-label": _("Select all")},
        },
    )
    due_date = DateColumn(verbose_name=_("Due date"), format="Y-m-d", order_by=("due_date", "pk"))
    finished_on = DateColumn(
        verbose_name=_("Finished on"),
        format="Y-m-d",
        order_by=("finished_on", "due_date", "pk"),
    )
    customer = tables.Column(
        accessor="customer__name",
        verbose_name=_("Customer"),
        order_by=("customer__name", "pk"),
        attrs={"td": {"class": "cell-ellipsis"}},
    )
    step_name = tables.Column(verbose_name=_("Step"), order_by=("step_name", "pk"), attrs=WRAP)
    channel = ChoiceColumn(verbose_name=_("Channel"), attrs=WRAP)
    mode = ChoiceColumn(verbose_name=_("Mode"), attrs=WRAP)
    reference = tables.Column(
        accessor="reference__number",
        verbose_name=_("Invoice"),
        order_by=("reference__number", "pk"),
    )
    entity = tables.Column(
        accessor="entity__name",
        verbose_name=_("Entity"),
        order_by=("entity__name", "due_date", "pk"),
        attrs=WRAP,
    )
    responsible = tables.Column(verbose_name=_("Responsible"), orderable=False, attrs=WRAP)
    status = ChoiceColumn(verbose_name=_("Status"))
    reason = ChoiceColumn(verbose_name=_("Reason"), attrs=WRAP)
    error_message = tables.Column(verbose_name=_("Error"), orderable=False, attrs=TEXT)
    note = tables.Column(verbose_name=_("Note"), orderable=False, attrs=TEXT)

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
        url = reverse("agenda:action-detail", args=[record.pk])
        return format_html('<a href="{}" hx-boost="false">{}</a>', url, value)

    def value_customer(self, value):
        return value

    def render_responsible(self, value):
        return user_name(value)

    def value_responsible(self, value):
        return value.username if value else ""

    def render_error_message(self, value):  # the export keeps the stored English
        return format_html(
            '<span class="text-danger-emphasis small">{}</span>', error_display(value)
        )


class ResponseTable(tables.Table):
    received_at = DateTimeColumn(verbose_name=_("Received"), format="Y-m-d H:i")
    customer = tables.Column(
        accessor="customer__name",
        verbose_name=_("Customer"),
        linkify=lambda record: record.customer.get_absolute_url(),
        attrs={"a": PAGE_LINK},
    )
    entity = tables.Column(accessor="entity__name", verbose_name=_("Entity"))
    kind = tables.Column(verbose_name=_("Kind"))
    channel = ChoiceColumn(verbose_name=_("Channel"))
    author = tables.Column(verbose_name=_("Author"))
    body = tables.Column(verbose_name=_("Message"), orderable=False)
    action = tables.Column(verbose_name=_("Action"), orderable=False)

    class Meta:
        model = CustomerResponse
        fields = ()
        sequence = (
            "received_at",
            "customer",
            "entity",
            "kind",
            "channel",
            "author",
            "body",
            "action",
        )
        attrs = TABLE_ATTRS
        order_by = ("-received_at",)
        per_page = 50
        empty_text = _("No response or comment yet.")

    def render_kind(self, record):
        return record.get_kind_display()

    def render_channel(self, record):
        return record.get_channel_display()

    def render_body(self, value):
        return format_html('<span class="text-pre-wrap">{}</span>', value)

    def render_action(self, value):
        url = reverse("agenda:action-detail", args=[value.pk])
        return format_html('<a href="{}" hx-boost="false">{}</a>', url, value.step_name)
