from django.contrib import admin

from relance.delivery.models import Connector, Outbox


@admin.register(Connector)
class ConnectorAdmin(admin.ModelAdmin):
    list_display = ["entity", "channel", "kind", "is_active", "updated_at"]
    list_filter = ["channel", "kind", "is_active", "entity"]
    readonly_fields = ["callback_token", "created_at", "updated_at"]
    fields = ["entity", "channel", "kind", "settings", "is_active", "callback_token"]


@admin.register(Outbox)
class OutboxAdmin(admin.ModelAdmin):
    list_display = ["key", "channel", "status", "provider_status", "day", "created_at"]
    list_filter = ["status", "channel"]
    search_fields = ["key", "provider_id", "recipients"]
    raw_id_fields = ["action", "connector"]
