"""Who reads the audit trail: administrators (and superusers) only.

Credit managers do not, even for their own entities: the trail also holds changes to users,
roles, shared templates and scenarios, and entity settings, which no entity scope divides.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from relance.accounts.choices import Role


def can_view_audit(user) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.role == Role.ADMINISTRATOR)
    )


def require_auditor(user) -> None:
    if not can_view_audit(user):
        raise PermissionDenied(_("Only administrators read the audit trail."))
