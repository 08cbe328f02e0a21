"""Cursor pagination: stable pages over tables that change while a client reads them, and
no COUNT(*) over a million rows."""

from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    """Pages in id order (unique and indexed); `page_size` up to 500."""

    ordering = "id"
    page_size_query_param = "page_size"
    max_page_size = 500
