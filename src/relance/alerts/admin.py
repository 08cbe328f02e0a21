from django.contrib import admin

from relance.alerts.models import AlertHit, AlertRule


@admin.register(AlertRule)
class AlertRuleAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "is_active", "send_digest", "last_evaluated_on")
    list_filter = ("is_active", "send_digest")
    search_fields = ("name", "owner__username")


@admin.register(AlertHit)
class AlertHitAdmin(admin.ModelAdmin):
    list_display = ("rule", "customer", "evaluated_on")
    list_filter = ("evaluated_on",)
    raw_id_fields = ("rule", "customer")
