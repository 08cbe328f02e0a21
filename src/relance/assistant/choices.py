from django.db import models
from django.utils.translation import gettext_lazy as _

from relance.portal.choices import DisputeReason

__all__ = ["DisputeReason", "Document", "Intent", "ProposalStatus"]


class Intent(models.TextChoices):
    """What a customer's answer means for the collection."""

    PROMISE = "promise", _("Promise to pay")
    DISPUTE = "dispute", _("Dispute")
    PAYMENT_MADE = "payment_made", _("Payment made")
    COPY_REQUEST = "copy_request", _("Request for a document")
    CONTACT_CHANGE = "contact_change", _("Change of contact")
    OUT_OF_OFFICE = "out_of_office", _("Out of office")
    CALLBACK = "callback", _("Call-back request")
    OTHER = "other", _("Other")


class Document(models.TextChoices):
    """What a copy request asks for."""

    INVOICE = "invoice", _("Copy of an invoice")
    STATEMENT = "statement", _("Statement of account")
    PURCHASE_ORDER = "purchase_order", _("Purchase order")
    BANK_DETAILS = "bank_details", _("Bank details")


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    CORRECTED = "corrected", _("Corrected")
    DISMISSED = "dismissed", _("Dismissed")
