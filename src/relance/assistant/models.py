from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from relance.assistant.choices import DisputeReason, Document, Intent, ProposalStatus
from relance.core.choices import LANGUAGE_MAX_LENGTH


class Proposal(models.Model):
    """What the assistant read in one customer response (intent, facts, the items it is
    about) and what the collector decided: accepted as is, corrected (the final values kept
    for retraining) or dismissed."""

    response = models.OneToOneField(
        "agenda.CustomerResponse",
        on_delete=models.CASCADE,
        related_name="proposal",
        verbose_name=_("response"),
    )
    intent = models.CharField(_("intent"), max_length=20, choices=Intent.choices)
    dispute_reason = models.CharField(
        _("dispute category"), max_length=20, choices=DisputeReason.choices, blank=True
    )
    document = models.CharField(
        _("document asked for"), max_length=20, choices=Document.choices, blank=True
    )
    promised_on = models.DateField(_("promised date"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    stated_on = models.DateField(
        _("date stated"), null=True, blank=True, help_text=_("The first date the message gives.")
    )
    amounts = models.JSONField(_("amounts"), default=list, blank=True)  # decimal strings
    invoice_numbers = models.JSONField(_("invoice numbers found"), default=list, blank=True)
    items = models.ManyToManyField(
        "ledger.Item", blank=True, related_name="proposals", verbose_name=_("items")
    )
    summary = models.CharField(_("summary"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=LANGUAGE_MAX_LENGTH, blank=True)
    confidence = models.DecimalField(_("confidence"), max_digits=4, decimal_places=3)
    model_version = models.CharField(_("model version"), max_length=40)
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    # The collector's values when they corrected the proposal: intent, dispute_reason,
    # document, date (ISO) and item numbers; `relance assistant train` learns from them.
    final_intent = models.CharField(
        _("corrected intent"), max_length=20, choices=Intent.choices, blank=True
    )
    final = models.JSONField(_("corrected values"), default=dict, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("assistant's proposal")
        verbose_name_plural = _("assistant's proposals")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="corrected", final_intent__gt="") | ~Q(status="corrected"),
                name="proposal_corrected_has_intent",
                violation_error_message=_("A corrected proposal keeps the corrected intent."),
            )
        ]
        indexes = [
            models.Index(
                fields=["final_intent"],
                condition=Q(status="corrected"),
                name="proposal_corrections",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_intent_display()} · {self.response_id}"

    @property
    def decided(self) -> bool:
        return self.status != ProposalStatus.PROPOSED
