from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "relance.audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from relance.audit.tracking import register_tracked_models

        register_tracked_models()
