from django.contrib import admin

from relance.customers.models import Contact, Customer, CustomField, Tag


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = [
        "first_name",
        "last_name",
        "email",
        "phone",
        "mobile",
        "is_collection",
        "is_billing",
        "is_legal",
        "is_other",
    ]


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["name", "external_id", "entity", "country", "currency", "collector", "on_hold"]
    list_filter = ["entity", "on_hold", "country", "language", "category"]
    search_fields = ["name", "external_id", "legal_id"]
    autocomplete_fields = ["collector"]
    filter_horizontal = ["tags"]
    inlines = [ContactInline]
    list_select_related = ["entity", "collector"]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["__str__", "customer", "email", "mobile", "is_collection"]
    search_fields = ["first_name", "last_name", "email", "customer__name"]
    raw_id_fields = ["customer"]


@admin.register(CustomField)
class CustomFieldAdmin(admin.ModelAdmin):
    list_display = ["name", "label", "type", "required", "position"]


admin.site.register(Tag)
