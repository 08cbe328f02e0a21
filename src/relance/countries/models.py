from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferenceRate(models.Model):
    """An official reference rate loaded by `relance rates update`: it extends the table of
    the country's pack, or replaces the packaged rate of the same day."""

    country = models.CharField(_("country"), max_length=2)
    reference = models.CharField(_("reference rate"), max_length=30)
    valid_from = models.DateField(_("valid from"))
    rate = models.DecimalField(_("rate (% per year)"), max_digits=7, decimal_places=4)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        ordering = ["country", "valid_from"]
        verbose_name = _("reference rate")
        verbose_name_plural = _("reference rates")
        constraints = [
            models.UniqueConstraint(
                fields=["country", "valid_from"],
                name="countries_reference_rate_one_per_day",
                violation_error_message=_("This country already has a rate from that day."),
            )
        ]

    def __str__(self):
        return f"{self.country} {self.reference} {self.valid_from}: {self.rate}"
