from django.db import models
from django.utils.translation import gettext_lazy as _

from relance.delivery.choices import OutboxStatus


class Outbox(models.Model):
    """One attempt to send one action's message. The row is committed `sending` before the
    provider is called: a row still `sending` on the next run means the run stopped after
    the hand-over, and the message is never sent twice (docs/engine.md, the outbox)."""

    action = models.ForeignKey(
        "agenda.Action", on_delete=models.CASCADE, related_name="outbox", verbose_name=_("action")
    )
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    key = models.CharField(_("idempotency key"), max_length=100, unique=True)
    channel = models.CharField(_("channel"), max_length=20)
    status = models.CharField(
        _("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.SENDING
    )
    day = models.DateField(_("run date"))
    message_id = models.CharField(_("message id"), max_length=255, blank=True)
    recipients = models.TextField(_("recipients"), blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("handed over"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox")
        constraints = [
            models.UniqueConstraint(
                fields=["action", "attempt"], name="outbox_one_row_per_attempt"
            ),
        ]
        indexes = [models.Index(fields=["status", "day"], name="outbox_by_status")]

    def __str__(self) -> str:
        return self.key
