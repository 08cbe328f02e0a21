"""The Unassigned list's table: one row per received email that matched no customer, with
its "Attach to a customer" form (for users who may edit). Rows carry their entity through
select_related; the forms cost no query (the chooser searches by htmx)."""

import django_tables2 as tables
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from relance.agenda.tables import TEXT, WRAP, ChoiceColumn
from relance.core.tables import TABLE_ATTRS
from relance.inbound.models import InboundEmail

FIRST_LINE_CHARS = 140


def first_line(text: str) -> str:
    """The first line that says something, cut to FIRST_LINE_CHARS characters."""
    for line in (text or "").splitlines():
        line = line.strip()
        if line:
            return Truncator(line).chars(FIRST_LINE_CHARS)
    return ""


class UnassignedEmailTable(tables.Table):
    received_at = tables.Column(verbose_name=_("Received"))
    entity = tables.Column(accessor="entity__name", verbose_name=_("Entity"))
    kind = ChoiceColumn(verbose_name=_("Kind"))
    sender = tables.Column(verbose_name=_("From"), attrs=WRAP)
    subject = tables.Column(verbose_name=_("Subject"), attrs=TEXT)
    first_line = tables.Column(
        accessor="text", verbose_name=_("Reply"), orderable=False, attrs=TEXT
    )
    attach = tables.Column(
        accessor="pk", verbose_name=_("Attach"), orderable=False, empty_values=()
    )

    class Meta:
        model = InboundEmail
        fields = ()
        sequence = (
            "received_at",
            "entity",
            "kind",
            "sender",
            "subject",
            "first_line",
            "attach",
        )
        attrs = TABLE_ATTRS
        per_page = 50
        empty_text = _("No unassigned email: every received email found its customer.")

    def __init__(self, *args, can_edit: bool = False, **kwargs):
        if not can_edit:
            kwargs["exclude"] = ("attach",)
        super().__init__(*args, **kwargs)
        self.row_attrs = {
            "data-href": lambda record: reverse("inbound:email-detail", args=[record.pk]),
            "class": "inbound-row",
        }

    def render_received_at(self, value, record):
        url = reverse("inbound:email-detail", args=[record.pk])
        return format_html(
            '<a href="{}" hx-boost="false">{}</a>',
            url,
            date_format(localtime(value), "SHORT_DATETIME_FORMAT"),
        )

    def value_received_at(self, value):
        return localtime(value)

    def render_kind(self, record):
        return record.get_kind_display()

    def render_sender(self, value, record):
        if record.sender_name:
            return format_html(
                '{}<br><span class="small text-body-secondary">{}</span>',
                record.sender_name,
                value,
            )
        return value

    def value_sender(self, value):
        return value

    def render_first_line(self, value):
        return first_line(value) or "—"

    def value_first_line(self, value):
        return first_line(value)

    def render_attach(self, record):
        request = getattr(self, "request", None)
        context = {"email": record, "compact": True, "next": request.get_full_path()}
        return render_to_string("inbound/_assign_form.html", context, request=request)
