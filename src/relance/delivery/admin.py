from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from relance.delivery.choices import ConnectorKind
from relance.delivery.models import Connector, Outbox, Proof

# The settings each kind of connector reads, for the settings field's help (M2.4 adds the
# incoming mailbox: docs/inbound.md).
SETTINGS_HELP = {
    ConnectorKind.IMAP: _(
        "Channel “Incoming email”, kind IMAP: "
        '{"host": "imap.example.com", "port": 993, "security": "ssl" (or "starttls", '
        '"none"), "username": …, "password": … (encrypted when saved), "folder": "INBOX", '
        '"processed_folder": "" (optional: where read messages are moved), "timeout": 30, '
        '"ca_file": "" (optional: a CA bundle for a private certificate)}. Read every few '
        "minutes, and by `relance mail fetch`."
    ),
    ConnectorKind.INBOUND_WEBHOOK: _(
        "Channel “Incoming email”, kind inbound webhook: the email provider posts each "
        "received message to /anymail/<provider>/inbound/ (with the basic-auth secret of "
        "the tracking webhook); the entity is found by its email address. No setting needed."
    ),
}


@admin.register(Connector)
class ConnectorAdmin(admin.ModelAdmin):
    list_display = ["entity", "channel", "kind", "is_active", "updated_at"]
    list_filter = ["channel", "kind", "is_active", "entity"]
    readonly_fields = ["callback_token", "created_at", "updated_at"]
    fields = ["entity", "channel", "kind", "settings", "is_active", "callback_token"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        """The settings' help names the keys of the incoming mailbox kinds too (the
        model's help covers the sending ones)."""
        form = super().get_form(request, obj, change=change, **kwargs)
        field = form.base_fields.get("settings")
        if field is not None:
            kinds = (
                [SETTINGS_HELP[obj.kind]]
                if obj and obj.kind in SETTINGS_HELP
                else list(SETTINGS_HELP.values())
            )
            field.help_text = format_html_join(
                "",
                "{}<br>",
                [(Connector._meta.get_field("settings").help_text,)] + [(text,) for text in kinds],
            )
        return form


class ProofInline(admin.TabularInline):
    """The providers' proofs of a message, read-only (downloaded from the action's page)."""

    model = Proof
    fields = ["kind", "provider_status", "sha256", "received_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Outbox)
class OutboxAdmin(admin.ModelAdmin):
    inlines = [ProofInline]
    list_display = ["key", "channel", "status", "provider_status", "day", "created_at"]
    list_filter = ["status", "channel"]
    search_fields = ["key", "provider_id", "recipients"]
    raw_id_fields = ["action", "connector"]
