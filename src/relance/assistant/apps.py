from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistantConfig(AppConfig):
    name = "relance.assistant"
    verbose_name = _("Assistant")
