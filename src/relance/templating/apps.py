from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TemplatingConfig(AppConfig):
    name = "relance.templating"
    verbose_name = _("Message templates")
