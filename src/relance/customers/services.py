"""Writes of customers made in the UI (imports write in bulk: ledger/importers)."""

from django.db import transaction

from relance.activity.services import contact_event_record
from relance.customers.models import Contact


@transaction.atomic
def contact_save(*, form, customer, acting_user=None) -> Contact:
    """A valid ContactForm saved for `customer`, and the change in the customer's timeline
    (the fields whose stored value changed: a number typed differently is no change)."""
    fields = list(form.Meta.fields)
    before = None
    if form.instance.pk is not None:
        before = Contact.objects.filter(pk=form.instance.pk).values(*fields).first()
    form.instance.customer = customer
    contact = form.save()
    changed = [name for name in fields if before and before[name] != getattr(contact, name)]
    contact_event_record(
        contact=contact, created=before is None, fields=changed, acting_user=acting_user
    )
    return contact
