from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    name = "relance.delivery"
    verbose_name = _("Delivery")

    def ready(self) -> None:
        # Email providers' news through django-anymail (delivery/tracking.py).
        from anymail.signals import post_send, tracking

        from relance.delivery import tracking as receivers

        post_send.connect(receivers.on_post_send, dispatch_uid="relance.delivery.post_send")
        tracking.connect(receivers.on_tracking, dispatch_uid="relance.delivery.tracking")
