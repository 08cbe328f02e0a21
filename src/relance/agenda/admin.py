from django.contrib import admin

from relance.agenda.models import Action


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    """Read-mostly: actions are written by the engine and the agenda services."""

    list_display = [
        "id",
        "customer",
        "step_name",
        "channel",
        "mode",
        "status",
        "reason",
        "created_on",
        "due_date",
        "finished_on",
        "responsible",
    ]
    list_filter = ["entity", "status", "channel", "mode", "reason"]
    search_fields = ["customer__name", "customer__external_id", "reference__number"]
    list_select_related = ["customer", "responsible"]
    raw_id_fields = ["customer", "reference", "step", "scenario", "responsible"]
    date_hierarchy = "due_date"
    readonly_fields = ["created_on", "created_at", "updated_at", "planned_by"]
