from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from relance.activity.choices import EventKind
from relance.core.querysets import EntityScopedQuerySet


class CustomerEvent(models.Model):
    """Something a user or an import did to a customer's account: the audit trail behind the
    customer timeline. Written in the transaction of the change, never edited. `data` keeps
    what the sentence needs (step name, dates, counts, the user's name), so that the line
    reads in the reader's language and survives renamed steps and deleted users."""

    entity = models.ForeignKey(
        "core.Entity", on_delete=models.CASCADE, related_name="customer_events"
    )
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.CASCADE,
        related_name="events",
        db_index=False,  # the index (customer, at) leads with it
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    day = models.DateField(_("day"))
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="customer_events",
        verbose_name=_("by"),
    )
    # A string reference: the agenda sits above the ledger, whose imports write events too.
    action = models.ForeignKey(
        "agenda.Action",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("action"),
    )
    data = models.JSONField(_("details"), default=dict, blank=True)

    objects = EntityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("customer event")
        verbose_name_plural = _("customer events")
        indexes = [models.Index(fields=["customer", "at"], name="customer_event_by_customer")]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.customer_id}"

    def describe(self) -> str:
        """The event in a sentence, in the active language."""
        from relance.activity.sentences import describe

        return describe(self)

    @property
    def tracking_url(self) -> str:
        """The carrier's page of a posted letter's tracking number, or ""."""
        from relance.core.carriers import tracking_url

        return tracking_url(self.data.get("carrier", ""), self.data.get("tracking_number", ""))

    @property
    def carrier_name(self) -> str:
        from relance.core.carriers import carrier_name

        return carrier_name(self.data.get("carrier", ""))

    @property
    def by(self) -> str:
        """Who did it: the user's name, kept in `data` for a user deleted since."""
        if self.user_id is not None:
            return self.user.get_full_name() or self.user.username
        return self.data.get("by", "")
