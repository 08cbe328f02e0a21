"""Audit trail pages, for administrators: every change, one object's history (with its
children's), one user's (what they changed and what happened to their account); each
filterable and exportable like every other list."""

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from relance.accounts.models import User
from relance.audit import selectors
from relance.audit.filtersets import LogEntryFilterSet
from relance.audit.permissions import require_auditor
from relance.audit.tables import log_entry_table
from relance.core.params import MAX_ID
from relance.core.views import ObjectListView


class AuditLogListView(ObjectListView):
    filterset_class = LogEntryFilterSet
    template_name = "audit/logentry_list.html"
    partial_template_name = "audit/_logentry_results.html"
    export_name = "audit"

    def dispatch(self, request, *args, **kwargs):
        require_auditor(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return super().get(request)

    def get_queryset(self):
        return selectors.log_entry_queryset()

    def get_table(self, queryset, *, export: bool):
        return log_entry_table(queryset, export=export)

    def get_context_data(self, **context):
        context.setdefault("heading", _("Audit trail"))
        return super().get_context_data(**context)


class ObjectHistoryView(AuditLogListView):
    def get(self, request, *args, **kwargs):
        if kwargs["pk"] > MAX_ID:  # no such row, and too big for the database's integers
            raise Http404(_("No such object."))
        return super().get(request)

    @cached_property
    def content_type(self) -> ContentType:
        try:
            return ContentType.objects.get_by_natural_key(
                self.kwargs["app_label"], self.kwargs["model"]
            )
        except ContentType.DoesNotExist:
            raise Http404(_("No such type of object.")) from None

    @cached_property
    def current(self):
        """The object as it is now, if it still exists."""
        model = self.content_type.model_class()
        return model._base_manager.filter(pk=self.kwargs["pk"]).first() if model else None

    def get_queryset(self):
        return selectors.object_entries(self.content_type, self.kwargs["pk"])

    def get_context_data(self, **context):
        name = str(self.current) if self.current else f"#{self.kwargs['pk']}"
        url = getattr(self.current, "get_absolute_url", None)
        return super().get_context_data(
            heading=_("History of %(object)s") % {"object": name},
            subtitle=selectors.type_label(self.content_type),
            object_url=url() if url else "",
            **context,
        )


class UserHistoryView(AuditLogListView):
    @cached_property
    def subject(self) -> User:
        return get_object_or_404(User, pk=self.kwargs["pk"])

    def get_queryset(self):
        return selectors.user_entries(self.subject)

    def get_context_data(self, **context):
        return super().get_context_data(
            heading=_("Changes by and to %(user)s") % {"user": self.subject.username},
            subtitle=self.subject.get_full_name(),
            **context,
        )
