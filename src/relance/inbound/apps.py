from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboundConfig(AppConfig):
    name = "relance.inbound"
    verbose_name = _("Incoming email")
