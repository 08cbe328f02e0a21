"""The banking models in the admin: statements, lines and allocations are read-only (they
come from files and from the reconciliation screen); payer accounts may be given by hand."""

from django.contrib import admin

from relance.banking.models import (
    Allocation,
    PayerAccount,
    Statement,
    StatementLine,
    StatementUpload,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StatementLineInline(admin.TabularInline):
    model = StatementLine
    fields = ["position", "booking_date", "credit", "amount", "currency", "counterparty_name"]
    fields += ["status", "reason", "customer"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    max_num = 0


@admin.register(Statement)
class StatementAdmin(ReadOnlyAdmin):
    list_display = ["imported_at", "entity", "format", "file_name", "account_iban"]
    list_display += ["lines_count", "matched_count", "suggested_count", "unmatched_count"]
    list_filter = ["entity", "format"]
    search_fields = ["file_name", "reference", "account_iban"]
    date_hierarchy = "imported_at"
    inlines = [StatementLineInline]


@admin.register(StatementLine)
class StatementLineAdmin(ReadOnlyAdmin):
    list_display = ["statement", "position", "booking_date", "credit", "amount", "currency"]
    list_display += ["counterparty_name", "status", "reason", "customer"]
    list_filter = ["entity", "status", "reason", "credit"]
    search_fields = ["counterparty_name", "counterparty_iban", "reference", "remittance"]
    list_select_related = ["statement", "customer"]


@admin.register(Allocation)
class AllocationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "line", "item", "amount", "unapplied", "reason", "allocated_by"]
    list_filter = ["entity", "reason", "unapplied"]
    search_fields = ["item__number", "item__customer__name"]
    list_select_related = ["line", "item", "allocated_by"]


@admin.register(PayerAccount)
class PayerAccountAdmin(admin.ModelAdmin):
    list_display = ["iban", "customer", "entity", "learned", "created_at"]
    list_filter = ["entity", "learned"]
    search_fields = ["iban", "customer__name", "customer__external_id"]
    raw_id_fields = ["customer"]
    readonly_fields = ["entity", "learned", "created_at"]

    def save_model(self, request, obj, form, change):
        obj.entity_id = obj.customer.entity_id  # an IBAN belongs to its customer's entity
        super().save_model(request, obj, form, change)


@admin.register(StatementUpload)
class StatementUploadAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "entity", "file_name", "status", "statement", "started_by"]
    list_filter = ["entity", "status"]
    readonly_fields = [f.name for f in StatementUpload._meta.fields]
