from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboundConfig(AppConfig):
    name = "relance.inbound"
    verbose_name = _("Incoming email")

    def ready(self) -> None:
        # Replies posted by the email provider (inbound/webhooks.py).
        from anymail.signals import inbound

        from relance.inbound.webhooks import on_inbound

        inbound.connect(on_inbound, dispatch_uid="relance.inbound.inbound")
