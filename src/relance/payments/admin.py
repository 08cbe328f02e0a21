from django.contrib import admin

from relance.payments.models import Payment


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["created_at", "customer", "amount", "currency", "provider", "status"]
    list_filter = ["provider", "status"]
    search_fields = ["provider_session_id", "customer__name", "customer__external_id"]
    raw_id_fields = ["customer", "items"]
    readonly_fields = ["created_at", "completed_at"]
