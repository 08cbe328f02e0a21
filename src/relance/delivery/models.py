import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from relance.delivery.choices import ConnectorChannel, ConnectorKind, OutboxStatus, ProofKind
from relance.delivery.sealing import seal


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Connector(models.Model):
    """How one entity sends one channel: an adapter kind and its settings (URL, credentials,
    sender). At most one active connector per entity and channel; the token authenticates
    the provider's status callbacks."""

    entity = models.ForeignKey(
        "core.Entity", on_delete=models.CASCADE, related_name="connectors", verbose_name=_("entity")
    )
    channel = models.CharField(_("channel"), max_length=20, choices=ConnectorChannel.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=ConnectorKind.choices)
    settings = models.JSONField(
        _("settings"),
        default=dict,
        blank=True,
        help_text=_(
            'e.g. {"url": …, "account_sid": …, "auth_token": …, "sender": …}. Secrets '
            "(auth_token, api_key, password…) are encrypted when saved and shown as "
            '"enc:…": keep such a value as it is, or type a new one in clear. A value '
            '"env:NAME" is read from the server\'s environment variable NAME instead.'
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    callback_token = models.CharField(_("callback token"), max_length=64, default=new_token)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["entity", "channel", "-is_active", "id"]
        verbose_name = _("connector")
        verbose_name_plural = _("connectors")
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "channel"],
                condition=models.Q(is_active=True),
                name="connector_one_active_per_channel",
                violation_error_message=_("This entity already has an active connector here."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entity} {self.get_channel_display()} ({self.get_kind_display()})"

    def save(self, *args, **kwargs):
        """Secrets are never stored in clear, whoever saves (admin, demo, tests)."""
        self.settings = seal(self.settings)
        super().save(*args, **kwargs)


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
    # What left, as the customer received it: the timeline shows it, and it no longer
    # depends on the template, which may change after the sending.
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body = models.TextField(
        _("text"), blank=True, help_text=_("The text part of an email, an SMS, a letter's text.")
    )
    html = models.TextField(_("HTML"), blank=True, help_text=_("The HTML part of an email."))
    error = models.TextField(_("error"), blank=True)
    connector = models.ForeignKey(
        Connector,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbox",
        verbose_name=_("connector"),
    )
    # The key the provider saw: this row's key, or an earlier attempt's when that attempt's
    # outcome was unknown (timeout, 5xx), so that the provider dedupes the retry.
    idempotency_key = models.CharField(_("idempotency key sent"), max_length=100, blank=True)
    uncertain = models.BooleanField(_("outcome unknown"), default=False)
    provider_id = models.CharField(_("provider id"), max_length=255, blank=True, db_index=True)
    provider_status = models.CharField(_("provider status"), max_length=30, blank=True)
    proof = models.JSONField(_("proof"), default=dict, blank=True)
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
        indexes = [
            models.Index(fields=["status", "day"], name="outbox_by_status"),
            # The rows in flight (or whose outcome is unknown), read at the start of every
            # run (services.outbox_stuck): partial, so that reading them never depends on
            # the statistics of a table that grows with every message sent.
            models.Index(
                fields=["action"],
                condition=models.Q(status=OutboxStatus.SENDING) | models.Q(uncertain=True),
                name="outbox_sending",
            ),
            # A received reply names the message it answers (In-Reply-To): inbound/matching.py
            models.Index(fields=["message_id"], name="outbox_by_message_id"),
        ]

    def __str__(self) -> str:
        return self.key


class Proof(models.Model):
    """A provider's proof document about a message (a deposit receipt, an acknowledgement of
    receipt, an electronic registered letter's proof), kept with the message and its action
    and downloaded from the history. The same document received twice is kept once."""

    outbox = models.ForeignKey(
        Outbox, on_delete=models.CASCADE, related_name="proofs", verbose_name=_("message")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ProofKind.choices)
    # The provider's status when it came (e.g. "signed"): an e-registered letter has a proof
    # of deposit, then one of delivery or refusal.
    provider_status = models.CharField(_("provider status"), max_length=30, blank=True)
    content = models.BinaryField(_("PDF"))
    sha256 = models.CharField(max_length=64)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        ordering = ["received_at", "id"]
        verbose_name = _("proof")
        verbose_name_plural = _("proofs")
        constraints = [
            models.UniqueConstraint(
                fields=["outbox", "kind", "sha256"], name="proof_once_per_message"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.outbox}"

    @property
    def filename(self) -> str:
        return f"{self.kind}-{self.outbox.action_id}-{self.pk}.pdf"
