"""The customer list table, and the table data classes that keep big lists fast.

`PageFiguresData` counts the plain filtered queryset and computes the derived figures (sums of
open items) for the rows of the shown page only, unless the user sorts by one of them; then
the whole filtered queryset is annotated, which the sort needs anyway.
"""

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import django_tables2 as tables
from django.db.models import F, QuerySet
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_tables2.data import TableQuerysetData
from django_tables2.utils import OrderBy

from relance.core.templatetags.money import money
from relance.customers.models import Customer

TABLE_ATTRS = {"class": "table table-sm table-hover align-middle mb-0 list-table"}
NUMBER_ATTRS = {"th": {"class": "text-end"}, "td": {"class": "text-end text-nowrap"}}
# Links to other pages inside a table whose sort and page links htmx boosts: not boosted.
PAGE_LINK = {"hx-boost": "false"}
EXPORT_CHUNK = 2000
CENTS = Decimal("0.01")
LATE_DAYS = 90  # days overdue shown in red from here on: the last aging bucket


class PageFiguresData(TableQuerysetData):
    """Queryset data whose costly annotations (`annotate`) run only where they are needed."""

    def __init__(self, data: QuerySet, *, annotate: Callable[[QuerySet], QuerySet], derived):
        super().__init__(data)
        self.plain = data
        self.annotate = annotate
        self.derived = frozenset(derived)
        self.annotated = False

    def order_by(self, aliases):
        if not self.annotated and any(OrderBy(alias).bare in self.derived for alias in aliases):
            self.data = self.annotate(self.data)
            self.annotated = True
        super().order_by(aliases)

    def __len__(self):
        if getattr(self, "_length", None) is None:
            # The count never needs the figures: count the plain filtered queryset.
            self._length = self.plain.count()
        return self._length

    def __getitem__(self, key):
        if not isinstance(key, slice) or self.annotated:
            return self.data[key]
        # The page's primary keys in the list order, then the figures for those rows only,
        # in one query whose ORDER BY repeats the page's.
        page = self.data[key].values("pk")
        return self.annotate(self.data.filter(pk__in=page))

    def __iter__(self):
        if not self.annotated:
            self.data = self.annotate(self.data)
            self.annotated = True
        return iter(self.data)


class StreamingData(TableQuerysetData):
    """Queryset data read in chunks, for exports of every filtered row."""

    def __iter__(self):
        return self.data.iterator(chunk_size=EXPORT_CHUNK)


class MoneyColumn(tables.Column):
    """An amount formatted in the row's currency (attribute `currency_accessor` of the record)."""

    def __init__(self, *args, currency_accessor="currency", highlight=False, **kwargs):
        kwargs.setdefault("attrs", NUMBER_ATTRS)
        super().__init__(*args, **kwargs)
        self.currency_accessor = currency_accessor
        self.highlight = highlight

    def render(self, value, record):
        text = money(value, getattr(record, self.currency_accessor))
        if self.highlight and value and value > 0:
            return format_html('<span class="text-danger">{}</span>', text)
        return text

    def value(self, value, record):
        # Two decimals whatever the database returns (SQLite's sums drop trailing zeros).
        return None if value is None else Decimal(value).quantize(CENTS)


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
        title = record.hold_until.isoformat() if record.hold_until else ""
        return format_html(
            '<span class="badge text-bg-warning" title="{}">{}</span>', title, _("On hold")
        )

    def value_on_hold(self, value):
        return bool(value)


def customer_table(queryset: QuerySet, *, todays, annotate, export=False) -> CustomerTable:
    """The customer table over `queryset`: paged figures on screen, streamed for exports."""
    if export:
        return CustomerTable(StreamingData(annotate(queryset)), todays=todays)
    data = PageFiguresData(queryset, annotate=annotate, derived=CustomerTable.DERIVED)
    return CustomerTable(data, todays=todays)
