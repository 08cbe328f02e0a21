"""Table pieces shared by every list page: the data classes that keep big lists fast.

`PageFiguresData` counts the plain filtered queryset and computes the derived figures (sums of
open items) for the rows of the shown page only, unless the user sorts by one of them; then
the whole filtered queryset is annotated, which the sort needs anyway.
"""

from collections.abc import Callable
from decimal import Decimal

import django_tables2 as tables
from django.db.models import QuerySet
from django.utils.html import format_html
from django_tables2.data import TableQuerysetData
from django_tables2.utils import OrderBy

from relance.core.templatetags.money import money

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
