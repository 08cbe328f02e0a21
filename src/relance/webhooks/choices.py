from django.db import models
from django.utils.translation import gettext_lazy as _


class WebhookEvent(models.TextChoices):
    ACTION_CREATED = "action.created", _("Action created")
    ACTION_SENT = "action.sent", _("Action sent")
    ACTION_FAILED = "action.failed", _("Action failed")
    ACTION_DONE = "action.done", _("Action done")
    RESPONSE_RECEIVED = "response.received", _("Response received")
    PROMISE_RECORDED = "promise.recorded", _("Promise to pay recorded")
    DISPUTE_OPENED = "dispute.opened", _("Dispute opened")
    DISPUTE_CLOSED = "dispute.closed", _("Dispute closed")
    ITEM_SETTLED = "item.settled", _("Item settled")
    RUN_FINISHED = "run.finished", _("Daily run finished")
    PING = "ping", _("Test")


# What a subscription may choose (the test event is sent by the "Send test" button only).
SUBSCRIBABLE = [choice for choice in WebhookEvent.choices if choice[0] != WebhookEvent.PING]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")
