from django.contrib import admin

from relance.segments.models import Segment


@admin.register(Segment)
class SegmentAdmin(admin.ModelAdmin):
    """For inspection; the segment pages edit through the services, which check criteria."""

    list_display = ["name", "priority", "scenario", "entity", "is_active", "computed_at"]
    list_filter = ["is_active", "entity"]
    search_fields = ["name"]
    readonly_fields = ["computed_at"]
