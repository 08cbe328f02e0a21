"""The charts' filters: the agenda's action filters for entity, collector, segment,
scenario and channel, with the same choices (those the user may see)."""

from relance.agenda.filtersets import ActionFilterSet

CHART_FILTERS = ("entity", "collector", "segment", "scenario", "channel")


class ChartFilterSet(ActionFilterSet):
    class Meta(ActionFilterSet.Meta):
        fields = list(CHART_FILTERS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.filters):
            if name not in CHART_FILTERS:
                del self.filters[name]

    def filter_collector(self, queryset, name, value):
        """A collector's own actions: the charts weigh a person's work, without the
        unassigned ones the agenda shows them beside it."""
        return queryset if value is None else queryset.filter(responsible=value)
