from django.contrib import admin

from relance.alerts.models import AlertHit, AlertRule


@admin.register(AlertRule)
class AlertRuleAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "kind", "amount", "days", "is_active", "last_evaluated_on")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "owner__username")


@admin.register(AlertHit)
class AlertHitAdmin(admin.ModelAdmin):
    list_display = ("rule", "customer", "evaluated_on")
    list_filter = ("evaluated_on",)
    raw_id_fields = ("rule", "customer")
