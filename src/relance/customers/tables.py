"""The customer list table."""

from datetime import date

import django_tables2 as tables
from django.db.models import F, QuerySet
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from relance.core.tables import (
    LATE_DAYS,
    NUMBER_ATTRS,
    PAGE_LINK,
    TABLE_ATTRS,
    MoneyColumn,
    PageFiguresData,
    StreamingData,
    yes_no,
)
from relance.customers.models import Customer


def user_name(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


class CustomerTable(tables.Table):
    name = tables.Column(
        linkify=True,
        verbose_name=_("Name"),
        order_by=("name", "pk"),
        attrs={"td": {"class": "cell-ellipsis"}, "a": PAGE_LINK},
    )
    external_id = tables.Column(verbose_name=_("Number"), order_by=("external_id", "pk"))
    entity = tables.Column(
        accessor="entity__name", verbose_name=_("Entity"), order_by=("entity__name", "name", "pk")
    )
    collector = tables.Column(verbose_name=_("Collector"), orderable=False)
    outstanding = MoneyColumn(verbose_name=_("Outstanding"))
    credits = MoneyColumn(verbose_name=_("Credits"), orderable=False)
    overdue = MoneyColumn(verbose_name=_("Overdue"), highlight=True)
    days_overdue = tables.Column(
        accessor="oldest_overdue", verbose_name=_("Days overdue"), attrs=NUMBER_ATTRS
    )
    on_hold = tables.Column(verbose_name=_("On hold"), attrs={"td": {"class": "text-center"}})
    currency = tables.Column(verbose_name=_("Currency"), visible=False)
    # In the exports only: the credit limit and what secures the debt.
    credit_limit = MoneyColumn(verbose_name=_("Credit limit"), visible=False)
    insurer = tables.Column(verbose_name=_("Credit insurer"), visible=False)
    insured_amount = MoneyColumn(verbose_name=_("Insured amount"), visible=False)
    insurance_expires_on = tables.Column(verbose_name=_("Insurance expiry"), visible=False)
    guarantee_kind = tables.Column(verbose_name=_("Guarantee"), visible=False)
    guarantee_amount = MoneyColumn(verbose_name=_("Guarantee amount"), visible=False)

    DERIVED = ("outstanding", "overdue", "days_overdue")

    class Meta:
        model = Customer
        fields = ()
        sequence = (
            "name",
            "external_id",
            "entity",
            "collector",
            "outstanding",
            "credits",
            "overdue",
            "days_overdue",
            "on_hold",
            "currency",
            "credit_limit",
            "insurer",
            "insured_amount",
            "insurance_expires_on",
            "guarantee_kind",
            "guarantee_amount",
        )
        attrs = TABLE_ATTRS
        row_attrs = {"data-href": lambda record: record.get_absolute_url()}
        order_by = ("name",)
        per_page = 50
        empty_text = _("No customer matches these filters.")

    def __init__(self, data, *, todays: dict[int, date], **kwargs):
        self.todays = todays
        super().__init__(data, **kwargs)

    def _today(self, record) -> date | None:
        return self.todays.get(record.entity_id)

    # Sorting by a figure: nulls (no overdue invoice) go after the real values, then by pk so
    # pages never overlap.
    def order_outstanding(self, queryset, is_descending):
        expression = F("outstanding").desc() if is_descending else F("outstanding").asc()
        return queryset.order_by(expression, "pk"), True

    def order_overdue(self, queryset, is_descending):
        expression = F("overdue").desc() if is_descending else F("overdue").asc()
        return queryset.order_by(expression, "pk"), True

    def order_days_overdue(self, queryset, is_descending):
        # More days overdue is an older due date.
        oldest = F("oldest_overdue")
        expression = oldest.asc(nulls_last=True) if is_descending else oldest.desc(nulls_first=True)
        return queryset.order_by(expression, "pk"), True

    def render_collector(self, value):
        return user_name(value)

    def value_collector(self, value):
        return user_name(value)

    def _days(self, value, record):
        today = self._today(record)
        if value is None or today is None:
            return None
        return max((today - value).days, 0)

    def render_days_overdue(self, value, record):
        days = self._days(value, record)
        if days is None:
            return "—"
        css = "text-danger fw-semibold" if days > LATE_DAYS else ""
        return format_html('<span class="{}">{}</span>', css, days)

    def value_days_overdue(self, value, record):
        return self._days(value, record)

    def render_on_hold(self, value, record):
        if not value:
            return ""
        title = date_format(record.hold_until) if record.hold_until else ""
        return format_html(
            '<span class="badge text-bg-warning" title="{}">{}</span>', title, _("On hold")
        )

    def value_on_hold(self, value):
        return yes_no(value)

    def value_guarantee_kind(self, value, record):
        return record.get_guarantee_kind_display() if value else ""


def customer_table(queryset: QuerySet, *, todays, annotate, export=False) -> CustomerTable:
    """The customer table over `queryset`: paged figures on screen, streamed for exports."""
    if export:
        return CustomerTable(StreamingData(annotate(queryset)), todays=todays)
    data = PageFiguresData(queryset, annotate=annotate, derived=CustomerTable.DERIVED)
    return CustomerTable(data, todays=todays)
