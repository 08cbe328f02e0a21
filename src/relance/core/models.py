from datetime import date, datetime, time, timedelta
from functools import cached_property

import holidays
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from relance.core import validators
from relance.core.choices import (
    DEFAULT_WORKING_DAYS,
    LANGUAGE_MAX_LENGTH,
    WEEKDAY_CODES,
    Language,
    LateTermsCountry,
)
from relance.core.querysets import EntityQuerySet


class Entity(models.Model):
    """A legal company whose receivables are collected; every customer belongs to one."""

    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    siren = models.CharField(
        "SIREN", max_length=9, blank=True, validators=[validators.validate_siren]
    )
    siret = models.CharField(
        "SIRET", max_length=14, blank=True, validators=[validators.validate_siret]
    )
    vat_number = models.CharField(
        _("VAT number"), max_length=20, blank=True, validators=[validators.validate_vat]
    )
    company_number = models.CharField(
        _("company number"),
        max_length=40,
        blank=True,
        help_text=_("Legal id outside France (e.g. Companies House)."),
    )
    address_line1 = models.CharField(_("address"), max_length=200, blank=True)
    address_line2 = models.CharField(_("address (continued)"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, validators=[validators.validate_country])
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Paris",
        validators=[validators.validate_time_zone],
    )
    currency = models.CharField(
        _("base currency"), max_length=3, default="EUR", validators=[validators.validate_currency]
    )
    reporting_currency = models.CharField(
        _("reporting currency"),
        max_length=3,
        default="EUR",
        validators=[validators.validate_currency],
        help_text=_("The Insights convert this entity's figures in all currencies into it."),
    )
    language = models.CharField(
        _("default language"),
        max_length=LANGUAGE_MAX_LENGTH,
        choices=Language.choices,
        default=Language.FRENCH,
    )
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    email = models.EmailField(_("reply-to email"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    iban = models.CharField(
        "IBAN", max_length=34, blank=True, validators=[validators.validate_iban]
    )
    bic = models.CharField("BIC", max_length=11, blank=True, validators=[validators.validate_bic])
    # Late-payment terms: empty rate and fee mean the statutory ones of the country pack
    # (relance.countries); a value is the contract's, used and cited instead.
    late_interest_rate = models.DecimalField(
        _("contractual late-payment interest rate (% per year)"),
        max_digits=6,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("Empty: the statutory rate of the country's law, per half-year."),
    )
    recovery_fee = models.DecimalField(
        _("contractual fixed recovery fee per invoice"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "Empty: the statutory compensation of the country's law (40 EUR in the EU; "
            "£40, £70 or £100 in the United Kingdom depending on the invoice)."
        ),
    )
    late_terms_country = models.CharField(
        _("late-payment law of"),
        max_length=10,
        choices=LateTermsCountry.choices,
        default=LateTermsCountry.ENTITY,
        help_text=_("Whose country's law sets the interest, the fee and the legal mentions."),
    )
    working_days = models.CharField(
        _("working days"),
        max_length=27,
        default=DEFAULT_WORKING_DAYS,
        validators=[validators.validate_working_days],
    )
    holidays_country = models.CharField(
        _("public holidays of"),
        max_length=2,
        blank=True,
        help_text=_("Country whose public holidays are not working days; empty for none."),
    )
    default_scenario = models.ForeignKey(
        "scenarios.Scenario",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="default_for_entities",
        verbose_name=_("default scenario"),
        help_text=_("For customers that no segment holds."),
    )
    two_factor_required = models.BooleanField(
        _("two-factor authentication required"),
        default=False,
        help_text=_(
            "Administrators and credit managers who see this entity must log in with a code "
            "from an authenticator app; those without one are sent to set it up first."
        ),
    )
    # The customer's page (portal app): its look, and what customers may do there.
    brand_color = models.CharField(
        _("brand colour"),
        max_length=7,
        default="#0d6efd",
        validators=[validators.validate_hex_color],
        help_text=_("The colour of buttons and headings on the customer's page, e.g. #0d6efd."),
    )
    legal_footer = models.TextField(
        _("legal footer"),
        blank=True,
        help_text=_("Shown at the foot of the customer's page and of statements."),
    )
    portal_link_days = models.PositiveSmallIntegerField(
        _("customer page links valid for (days)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
    )
    promise_max_days = models.PositiveSmallIntegerField(
        _("latest promised payment date (days ahead)"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("How far ahead a customer may promise to pay on their page."),
    )
    # Listening to email (inbound app): replies come back to the reply-to address, tagged
    # per message by plus-addressing; a human reply pauses the automatic dunning.
    reply_plus_addressing = models.BooleanField(
        _("tag the reply-to address per message"),
        default=True,
        help_text=_(
            "Replies go to relances+<tag>@domain, which traces each one back to its message. "
            "The mailbox must accept plus-addressing (most do)."
        ),
    )
    pause_on_reply = models.BooleanField(
        _("pause automatic dunning on a reply"),
        default=True,
        help_text=_(
            "A customer's email reply holds their automatic messages until a collector handles it."
        ),
    )
    reply_pause_max_days = models.PositiveSmallIntegerField(
        _("longest pause after a reply (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    # When automatic messages may leave (the send tick, engine/sendtick.py): local time,
    # working days only.
    sending_start = models.TimeField(
        _("send automatic messages from"),
        default=time(8, 0),
        help_text=_("Local time, on working days only."),
    )
    sending_end = models.TimeField(
        _("send automatic messages until"),
        default=time(19, 0),
        help_text=_("Local time: nothing leaves at or after it until the next working day."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EntityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("entity")
        verbose_name_plural = _("entities")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if (
            self.holidays_country
            and self.holidays_country not in holidays.list_supported_countries()
        ):
            raise ValidationError(
                {
                    "holidays_country": _("No public holiday calendar for %(cc)s.")
                    % {"cc": self.holidays_country}
                }
            )
        if self.bic and not self.iban:
            raise ValidationError({"iban": _("An IBAN is required with a BIC.")})
        if self.sending_start and self.sending_end and self.sending_end <= self.sending_start:
            raise ValidationError(
                {
                    "sending_end": _(
                        "The end of the sending hours must come after their start (%(start)s)."
                    )
                    % {"start": self.sending_start.strftime("%H:%M")}
                }
            )

    @cached_property
    def working_weekdays(self) -> frozenset[int]:
        return frozenset(WEEKDAY_CODES.index(code) for code in self.working_days.split(","))

    def is_working_day(self, day: date) -> bool:
        if day.weekday() not in self.working_weekdays:
            return False
        if not self.holidays_country:
            return True
        return day not in holidays.country_holidays(self.holidays_country, years=day.year)

    def local_now(self, now: datetime | None = None) -> datetime:
        """`now` (default: the clock) in the entity's time zone."""
        import zoneinfo

        from django.utils import timezone

        return (now or timezone.now()).astimezone(zoneinfo.ZoneInfo(self.time_zone))

    def in_sending_hours(self, now: datetime | None = None) -> bool:
        """Whether automatic messages may leave at `now`: a working day, in the entity's
        time zone, from `sending_start` (included) to `sending_end` (excluded)."""
        local = self.local_now(now)
        if not self.sending_start <= local.time().replace(tzinfo=None) < self.sending_end:
            return False
        return self.is_working_day(local.date())

    def next_sending_time(self, now: datetime | None = None) -> datetime:
        """The first moment from `now` (local time) at which messages may leave: `now`
        itself within the sending hours, else the next working day's `sending_start`."""
        local = self.local_now(now)
        if self.in_sending_hours(local):
            return local
        day = local.date()
        if local.time().replace(tzinfo=None) >= self.sending_start:
            day += timedelta(days=1)
        for _i in range(400):  # a year of holidays at most; working days are never empty
            if self.is_working_day(day):
                break
            day += timedelta(days=1)
        return datetime.combine(day, self.sending_start, tzinfo=local.tzinfo)

    def today(self) -> date:
        """Today's calendar date in the entity's time zone."""
        import zoneinfo

        from django.utils import timezone

        return timezone.now().astimezone(zoneinfo.ZoneInfo(self.time_zone)).date()


class IdempotentRequest(models.Model):
    """A write through the API made with an `Idempotency-Key` header: the same key again
    with the same body gets this stored answer instead of a second write (docs/api.md)."""

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    key = models.CharField(_("key"), max_length=255)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    status = models.PositiveSmallIntegerField(_("status"))
    body = models.JSONField(_("answer"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("idempotent request")
        verbose_name_plural = _("idempotent requests")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"],
                name="idempotent_request_one_per_key",
                violation_error_message=_("This idempotency key was already used."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key}"
