from django.contrib import admin

from relance.core.models import Entity


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "country", "currency", "language", "time_zone"]
    search_fields = ["name", "slug", "siren", "vat_number"]
    prepopulated_fields = {"slug": ["name"]}
