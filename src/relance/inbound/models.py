from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from relance.core.querysets import EntityScopedQuerySet
from relance.inbound.choices import InboundKind, InboundSource, InboundStatus, MatchedBy


class InboundEmail(models.Model):
    """One email received for an entity, as received (the raw message is kept) and as read:
    a reply becomes a customer response, a bounce marks the message it answers bounced.
    Stored once: by Message-ID, else by the hash of its bytes."""

    entity = models.ForeignKey(
        "core.Entity", on_delete=models.CASCADE, related_name="inbound_emails"
    )
    source = models.CharField(_("source"), max_length=10, choices=InboundSource.choices)
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    content_hash = models.CharField(_("content hash"), max_length=64)
    received_at = models.DateTimeField(_("received at"))
    sender = models.CharField(_("from"), max_length=254, blank=True)
    sender_name = models.CharField(_("sender's name"), max_length=200, blank=True)
    recipients = models.TextField(_("to"), blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    text = models.TextField(
        _("reply"), blank=True, help_text=_("The new text, without quoted history or signature.")
    )
    full_text = models.TextField(_("whole text"), blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    raw = models.FileField(_("message as received"), upload_to="inbound/%Y/%m/", max_length=255)
    kind = models.CharField(_("kind"), max_length=12, choices=InboundKind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=InboundStatus.choices, default=InboundStatus.UNASSIGNED
    )
    matched_by = models.CharField(
        _("matched by"), max_length=12, choices=MatchedBy.choices, blank=True
    )
    refusal = models.TextField(_("why it was refused"), blank=True)
    problems = models.JSONField(_("what was dropped"), default=list, blank=True)
    details = models.JSONField(
        _("details"), default=dict, blank=True, help_text=_("A bounce's recipients and reasons.")
    )
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_emails",
        verbose_name=_("customer"),
    )
    action = models.ForeignKey(
        "agenda.Action",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_emails",
        verbose_name=_("action"),
    )
    outbox = models.ForeignKey(
        "delivery.Outbox",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_emails",
        verbose_name=_("message answered"),
    )
    response = models.OneToOneField(
        "agenda.CustomerResponse",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_email",
        verbose_name=_("response"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EntityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("received email")
        verbose_name_plural = _("received emails")
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "message_id"],
                condition=~Q(message_id=""),
                name="inbound_once_per_message_id",
            ),
            models.UniqueConstraint(
                fields=["entity", "content_hash"], name="inbound_once_per_content"
            ),
        ]
        indexes = [
            models.Index(
                fields=["entity", "received_at"],
                condition=Q(status="unassigned"),
                name="inbound_unassigned",
            ),
            models.Index(fields=["customer", "received_at"], name="inbound_by_customer"),
        ]

    def __str__(self) -> str:
        return f"{self.sender} · {self.subject}"


class InboundAttachment(models.Model):
    """A file that came with a received email (remittance advice, invoice PDF): kept out of
    static files and served to users of its entity only, always as a download."""

    email = models.ForeignKey(InboundEmail, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="inbound/%Y/%m/", max_length=255)
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename


class MailboxCursor(models.Model):
    """How far a mailbox has been read: the IMAP folder's UIDVALIDITY and the last UID
    stored, so that each fetch asks only for what is new."""

    connector = models.OneToOneField(
        "delivery.Connector", on_delete=models.CASCADE, related_name="mailbox_cursor"
    )
    uid_validity = models.BigIntegerField(default=0)
    last_uid = models.BigIntegerField(default=0)
    fetched_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("mailbox cursor")
        verbose_name_plural = _("mailbox cursors")

    def __str__(self) -> str:
        return f"{self.connector} @ {self.last_uid}"
