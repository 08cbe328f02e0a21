from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    """The languages Relance writes in, named in their own language (endonyms: a German
    reader looks for "Deutsch" whatever the screen's language). The same list as
    settings.LANGUAGES; a language whose catalogue is not there yet falls back to English."""

    ENGLISH = "en", "English"
    FRENCH = "fr", "Français"
    GERMAN = "de", "Deutsch"
    SPANISH = "es", "Español"
    ITALIAN = "it", "Italiano"
    DUTCH = "nl", "Nederlands"
    PORTUGUESE = "pt", "Português"
    BRAZILIAN_PORTUGUESE = "pt-br", "Português (Brasil)"
    POLISH = "pl", "Polski"
    ROMANIAN = "ro", "Română"
    CROATIAN = "hr", "Hrvatski"
    SWEDISH = "sv", "Svenska"
    TURKISH = "tr", "Türkçe"
    JAPANESE = "ja", "日本語"
    SIMPLIFIED_CHINESE = "zh-hans", "简体中文"


LANGUAGE_MAX_LENGTH = 7  # "zh-hans"


class Weekday(models.TextChoices):
    MONDAY = "mon", _("Monday")
    TUESDAY = "tue", _("Tuesday")
    WEDNESDAY = "wed", _("Wednesday")
    THURSDAY = "thu", _("Thursday")
    FRIDAY = "fri", _("Friday")
    SATURDAY = "sat", _("Saturday")
    SUNDAY = "sun", _("Sunday")


WEEKDAY_CODES = [code for code, _label in Weekday.choices]
DEFAULT_WORKING_DAYS = "mon,tue,wed,thu,fri"


class LateTermsCountry(models.TextChoices):
    """Whose country's late-payment law a letter applies (relance.countries)."""

    ENTITY = "entity", _("The entity's country")
    CUSTOMER = "customer", _("The customer's country")
