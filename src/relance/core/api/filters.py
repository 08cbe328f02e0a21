"""The API filters with the UI's FilterSets, which take the user (their choices come from
what the user may see)."""

from django_filters.rest_framework import DjangoFilterBackend


class UserFilterBackend(DjangoFilterBackend):
    def get_filterset_kwargs(self, request, queryset, view):
        return {**super().get_filterset_kwargs(request, queryset, view), "user": request.user}
