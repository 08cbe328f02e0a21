"""Table pieces shared by every list page: the data classes that keep big lists fast.

`PageFiguresData` counts the plain filtered queryset and computes the derived figures (sums of
open items) for the rows of the shown page only, unless the user sorts by one of them; then
the whole filtered queryset is annotated, which the sort needs anyway.
"""

from collections.abc import Callable
from decimal import Decimal

import django_tables2 as tables
from django.db.models import QuerySet
from django.template.defaultfilters import date as date_filter
from django.utils.html import format_html
from django.utils.timezone import template_localtime
from django.utils.translation import gettext
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


class _FormattedInPython:
    """django-tables2's date columns compile a template for every cell: these format in
    Python instead, with the same output (the `date` filter in the current time zone).
    Pages show the language's short form; exports get the date itself (a date cell in
    XLSX, ISO 8601 in CSV: core.exports)."""

    formats = ("SHORT_DATE_FORMAT", "DATE_FORMAT")  # short, long

    def __init__(self, format=None, short=True, *args, **kwargs):
        super().__init__(format, short, *args, **kwargs)
        self.date_format = format or self.formats[0 if short else 1]

    def render(self, value, bound_column):  # called for empty values too (TemplateColumn)
        return date_filter(template_localtime(value), self.date_format) or bound_column.default

    def value(self, value, **kwargs):
        return template_localtime(value) if value else None


class DateColumn(_FormattedInPython, tables.DateColumn):
    pass


class DateTimeColumn(_FormattedInPython, tables.DateTimeColumn):
    formats = ("SHORT_DATETIME_FORMAT", "DATETIME_FORMAT")


def yes_no(value) -> str:
    """A yes/no figure in the reader's language, as exports write it (not "True")."""
    return gettext("Yes") if value else gettext("No")


class BooleanColumn(tables.BooleanColumn):
    """A tick or a cross on the page; "Yes" or "No" in the reader's language in exports."""

    def value(self, record, value, bound_column):
        return yes_no(self._get_bool_value(record, value, bound_column))


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


# --- rendering speed ---------------------------------------------------------------------
#
# django-tables2 renders each cell through generic steps (accessor resolution, a look at the
# render method's signature, attributes merged again, then the template engine): about
# 60 µs a cell, most of an agenda page's time at 50 rows × 11 columns. Two shortcuts keep
# its semantics: signatures are read once per function, and the body rows are written in
# Python (`{% table_body table %}`, relance/table.html) instead of by template loops.


def _signature_once(read):
    """django_tables2.utils.signature, read once per code object: the names and kinds of a
    function's parameters are its code's, whatever closure or instance it is bound to (keying
    on the code, never on the function, keeps no table or record alive)."""
    found = {}

    def signature(fn):
        function = getattr(fn, "__func__", fn)
        code = getattr(function, "__code__", None)
        if code is None:  # a class, a partial, a builtin: as django-tables2 does
            return read(fn)
        key = (code, function is not fn)
        if key not in found:
            found[key] = read(fn)
        return found[key]

    return signature


def speed_up_django_tables2() -> None:
    """Called once at start-up (CoreConfig.ready)."""
    from django_tables2 import utils

    if not getattr(utils.signature, "relance_once", False):
        utils.signature = _signature_once(utils.signature)
        utils.signature.relance_once = True


def body_rows_html(table, context) -> str:
    """The <tr> rows of the table's current page, as its template would write them: each
    cell as django-tables2 renders it, the row and cell attributes it computes (a column's
    cell attributes once when they hold no callable), values localised as `{{ cell }}`."""
    from django.template.base import render_value_in_context
    from django.utils.formats import localize
    from django.utils.safestring import mark_safe

    def cell_html(column, cell) -> str:
        if column.localize is None:
            return render_value_in_context(cell, context)
        return render_value_in_context(localize(cell, use_l10n=column.localize), context)

    static_td = {}
    for column in table.columns:
        td = column.column.attrs.get("td", {})
        if not any(callable(value) for value in td.values()):
            static_td[column.name] = column.attrs["td"].as_html()
    rows = []
    for row in table.paginated_rows:
        cells = []
        for column, cell in row.items():
            td = static_td.get(column.name)
            if td is None:
                td = column.attrs["td"].as_html()
            cells.append(f"<td {td}>{cell_html(column, cell)}</td>")
        rows.append(f"<tr {row.attrs.as_html()}>{''.join(cells)}</tr>")
    return mark_safe("\n".join(rows))
