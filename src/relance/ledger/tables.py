"""The item list table."""

from datetime import date

import django_tables2 as tables
from django.db.models import Case, DateField, F, When
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from relance.core.tables import (
    LATE_DAYS,
    NUMBER_ATTRS,
    PAGE_LINK,
    TABLE_ATTRS,
    BooleanColumn,
    DateColumn,
    MoneyColumn,
    PageFiguresData,
    StreamingData,
)
from relance.ledger.choices import ItemKind
from relance.ledger.models import Item
from relance.ledger.selectors import item_days_overdue


class ItemTable(tables.Table):
    # The item's page (its history) lives with the actions that carried it (agenda).
    number = tables.Column(
        verbose_name=_("Number"),
        order_by=("number", "pk"),
        attrs={"a": PAGE_LINK},
        linkify=("agenda:item-detail", {"pk": tables.A("pk")}),
    )
    kind = tables.Column(verbose_name=_("Kind"), order_by=("kind", "pk"))
    customer = tables.Column(
        verbose_name=_("Customer"),
        attrs={"td": {"class": "cell-ellipsis"}, "a": PAGE_LINK},
        linkify=lambda record: record.customer.get_absolute_url(),
        order_by=("customer__name", "pk"),
    )
    customer_number = tables.Column(
        accessor="customer__external_id", verbose_name=_("Customer number"), visible=False
    )
    entity = tables.Column(
        accessor="entity__name", verbose_name=_("Entity"), order_by=("entity__name", "pk")
    )
    issue_date = DateColumn(verbose_name=_("Issue date"), order_by=("issue_date", "pk"))
    due_date = DateColumn(verbose_name=_("Due date"))
    days_overdue = tables.Column(
        accessor="due_date", verbose_name=_("Days overdue"), attrs=NUMBER_ATTRS
    )
    amount = MoneyColumn(verbose_name=_("Amount"))
    open_amount = MoneyColumn(verbose_name=_("Open amount"))
    currency = tables.Column(verbose_name=_("Currency"), visible=False)
    flags = tables.Column(
        accessor="pk",
        verbose_name=_("Status"),
        orderable=False,
        exclude_from_export=True,
        attrs={"td": {"class": "cell-wrap"}},
    )
    disputed = BooleanColumn(verbose_name=_("Disputed"), visible=False)
    promise_date = DateColumn(verbose_name=_("Promised payment date"), visible=False)
    blocked = BooleanColumn(verbose_name=_("Blocked"), visible=False)

    class Meta:
        model = Item
        fields = ()
        sequence = (
            "number",
            "kind",
            "customer",
            "customer_number",
            "entity",
            "issue_date",
            "due_date",
            "days_overdue",
            "amount",
            "open_amount",
            "currency",
            "flags",
            "disputed",
            "promise_date",
            "blocked",
        )
        attrs = TABLE_ATTRS
        row_attrs = {"data-href": lambda record: record.customer.get_absolute_url()}
        order_by = ("due_date",)
        per_page = 50
        empty_text = _("No item matches these filters.")

    def __init__(self, data, *, todays: dict[int, date], **kwargs):
        self.todays = todays
        super().__init__(data, **kwargs)

    def order_due_date(self, queryset, is_descending):
        due = F("due_date")
        expression = due.desc(nulls_last=True) if is_descending else due.asc(nulls_last=True)
        return queryset.order_by(expression, "pk"), True

    def order_days_overdue(self, queryset, is_descending):
        # More days overdue is an earlier due date; only open invoices age, the rest come last.
        due = Case(
            When(kind=ItemKind.INVOICE, open_amount__gt=0, then=F("due_date")),
            output_field=DateField(),
        )
        expression = due.asc(nulls_last=True) if is_descending else due.desc(nulls_last=True)
        return queryset.order_by(expression, "pk"), True

    def _days(self, record):
        today = self.todays.get(record.entity_id)
        return item_days_overdue(record, today) if today else None

    def render_kind(self, record):
        return record.get_kind_display()

    def value_kind(self, record):
        return record.get_kind_display()

    def render_customer(self, record):
        return record.customer.name

    def value_customer(self, record):
        return record.customer.name

    def render_days_overdue(self, record):
        days = self._days(record)
        if days is None:
            return "—"
        css = "text-danger fw-semibold" if days > LATE_DAYS else ""
        return format_html('<span class="{}">{}</span>', css, days)

    def value_days_overdue(self, record):
        return self._days(record)

    def render_flags(self, record):
        return item_badges(record, self.todays.get(record.entity_id))


def item_badges(item: Item, today: date | None) -> str:
    """Disputed / promise / blocked badges of an item (also on the customer page, through
    `{% item_badges %}`). A promise whose date has passed on an item still open is broken."""
    badges = []
    if item.disputed:
        badges.append(("text-bg-danger", _("Disputed"), item.dispute_reason))
    if item.promise_date:
        day = date_format(item.promise_date)
        if item.promise_broken(today):
            badges.append(("text-bg-danger", _("Broken promise %(day)s") % {"day": day}, ""))
        else:
            badges.append(("text-bg-info", _("Promise %(day)s") % {"day": day}, ""))
    if item.blocked:
        badges.append(("text-bg-secondary", _("Blocked"), ""))
    if not badges:
        return ""
    return format_html_join(
        " ", '<span class="badge {}" title="{}">{}</span>', ((c, t, lbl) for c, lbl, t in badges)
    )


def with_relations(items):
    return items.select_related("customer", "entity")


def item_table(queryset, *, todays, export=False) -> ItemTable:
    """The item table over `queryset` (without joins): the page is chosen on the items alone,
    then its rows are read with their customer and entity, so that a million open items sort
    without joining them all first."""
    if export:
        return ItemTable(StreamingData(with_relations(queryset)), todays=todays)
    return ItemTable(PageFiguresData(queryset, annotate=with_relations, derived=()), todays=todays)
