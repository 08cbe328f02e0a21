"""Writes of customers made in the UI (imports write in bulk: ledger/importers)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from relance.activity.choices import EventKind
from relance.activity.services import (
    contact_event_record,
    customer_event_record,
    holds_ended_record,
)
from relance.customers.models import Contact, Customer

HOLD_FIELDS = ["on_hold", "hold_reason", "hold_until", "updated_at"]
CREDIT_COVER_FIELDS = (
    "insurer",
    "insured_amount",
    "insurance_expires_on",
    "guarantee_kind",
    "guarantee_amount",
)


@transaction.atomic
def contact_save(*, form, customer, acting_user=None) -> Contact:
    """A valid ContactForm saved for `customer`, and the change in the customer's timeline
    (the fields whose stored value changed: a number typed differently is no change)."""
    fields = list(form.Meta.fields)
    before = None
    if form.instance.pk is not None:
        before = Contact.objects.filter(pk=form.instance.pk).values(*fields).first()
    form.instance.customer = customer
    if before and before["email"].strip().lower() != form.instance.email.strip().lower():
        _email_mark_clear(form.instance)  # a new address: nothing bounced from it yet
    contact = form.save()
    changed = [name for name in fields if before and before[name] != getattr(contact, name)]
    contact_event_record(
        contact=contact, created=before is None, fields=changed, acting_user=acting_user
    )
    return contact


def _email_mark_clear(contact: Contact) -> None:
    contact.email_invalid_reason, contact.email_invalid_at = "", None


@transaction.atomic
def contact_email_revalidate(*, contact: Contact, acting_user=None) -> Contact:
    """A user vouches for an address marked invalid after a bounce (the mailbox was full,
    the customer fixed it on their side): emails go to it again from the next run. The
    change goes to the customer's timeline as a contact change."""
    contact = (
        Contact.objects.select_for_update().select_related("customer__entity").get(pk=contact.pk)
    )
    if contact.email_invalid_at is None and not contact.email_invalid_reason:
        return contact
    _email_mark_clear(contact)
    contact.save(update_fields=["email_invalid_reason", "email_invalid_at", "updated_at"])
    contact_event_record(
        contact=contact, created=False, fields=["email_invalid_at"], acting_user=acting_user
    )
    return contact


def _locked_customer(customer: Customer) -> Customer:
    return Customer.objects.select_for_update().select_related("entity").get(pk=customer.pk)


@transaction.atomic
def customer_hold(
    *, customer: Customer, reason: str, until: date | None = None, acting_user=None
) -> Customer:
    """Put `customer` on hold: the next engine run cancels its open action ("on hold")
    and plans nothing until it is released or `until` (a day of the entity's calendar,
    today or later) has passed. Holding a held customer changes its reason or end date."""
    customer = _locked_customer(customer)
    reason = " ".join((reason or "").split())
    errors = {}
    if not reason:
        errors["reason"] = _("Say why the customer is put on hold.")
    elif len(reason) > Customer._meta.get_field("hold_reason").max_length:
        errors["reason"] = _("The reason is too long (200 characters at most).")
    if until is not None and until < customer.entity.today():
        errors["until"] = _("The end of the hold cannot be in the past.")
    if errors:
        raise ValidationError(errors)
    customer.on_hold, customer.hold_reason, customer.hold_until = True, reason, until
    customer.save(update_fields=HOLD_FIELDS)
    customer_event_record(
        customer=customer,
        kind=EventKind.CUSTOMER_HELD,
        acting_user=acting_user,
        reason=reason,
        until=until.isoformat() if until else "",
    )
    return customer


def holds_expire(*, entity, day: date) -> int:
    """Release the customers whose hold ended before `day`, so that pages, segments and
    alerts stop calling them held (the engine already plans for them from the day after
    the end date). Set-based: one read, and when some ended one update and one insert of
    timeline events in a transaction."""
    ended = Customer.objects.filter(entity=entity, on_hold=True, hold_until__lt=day)
    expired = dict(ended.values_list("pk", "hold_until"))
    if expired:
        with transaction.atomic():
            ended.filter(pk__in=expired).update(
                on_hold=False, hold_reason="", hold_until=None, updated_at=timezone.now()
            )
            holds_ended_record(entity=entity, customer_ids=expired, day=day)
    return len(expired)


@transaction.atomic
def customer_release(*, customer: Customer, acting_user=None) -> Customer:
    """Take `customer` off hold: the next engine run plans its reminders again."""
    customer = _locked_customer(customer)
    if not customer.on_hold:
        raise ValidationError(_("This customer is not on hold."))
    customer.on_hold, customer.hold_reason, customer.hold_until = False, "", None
    customer.save(update_fields=HOLD_FIELDS)
    customer_event_record(
        customer=customer, kind=EventKind.CUSTOMER_RELEASED, acting_user=acting_user
    )
    return customer


@transaction.atomic
def customer_credit_cover_update(*, customer: Customer, acting_user=None, **fields) -> Customer:
    """Change the customer's credit insurance and guarantee (`fields` among
    CREDIT_COVER_FIELDS), checked before saving; the changed fields go to its timeline."""
    unknown = set(fields) - set(CREDIT_COVER_FIELDS)
    if unknown:
        raise TypeError(f"not credit cover fields: {', '.join(sorted(unknown))}")
    customer = Customer.objects.select_for_update().select_related("entity").get(pk=customer.pk)
    changed = [name for name, value in fields.items() if getattr(customer, name) != value]
    for name in changed:
        setattr(customer, name, fields[name])
    if not changed:
        return customer
    others = [f.name for f in Customer._meta.fields if f.name not in CREDIT_COVER_FIELDS]
    customer.clean_fields(exclude=others)
    customer.clean_credit_cover()
    customer.validate_constraints(exclude=others)
    customer.save(update_fields=[*changed, "updated_at"])
    customer_event_record(
        customer=customer,
        kind=EventKind.CREDIT_COVER_CHANGED,
        acting_user=acting_user,
        fields=changed,
    )
    return customer
