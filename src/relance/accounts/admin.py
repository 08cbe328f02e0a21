from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from relance.accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = [
        "username",
        "email",
        "first_name",
        "last_name",
        "role",
        "all_entities",
        "is_active",
    ]
    list_filter = ["role", "all_entities", "is_active", "entities"]
    filter_horizontal = ["entities", "groups", "user_permissions"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Relance"), {"fields": ["role", "all_entities", "entities", "phone", "language"]}),
    ]
