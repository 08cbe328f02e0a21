"""The shape of every list page (NetBox's `ObjectListView`, smaller): a scoped queryset, a
FilterSet, a table; the same URL answers the table part alone to htmx requests aimed at it,
and `?export=csv|xlsx` with exactly the filtered rows.
"""

import csv
import io
from collections.abc import Iterable, Iterator

from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.views import View
from django_tables2 import RequestConfig
from openpyxl import Workbook

RESULTS_TARGET = "list-results"  # id of the element that htmx requests on list pages replace
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _Echo:
    def write(self, value):
        return value


def csv_response(rows: Iterable[list], filename: str) -> StreamingHttpResponse:
    """Rows streamed as UTF-8 CSV with a BOM (so that Excel reads the accents), comma-separated,
    numbers with a decimal point: a file for machines first."""
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"
        for row in rows:
            yield writer.writerow(["" if value is None else value for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(rows: Iterable[list], filename: str, title: str) -> HttpResponse:
    """Rows as an XLSX sheet written in openpyxl's write-only (streaming) mode."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


# Beyond this many rows a list says "10,000+": counting a million rows costs more than a
# page, and nobody pages that far (they filter or export).
COUNT_LIMIT = 10_000


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

    def get(self, request):
        filterset = self.filterset_class(
            self.get_filter_data(),
            queryset=self.get_queryset(),
            user=request.user,
            request=request,
            **self.get_filterset_kwargs(),
        )
        export = request.GET.get("export")
        if export in ("csv", "xlsx"):
            return self.export(filterset.qs, export)
        table = self.get_table(filterset.qs, export=False)
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
        RequestConfig(self.request, paginate=False).configure(table)
        rows = table.as_values(exclude_columns=self.export_exclude)
        filename = f"{self.export_name}-{timezone.localdate().isoformat()}"
        if file_format == "csv":
            return csv_response(rows, filename)
        return xlsx_response(rows, filename, title=self.export_name)
