from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from relance.accounts.choices import Role
from relance.accounts.models import User
from relance.accounts.services import two_factor_disable


class UserChangeForm(DjangoUserChangeForm):
    def clean(self):
        """A user who still collects customers or is responsible for steps keeps a role that
        can work them: they are given to someone else first."""
        cleaned = super().clean()
        user = self.instance
        if user.pk and cleaned.get("role") == Role.READ_ONLY and not cleaned.get("is_superuser"):
            customers, steps = user.customers.count(), user.responsible_steps.count()
            if customers or steps:
                self.add_error(
                    "role",
                    _(
                        "%(user)s collects %(customers)s customers and is responsible for "
                        "%(steps)s scenario steps: give them to someone else before making "
                        "this user read-only."
                    )
                    % {"user": user.username, "customers": customers, "steps": steps},
                )
        return cleaned


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeForm
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
    actions = ["turn_off_two_factor"]

    @admin.action(description=_("Turn off two-factor authentication (lost phone and codes)"))
    def turn_off_two_factor(self, request, queryset):
        for user in queryset:
            two_factor_disable(user=user, acting_user=request.user, request=request)
        count = len(queryset)
        self.message_user(
            request,
            ngettext(
                "Two-factor authentication turned off for %(count)s user: they set it up "
                "again at their next login if an entity requires it.",
                "Two-factor authentication turned off for %(count)s users: they set it up "
                "again at their next login if an entity requires it.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


# django-otp's own admins show a device's QR code and recovery codes: secrets that would let
# whoever reads them log in as the user. Here an administrator sees who has which device and
# removes it, nothing more.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(TOTPDevice, StaticDevice)
class DeviceAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__username"]
    fields = list_display
    readonly_fields = list_display

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
