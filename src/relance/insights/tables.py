"""The drill-down table: the customers' snapshots behind a figure."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from relance.core.tables import NUMBER_ATTRS, PAGE_LINK, TABLE_ATTRS, DateColumn, MoneyColumn
from relance.insights.models import CustomerSnapshot


def items_url(snapshot, overdue: bool) -> str:
    """The customer's invoices open on the snapshot's day, with their open amounts of that
    day from the items' history (overdue ones only if asked)."""
    query = {"customer": snapshot.customer_id, "day": snapshot.day.isoformat()}
    query["currency"] = snapshot.currency
    if overdue:
        query["overdue"] = "true"
    return f"{reverse('insights:customer-items')}?{urlencode(query)}"


class SnapshotTable(tables.Table):
    customer = tables.Column(
        accessor="customer__name",
        verbose_name=_("Customer"),
        linkify=lambda record: reverse("customers:detail", args=[record.customer_id]),
        order_by=("customer__name", "customer_id"),
        attrs={"a": PAGE_LINK, "td": {"class": "cell-ellipsis"}},
    )
    number = tables.Column(accessor="customer__external_id", verbose_name=_("Number"))
    entity = tables.Column(accessor="entity__name", verbose_name=_("Entity"))
    day = DateColumn(verbose_name=_("Day"))
    currency = tables.Column(verbose_name=_("Currency"))
    open_amount = MoneyColumn(verbose_name=_("Open invoices"))
    overdue = MoneyColumn(verbose_name=_("Overdue"), highlight=True)
    not_due = MoneyColumn(verbose_name=_("Not due"))
    d1_30 = MoneyColumn(verbose_name=_("1–30 days"))
    d31_60 = MoneyColumn(verbose_name=_("31–60 days"))
    d61_90 = MoneyColumn(verbose_name=_("61–90 days"))
    d90_plus = MoneyColumn(verbose_name=_("Over 90 days"))
    credits = MoneyColumn(verbose_name=_("Credits"))
    items = tables.Column(
        empty_values=(), orderable=False, verbose_name=_("Items"), attrs=NUMBER_ATTRS
    )

    class Meta:
        model = CustomerSnapshot
        fields = ()
        attrs = TABLE_ATTRS
        per_page = 50
        order_by = ("-overdue",)
        sequence = (
            "customer",
            "number",
            "entity",
            "day",
            "currency",
            "open_amount",
            "overdue",
            "not_due",
            "d1_30",
            "d31_60",
            "d61_90",
            "d90_plus",
            "credits",
            "items",
        )

    def render_items(self, record):
        return format_html(
            '<a href="{}" hx-boost="false">{}</a>',
            items_url(record, overdue=record.overdue > 0),
            _("Open items"),
        )

    def value_items(self, record):
        return None
