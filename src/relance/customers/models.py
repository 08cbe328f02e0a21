from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from relance.core import validators
from relance.core.choices import LANGUAGE_MAX_LENGTH, Language
from relance.core.querysets import EntityScopedQuerySet
from relance.customers.choices import ContactRole, CustomFieldType, GuaranteeKind


class Tag(models.Model):
    """A free label on customers ("key account", "public sector"), shared by all entities."""

    name = models.CharField(_("name"), max_length=50, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class CustomField(models.Model):
    """A typed field that administrators add to customers; values live in
    `Customer.custom_field_data` under `name`, as NetBox does."""

    name = models.SlugField(
        _("name"),
        max_length=50,
        unique=True,
        help_text=_("Key used in imports, filters and the API."),
    )
    label = models.CharField(_("label"), max_length=100)
    type = models.CharField(
        _("type"), max_length=10, choices=CustomFieldType.choices, default=CustomFieldType.TEXT
    )
    choices = models.JSONField(
        _("choices"), default=list, blank=True, help_text=_("Allowed values of a choice field.")
    )
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=100)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("custom field")
        verbose_name_plural = _("custom fields")

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        if self.type == CustomFieldType.SELECT and not self.choices:
            raise ValidationError({"choices": _("A choice field needs at least one choice.")})

    def to_python(self, raw):
        """The typed value of `raw` (a string from a file or a form); ValueError says why not."""
        from relance.customers.fields import parse_custom_value

        return parse_custom_value(self, raw)


class CustomerQuerySet(EntityScopedQuerySet):
    pass


class Customer(models.Model):
    """A debtor account of one entity, identified by the entity's own customer number."""

    entity = models.ForeignKey(
        "core.Entity", on_delete=models.PROTECT, related_name="customers", verbose_name=_("entity")
    )
    external_id = models.CharField(_("customer number"), max_length=50)
    name = models.CharField(_("name"), max_length=200)
    legal_id = models.CharField(
        _("legal id"), max_length=30, blank=True, help_text=_("SIREN, SIRET or VAT number.")
    )
    address_line1 = models.CharField(_("address"), max_length=200, blank=True)
    address_line2 = models.CharField(_("address (continued)"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, validators=[validators.validate_country])
    language = models.CharField(
        _("language"), max_length=LANGUAGE_MAX_LENGTH, choices=Language.choices
    )
    currency = models.CharField(
        _("currency"), max_length=3, validators=[validators.validate_currency]
    )
    collector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="customers",
        verbose_name=_("collector"),
    )
    category = models.CharField(_("category"), max_length=50, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="customers", verbose_name=_("tags"))
    custom_field_data = models.JSONField(_("custom fields"), default=dict, blank=True)
    credit_limit = models.DecimalField(
        _("credit limit"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    # Credit insurance and guarantees: what secures the debt, in the customer's currency.
    insurer = models.CharField(
        _("credit insurer"), max_length=100, blank=True, default="", db_default=""
    )
    insured_amount = models.DecimalField(
        _("insured amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    insurance_expires_on = models.DateField(_("insurance expiry"), null=True, blank=True)
    guarantee_kind = models.CharField(
        _("guarantee"),
        max_length=20,
        choices=GuaranteeKind.choices,
        blank=True,
        default="",
        db_default="",
    )
    guarantee_amount = models.DecimalField(
        _("guarantee amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    on_hold = models.BooleanField(_("on hold"), default=False)
    hold_reason = models.CharField(_("hold reason"), max_length=200, blank=True)
    hold_until = models.DateField(_("on hold until"), null=True, blank=True)
    scenario = models.ForeignKey(
        "scenarios.Scenario",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pinned_customers",
        verbose_name=_("scenario (set by hand)"),
        help_text=_("Overrides the scenario of the customer's segment."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CustomerQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "external_id"],
                name="customer_external_id_unique_per_entity",
                violation_error_message=_("This customer number is already used in this entity."),
            ),
            models.CheckConstraint(
                condition=models.Q(credit_limit__isnull=True)
                | models.Q(credit_limit__gte=Decimal("0")),
                name="customer_credit_limit_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(insured_amount__isnull=True)
                | models.Q(insured_amount__gte=Decimal("0")),
                name="customer_insured_amount_not_negative",
                violation_error_message=_("The insured amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=models.Q(guarantee_amount__isnull=True)
                | models.Q(guarantee_amount__gte=Decimal("0")),
                name="customer_guarantee_amount_not_negative",
                violation_error_message=_("The guarantee amount cannot be negative."),
            ),
        ]
        indexes = [
            models.Index(fields=["entity", "name"], name="customer_entity_name"),
            # The category filters list each entity's categories by probing this index
            # (selectors.customer_categories).
            models.Index(fields=["entity", "category"], name="customer_entity_category"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.external_id})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("customers:detail", args=[self.pk])

    def clean_credit_cover(self) -> None:
        """An insured amount names its insurer; a guarantee amount, its kind."""
        errors = {}
        if self.insured_amount is not None and not self.insurer:
            errors["insurer"] = _("Name the credit insurer of the insured amount.")
        if self.guarantee_amount is not None and not self.guarantee_kind:
            errors["guarantee_kind"] = _("Choose the kind of guarantee of this amount.")
        if errors:
            raise ValidationError(errors)

    def clean(self) -> None:
        self.clean_credit_cover()
        # A read-only collector would be given the customer's actions and could work none.
        if self.collector_id and not self.collector.can_edit:
            raise ValidationError(
                {
                    "collector": _("%(user)s is read-only: a read-only user cannot collect.")
                    % {"user": self.collector.username}
                }
            )


class ContactQuerySet(EntityScopedQuerySet):
    entity_path = "customer__entity"

    def collection(self):
        return self.filter(is_collection=True)


class Contact(models.Model):
    """A person at a customer; collection contacts receive the reminders."""

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("customer")
    )
    external_id = models.CharField(_("contact id"), max_length=50, blank=True)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, help_text=_("E.164"))
    mobile = models.CharField(_("mobile"), max_length=20, blank=True, help_text=_("E.164"))
    address_line1 = models.CharField(_("address"), max_length=200, blank=True)
    address_line2 = models.CharField(_("address (continued)"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    is_collection = models.BooleanField(_("collection"), default=False)
    is_billing = models.BooleanField(_("billing"), default=False)
    is_legal = models.BooleanField(_("legal"), default=False)
    is_other = models.BooleanField(_("other"), default=False)
    # Set when an email to this address bounced (delivery/bounces.py); cleared when the
    # address changes. Emails are no longer sent to an invalid address.
    email_invalid_reason = models.CharField(
        _("why the email address is invalid"),
        max_length=500,
        blank=True,
        default="",
        db_default="",  # the imports COPY contacts without this column (PostgreSQL)
    )
    email_invalid_at = models.DateTimeField(_("email address invalid since"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["customer", "last_name", "first_name", "id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "external_id"],
                condition=~models.Q(external_id=""),
                name="contact_external_id_unique_per_customer",
            ),
        ]
        indexes = [
            models.Index(fields=["customer", "email"], name="contact_customer_email"),
            # A received email's sender among an entity's contacts (inbound/matching.py:
            # email__iexact is UPPER(email) = UPPER(%s) on PostgreSQL).
            models.Index(Upper("email"), name="contact_email_upper"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email or self.external_id

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @property
    def roles(self) -> list[str]:
        return [role for role in ContactRole.values if getattr(self, f"is_{role}")]
