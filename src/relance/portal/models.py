from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from relance.core.querysets import EntityScopedQuerySet


class PortalLink(models.Model):
    """A customer's access to their page, carried by one message. Only the SHA-256 of the
    token is kept: the database alone never opens a page."""

    entity = models.ForeignKey("core.Entity", on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="portal_links"
    )
    action = models.ForeignKey(
        "agenda.Action",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="portal_links",
        verbose_name=_("action"),
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    first_opened_at = models.DateTimeField(_("first opened at"), null=True, blank=True)
    last_opened_at = models.DateTimeField(_("last opened at"), null=True, blank=True)
    open_count = models.PositiveIntegerField(_("times opened"), default=0)

    objects = EntityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("customer page link")
        verbose_name_plural = _("customer page links")
        indexes = [models.Index(fields=["customer", "created_at"], name="portal_link_by_customer")]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.created_at:%Y-%m-%d}"
