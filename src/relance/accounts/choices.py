from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    CREDIT_MANAGER = "credit_manager", _("Credit manager")
    COLLECTOR = "collector", _("Collector")
    READ_ONLY = "read_only", _("Read-only")
