from django.contrib import admin

from relance.scenarios.models import Scenario, Step


class StepInline(admin.TabularInline):
    model = Step
    extra = 0
    fields = ["position", "name", "channel", "mode", "anchor", "offset_days", "template"]


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin):
    """For inspection; the scenario pages edit through the services, which validate."""

    list_display = ["name", "entity", "min_contact_days", "min_amount", "repeat_last_every_days"]
    list_filter = ["entity"]
    search_fields = ["name"]
    inlines = [StepInline]
