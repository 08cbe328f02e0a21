from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")


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
