from django.contrib import admin

from relance.ledger.models import ImportBatch, Item


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "kind",
        "customer",
        "issue_date",
        "due_date",
        "amount",
        "open_amount",
        "currency",
        "disputed",
        "blocked",
    ]
    list_filter = ["entity", "kind", "disputed", "blocked", "currency"]
    search_fields = ["number", "customer__name", "customer__external_id"]
    raw_id_fields = ["customer"]
    date_hierarchy = "due_date"


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = [
        "started_at",
        "entity",
        "kind",
        "file_name",
        "status",
        "created",
        "updated",
        "unchanged",
        "started_by",
    ]
    list_filter = ["entity", "kind", "status"]
    readonly_fields = [f.name for f in ImportBatch._meta.fields]
