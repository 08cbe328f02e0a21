"""Reads of received emails for the pages: every query goes through
`InboundEmail.objects.visible_to(user)`, so a user sees the emails of their entities only
and gets the same 404 for another entity's email as for a missing one."""

from django.db.models import Q, QuerySet

from relance.customers.models import Customer
from relance.inbound.choices import InboundStatus
from relance.inbound.models import InboundAttachment, InboundEmail

LIST_RELATED = ("entity",)
DETAIL_RELATED = ("entity", "customer", "action", "outbox", "response")
CUSTOMER_CHOICES_LIMIT = 20


def inbound_email_queryset(user) -> QuerySet:
    """Every received email `user` may see, the latest first."""
    return InboundEmail.objects.visible_to(user).order_by("-received_at", "-id")


def unassigned_emails(user) -> QuerySet:
    """The emails matched to no customer that `user` may attach (the Unassigned list): the
    partial index inbound_unassigned serves it."""
    return (
        inbound_email_queryset(user)
        .filter(status=InboundStatus.UNASSIGNED)
        .select_related(*LIST_RELATED)
        .defer("full_text", "details", "problems")
    )


def unassigned_email_count(user) -> int:
    return unassigned_emails(user).order_by().count()


def inbound_email_for_user(user, pk: int) -> InboundEmail:
    """One email with what its page shows (attachments in one more query)."""
    return (
        inbound_email_queryset(user)
        .select_related(*DETAIL_RELATED)
        .prefetch_related("attachments")
        .get_for_user(user, pk=pk)
    )


def inbound_attachment_for_user(user, pk: int) -> InboundAttachment:
    """One attachment of an email `user` may see (404 otherwise, whatever the reason)."""
    from django.http import Http404

    visible = InboundEmail.objects.visible_to(user).values("pk")
    attachment = (
        InboundAttachment.objects.select_related("email").filter(pk=pk, email__in=visible).first()
    )
    if attachment is None:
        raise Http404("No attachment matches the given query.")
    return attachment


def customer_choices(user, email: InboundEmail, query: str = "") -> QuerySet:
    """Customers of the email's entity that `user` sees, whose name or number contains
    `query`: the chooser of "Attach to a customer" (a few rows, never a whole entity)."""
    customers = Customer.objects.visible_to(user).filter(entity_id=email.entity_id)
    query = query.strip()
    if query:
        customers = customers.filter(Q(name__icontains=query) | Q(external_id__icontains=query))
    return customers.order_by("name", "id")[:CUSTOMER_CHOICES_LIMIT]


def suggested_customers(user, email: InboundEmail) -> list[Customer]:
    """The customers of the email's entity with a contact at the sender's domain (a
    colleague of a known contact wrote): proposed first in the chooser. Public webmail
    domains suggest nothing."""
    domain = email.sender.rpartition("@")[2].lower()
    if not domain or domain in WEBMAIL_DOMAINS:
        return []
    customers = Customer.objects.visible_to(user).filter(
        entity_id=email.entity_id, contacts__email__iendswith=f"@{domain}"
    )
    return list(customers.distinct().order_by("name", "id")[:5])


WEBMAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "hotmail.fr",
        "live.com",
        "live.fr",
        "yahoo.com",
        "yahoo.fr",
        "icloud.com",
        "me.com",
        "orange.fr",
        "wanadoo.fr",
        "free.fr",
        "sfr.fr",
        "laposte.net",
        "gmx.de",
        "gmx.net",
        "web.de",
        "t-online.de",
        "proton.me",
        "protonmail.com",
    }
)
