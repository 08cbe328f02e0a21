from django.contrib import admin

from relance.activity.models import CustomerEvent


@admin.register(CustomerEvent)
class CustomerEventAdmin(admin.ModelAdmin):
    """Read only: the audit trail is written by the services, never edited."""

    list_display = ("at", "customer", "kind", "user")
    list_filter = ("kind", "entity")
    search_fields = ("customer__name", "customer__external_id", "user__username")
    list_select_related = ("customer", "user")
    raw_id_fields = ("customer", "user", "action")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
