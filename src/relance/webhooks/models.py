import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from relance.core.querysets import EntityScopedQuerySet
from relance.webhooks.choices import DeliveryStatus, WebhookEvent


class Subscription(models.Model):
    """An entity's receiver of events: every event it listens to is POSTed to `url` as JSON,
    signed with HMAC-SHA256 under `secret` (sealed at rest: core/sealing.py)."""

    entity = models.ForeignKey(
        "core.Entity",
        on_delete=models.CASCADE,
        related_name="webhook_subscriptions",
        verbose_name=_("entity"),
    )
    url = models.URLField(_("receiver URL"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(_("signing secret"), max_length=300, editable=False)
    description = models.CharField(_("description"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EntityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["entity", "url", "id"]
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self) -> str:
        return self.url

    def get_absolute_url(self) -> str:
        return reverse("webhooks:detail", args=[self.pk])

    def listens_to(self, event: str) -> bool:
        return self.is_active and (event in self.events or event == WebhookEvent.PING)


class DeliveryQuerySet(EntityScopedQuerySet):
    entity_path = "subscription__entity"


class Delivery(models.Model):
    """One event for one subscription, written in the transaction of the change it reports
    (nothing is lost), unique per (subscription, key) (nothing is reported twice), then
    POSTed until the receiver answers 2xx or the retries run out."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(_("event"), max_length=30, choices=WebhookEvent.choices)
    # The same event sent to several subscriptions has one id: receivers dedupe on it.
    event_id = models.UUIDField(_("event id"), default=uuid.uuid4)
    key = models.CharField(max_length=100)  # what the event is about: "action.sent:42"
    payload = models.JSONField(_("payload"), encoder=DjangoJSONEncoder)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(_("answer"), null=True, blank=True)
    response_body = models.TextField(_("receiver's answer"), blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "key"], name="webhook_delivery_once_per_key"
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="webhook_delivery_due",
                condition=models.Q(status=DeliveryStatus.PENDING),
            ),
            models.Index(fields=["subscription", "-created_at"], name="webhook_delivery_log"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription}"
