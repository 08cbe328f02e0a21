from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from relance.accounts.choices import Role


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
    language = models.CharField(
        _("language"), max_length=2, blank=True, choices=[("fr", _("French")), ("en", _("English"))]
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
