from django.contrib import admin

from relance.assistant.models import Proposal


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ("response", "intent", "status", "confidence", "model_version", "created_at")
    list_filter = ("intent", "status")
    raw_id_fields = ("response", "items", "decided_by")
