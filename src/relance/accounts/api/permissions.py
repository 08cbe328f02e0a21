"""What a role may do through the API: the User properties the pages use (`can_edit`,
`can_import`), so the rule has one home."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions


class CanEditOrReadOnly(permissions.BasePermission):
    """Reads for every user; writes for those who may act (not read-only)."""

    message = _("Read-only users cannot change anything.")

    def has_permission(self, request, view) -> bool:
        return request.method in permissions.SAFE_METHODS or request.user.can_edit


class CanImportOrReadOnly(permissions.BasePermission):
    """Reads for every user; bulk writes and engine runs for those who may import."""

    message = _("Only administrators and credit managers may do this.")

    def has_permission(self, request, view) -> bool:
        return request.method in permissions.SAFE_METHODS or request.user.can_import
