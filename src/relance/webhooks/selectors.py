from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from relance.webhooks.models import Delivery, Subscription


def can_manage_webhooks(user) -> bool:
    """Administrators and credit managers (the users who may import) point the entity's
    events at other software; collectors and read-only users do not."""
    return bool(user and user.is_authenticated and user.can_import)


def require_webhook_manager(user) -> None:
    if not can_manage_webhooks(user):
        raise PermissionDenied(_("Only administrators and credit managers manage webhooks."))


def subscriptions_for_user(user):
    return Subscription.objects.visible_to(user).select_related("entity")


def subscription_for_user(user, pk: int) -> Subscription:
    return Subscription.objects.select_related("entity").get_for_user(user, pk=pk)


def delivery_for_user(user, pk: int) -> Delivery:
    return Delivery.objects.select_related("subscription").get_for_user(user, pk=pk)


def delivery_log(subscription: Subscription, limit: int = 100) -> list[Delivery]:
    return list(subscription.deliveries.order_by("-created_at", "-id")[:limit])
