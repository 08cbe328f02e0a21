from django.contrib import admin

from relance.inbound.models import InboundAttachment, InboundEmail, MailboxCursor


class InboundAttachmentInline(admin.TabularInline):
    model = InboundAttachment
    fields = ["filename", "content_type", "size", "file"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(InboundEmail)
class InboundEmailAdmin(admin.ModelAdmin):
    """Read-only: received emails are written by the capture (inbound/services.py) as they
    came; collectors attach or ignore them from the Unassigned list."""

    list_display = [
        "received_at",
        "entity",
        "kind",
        "status",
        "matched_by",
        "sender",
        "subject",
        "customer",
    ]
    list_filter = ["entity", "kind", "status", "matched_by", "source"]
    search_fields = ["sender", "subject", "message_id", "customer__name"]
    list_select_related = ["entity", "customer"]
    date_hierarchy = "received_at"
    inlines = [InboundAttachmentInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MailboxCursor)
class MailboxCursorAdmin(admin.ModelAdmin):
    """How far each mailbox was read; deleting a cursor reads the mailbox again from the
    start (what was stored already is recognised and stored once)."""

    list_display = ["connector", "uid_validity", "last_uid", "fetched_at", "last_error"]
    readonly_fields = ["connector", "uid_validity", "last_uid", "fetched_at", "last_error"]

    def has_add_permission(self, request):
        return False
