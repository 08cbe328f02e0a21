"""Who may do what with templates: everyone logged in reads and previews; administrators and
credit managers (the users who may import, `User.can_import`) write."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def can_manage_templates(user) -> bool:
    return bool(user and user.is_authenticated and user.can_import)


def require_template_manager(user) -> None:
    if not can_manage_templates(user):
        raise PermissionDenied(_("Only administrators and credit managers edit templates."))
