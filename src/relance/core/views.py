"""The shape of every list page (NetBox's `ObjectListView`, smaller): a scoped queryset, a
FilterSet, a table; the same URL answers the table part alone to htmx requests aimed at it,
and `?export=csv|xlsx` with exactly the filtered rows.
"""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.views import View
from django_tables2 import RequestConfig

from relance.core.exports import csv_response, xlsx_response
from relance.core.params import MAX_ID, InvalidParameter, choice_param, int_param

RESULTS_TARGET = "list-results"  # id of the element that htmx requests on list pages replace


# Beyond this many rows a list says "10,000+": counting a million rows costs more than a
# page, and nobody pages that far (they filter or export).
COUNT_LIMIT = 10_000
MAX_PER_PAGE = 500
EXPORT_FORMATS = ("csv", "xlsx")


def bad_request(request, exception):
    """handler400: the 400 page within the layout; a parameter refused by the view
    (InvalidParameter) is named with the reason, other bad requests are not detailed."""
    reason = str(exception) if isinstance(exception, InvalidParameter) else ""
    return render(request, "400.html", {"reason": reason}, status=400)


class CountedPaginator(Paginator):
    """A paginator told its count (`count`, when the view already knows it) or counting at
    most `limit` rows; `count_is_limit` then says the list holds more."""

    def __init__(self, object_list, per_page, *, count=None, limit=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.known_count, self.limit = count, limit
        self.count_is_limit = False

    @cached_property
    def count(self):
        if self.known_count is not None:
            return self.known_count
        if self.limit is None:
            return super().count
        # BoundRows -> TableQuerysetData -> the queryset, as table.data.data in the view.
        counted = self.object_list.data.data.order_by()[: self.limit + 1].count()
        self.count_is_limit = counted > self.limit
        return min(counted, self.limit)


class ObjectListView(View):
    """A filtered, sorted, paginated list with exports. Subclasses declare what it lists."""

    filterset_class = None
    template_name = ""
    partial_template_name = ""
    export_name = ""
    export_exclude: tuple[str, ...] = ()

    def get_queryset(self):
        raise NotImplementedError

    def get_filter_data(self):
        return self.request.GET

    def get_filterset_kwargs(self) -> dict:
        return {}

    def get_table(self, queryset, *, export: bool):
        raise NotImplementedError

    def get_context_data(self, **context):
        return context

    def get_paginate(self, filterset, table) -> dict:
        """Pagination options (django-tables2's `paginate`): a subclass that knows the
        count already, or prefers a bounded one, says so here."""
        return {"per_page": table._meta.per_page}

    def get_filterset(self, data):
        return self.filterset_class(
            data,
            queryset=self.get_queryset(),
            user=self.request.user,
            request=self.request,
            **self.get_filterset_kwargs(),
        )

    def invalid_filters(self, filterset):
        """A filter that does not hold is refused, never ignored: the list (or its export)
        would silently hold more rows than asked. A subclass may answer another filterset."""
        raise InvalidParameter(filter_errors(filterset))

    def get(self, request):
        filterset = self.get_filterset(self.get_filter_data())
        if not filterset.is_valid():
            filterset = self.invalid_filters(filterset)
        export = choice_param(request.GET, "export", EXPORT_FORMATS)
        if export:
            return self.export(filterset.qs, export)
        table = self.get_table(filterset.qs, export=False)
        check_list_params(request.GET, table)
        RequestConfig(request, paginate=self.get_paginate(filterset, table)).configure(table)
        partial = request.htmx and request.htmx.target == RESULTS_TARGET
        context = self.get_context_data(
            filterset=filterset,
            table=table,
            results_target=RESULTS_TARGET,
            export_query=self.export_query(),
        )
        template = self.partial_template_name if partial else self.template_name
        response = render(request, template, context)
        patch_vary_headers(response, ("HX-Request", "HX-Target"))
        return response

    def export_query(self) -> str:
        """The current query string without page and export, for the export links."""
        query = self.request.GET.copy()
        for key in ("page", "export"):
            query.pop(key, None)
        return query.urlencode()

    def export(self, queryset, file_format: str):
        table = self.get_table(queryset, export=True)
        check_list_params(self.request.GET, table)
        RequestConfig(self.request, paginate=False).configure(table)
        rows = table.as_values(exclude_columns=self.export_exclude)
        filename = f"{self.export_name}-{timezone.localdate().isoformat()}"
        if file_format == "csv":
            return csv_response(rows, filename)
        return xlsx_response(rows, filename, title=self.export_name)


def filter_errors(filterset) -> str:
    """The filter form's errors as one line: "Due between: Enter a valid date." """
    fields = filterset.form.fields
    parts = []
    for name, errors in filterset.form.errors.items():
        label = fields[name].label if name in fields else ""
        parts.extend(f"{label}: {error}" if label else error for error in errors)
    return " ".join(parts)


def check_list_params(data, table) -> None:
    """Refuse (400) a page, page size or sort the list cannot honour; a page past the end
    shows the last one (rows may have gone since the link was made)."""
    int_param(data, table.prefixed_page_field, maximum=MAX_ID)
    int_param(data, table.prefixed_per_page_field, maximum=MAX_PER_PAGE)
    sortable = sorted(column.name for column in table.columns.iterall() if column.orderable)
    for value in data.getlist(table.prefixed_order_by_field):
        for alias in filter(None, value.split(",")):
            choice_param({"sort": alias.removeprefix("-")}, "sort", sortable)
