from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "relance.core"
    verbose_name = _("Core")

    def ready(self):
        import relance.core.lookups  # noqa: F401 - registers `__among` on every field
        from relance.core.tables import speed_up_django_tables2

        speed_up_django_tables2()
