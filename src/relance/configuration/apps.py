from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConfigurationConfig(AppConfig):
    name = "relance.configuration"
    verbose_name = _("Configuration as code")
