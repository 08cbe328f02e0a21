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

RESULTS_TARGET = "list-results"  # id of the element that htmx requests on list pages replace


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
