from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from relance.accounts.choices import Role
from relance.core.choices import LANGUAGE_MAX_LENGTH, Language


class User(AbstractUser):
    """A person working in Relance. A user limited to some entities sees nothing of the others."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.COLLECTOR)
    all_entities = models.BooleanField(
        _("all entities"),
        default=False,
        help_text=_("Sees every entity; otherwise only the entities listed."),
    )
    entities = models.ManyToManyField(
        "core.Entity", blank=True, related_name="users", verbose_name=_("entities")
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    # The customers in the user's active alerts at their last evaluation, kept by the alerts
    # app (alerts/services.py: alert_badge_refresh) so that the menu's badge costs no query.
    alert_customer_count = models.PositiveIntegerField(
        _("customers in my alerts"), default=0, editable=False
    )
    language = models.CharField(
        _("language"), max_length=LANGUAGE_MAX_LENGTH, blank=True, choices=Language.choices
    )

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def sees_all_entities(self) -> bool:
        return self.is_superuser or self.role == Role.ADMINISTRATOR or self.all_entities

    @property
    def can_import(self) -> bool:
        return self.is_superuser or self.role in {Role.ADMINISTRATOR, Role.CREDIT_MANAGER}

    @property
    def can_edit(self) -> bool:
        return self.is_superuser or self.role != Role.READ_ONLY

    @property
    def takes_work(self) -> bool:
        """Whether work may be given to the user (a customer to collect, a step's actions):
        an active user who is not read-only."""
        return self.is_active and self.can_edit

    def sees_entity(self, entity) -> bool:
        return self.sees_all_entities or self.entities.filter(pk=entity.pk).exists()

    def assignment_error(self, entity) -> str:
        """Why the user may not work for `entity` (empty when they may)."""
        if not self.is_active:
            return _("%(user)s is not active.") % {"user": self.username}
        if not self.can_edit:
            return _("%(user)s is read-only: a read-only user cannot be given work.") % {
                "user": self.username
            }
        if entity is not None and not self.sees_entity(entity):
            return _("%(user)s has no access to the entity %(entity)s.") % {
                "user": self.username,
                "entity": entity,
            }
        return ""


class ApiToken(models.Model):
    """A personal API token: acts as its user (same role, same entities) until revoked.
    Only a SHA-256 digest of the secret is kept; the visible prefix finds the row."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    digest = models.CharField(_("digest"), max_length=64)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
