"""The audit trail's table: when, who, action, object, and the changed fields before → after."""

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from relance.audit import selectors
from relance.core.tables import PAGE_LINK, TABLE_ATTRS, DateTimeColumn, StreamingData
from relance.customers.filtersets import user_label

SHOWN_CHARS = 200  # a long value (a template's text) is cut on the page, whole in exports


def object_history_url(content_type, pk) -> str:
    return reverse("audit:object", args=[content_type.app_label, content_type.model, pk])


def history_url(record) -> str | None:
    """The entry's object history (django-tables2 passes arguments by name: `record`)."""
    if not record.object_pk.isdigit():
        return None
    return object_history_url(record.content_type, record.object_pk)


def actor_label(entry) -> str:
    if entry.actor is not None:
        return user_label(entry.actor)
    return entry.actor_email or str(_("System"))


class LogEntryTable(tables.Table):
    timestamp = DateTimeColumn(verbose_name=_("When"))
    actor = tables.Column(
        verbose_name=_("Who"), order_by=("actor__username", "-timestamp"), empty_values=()
    )
    action = tables.Column(verbose_name=_("Action"))
    content_type = tables.Column(verbose_name=_("Type"), orderable=False)
    object_repr = tables.Column(
        verbose_name=_("Object"),
        linkify=history_url,
        attrs={"td": {"class": "cell-ellipsis"}, "a": PAGE_LINK},
    )
    changes = tables.Column(
        verbose_name=_("Changes"),
        orderable=False,
        empty_values=(),
        attrs={"td": {"class": "cell-wrap"}},
    )
    additional_data = tables.Column(verbose_name=_("Details"), visible=False, orderable=False)
    remote_addr = tables.Column(verbose_name=_("Address"), visible=False)

    class Meta:
        attrs = TABLE_ATTRS
        row_attrs = {"data-href": history_url}
        order_by = ("-timestamp",)
        per_page = 50
        empty_text = _("No change matches these filters.")

    def render_actor(self, record):
        if record.actor is None:
            return actor_label(record)
        url = reverse("audit:user", args=[record.actor_id])
        return format_html('<a href="{}" hx-boost="false">{}</a>', url, actor_label(record))

    def value_actor(self, record):
        return actor_label(record)

    def render_action(self, record):
        return selectors.ACTION_LABELS.get(record.action, record.action)

    def value_action(self, record):
        return str(selectors.ACTION_LABELS.get(record.action, record.action))

    def render_content_type(self, record):
        return selectors.type_label(record.content_type)

    def value_content_type(self, record):
        return selectors.type_label(record.content_type)

    def render_changes(self, record):
        lines = format_html_join(
            "",
            '<li><span class="fw-semibold">{}</span>: <del class="text-body-secondary">{}</del>'
            " → <ins>{}</ins></li>",
            (
                (change.field, _cut(change.before), _cut(change.after))
                for change in selectors.entry_changes(record)
            ),
        )
        details = selectors.entry_details(record)
        if details:
            lines += format_html('<li class="text-body-secondary">{}</li>', _cut(details))
        return format_html('<ul class="list-unstyled small mb-0">{}</ul>', lines)

    def value_changes(self, record):
        return "\n".join(
            f"{change.field}: {change.before} → {change.after}"
            for change in selectors.entry_changes(record)
        )

    def value_additional_data(self, record):
        return selectors.entry_details(record)

    def value_timestamp(self, record):
        return timezone.localtime(record.timestamp)


def _cut(value: str) -> str:
    return Truncator(value).chars(SHOWN_CHARS) if value else "—"


def log_entry_table(queryset, *, export: bool = False) -> LogEntryTable:
    return LogEntryTable(StreamingData(queryset) if export else queryset)
