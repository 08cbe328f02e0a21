"""How a customer pays from their page: the bank transfer's instructions (with an EPC QR
code a banking app scans) and the online payment through a provider (Stripe Checkout),
which the provider's webhook then completes. Amounts are Decimal, in one currency."""

import hashlib
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import segno
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import iso11649
from stdnum.iso7064 import mod_97_10

from relance.agenda.choices import ResponseChannel, ResponseKind
from relance.agenda.models import CustomerResponse
from relance.ledger.choices import ItemKind
from relance.ledger.models import Item
from relance.ledger.services import items_settle
from relance.payments import gateway
from relance.payments.choices import PaymentProvider, PaymentStatus
from relance.payments.models import Payment

logger = logging.getLogger(__name__)

# ISO 11649: "RF", two check digits, then up to 21 letters or digits.
REFERENCE_BODY_MAX = 21
# Stripe counts these currencies in units, and these in thousandths; others in cents.
ZERO_DECIMAL_CURRENCIES = frozenset(
    {"BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV"}
    | {"XAF", "XOF", "XPF"}
)
THREE_DECIMAL_CURRENCIES = frozenset({"BHD", "JOD", "KWD", "OMR", "TND"})
# The amounts an EPC QR code can carry.
EPC_MIN, EPC_MAX = Decimal("0.01"), Decimal("999999999.99")
# Stripe's limit on a metadata value.
METADATA_VALUE_MAX = 500


@dataclass(frozen=True)
class TransferInstructions:
    beneficiary: str
    iban: str
    bic: str
    amount: Decimal
    currency: str
    reference: str
    qr_svg: str | None


@dataclass(frozen=True)
class Selection:
    """The open items a customer chose, checked to be of one customer and one currency."""

    customer: Any
    currency: str
    items: list[Item]
    amount: Decimal


def _selection(items: Iterable[Item], *, entity_id: int | None = None) -> Selection:
    items = list(items)
    if not items:
        raise ValueError("No items: choose at least one invoice.")
    if len({item.customer_id for item in items}) > 1:
        raise ValueError("The items belong to several customers: one customer at a time.")
    currencies = {item.currency for item in items}
    if len(currencies) > 1:
        names = ", ".join(sorted(currencies))
        raise ValueError(f"The items are in several currencies ({names}): one currency at a time.")
    if entity_id is not None and any(item.entity_id != entity_id for item in items):
        raise ValueError("The items belong to another entity.")
    # Items paid online and awaiting reconciliation are owed no more: asking for them again
    # (a second card payment, a QR code for the same amount) would have them paid twice.
    open_items = [
        item for item in items if item.open_amount > 0 and item.payment_pending_since is None
    ]
    # Invoices are owed by the customer; credit notes and unapplied payments reduce the sum.
    total = sum(
        (
            item.open_amount if item.kind == ItemKind.INVOICE else -item.open_amount
            for item in open_items
        ),
        Decimal("0.00"),
    )
    return Selection(
        customer=items[0].customer,
        currency=currencies.pop(),
        items=sorted(open_items, key=lambda item: (item.kind != ItemKind.INVOICE, item.number)),
        amount=max(total, Decimal("0.00")),
    )


def _alphanumeric(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", text.upper())


def creditor_reference(customer, items: list[Item]) -> str:
    """An ISO 11649 reference ("RF…") the bank passes on untouched, so that reconciliation
    finds the customer: their number, followed by the invoice's number when the transfer
    pays one invoice and both fit; `C<customer id>` when the number does not fit."""
    body = _alphanumeric(customer.external_id)
    if len(items) == 1:
        with_item = body + _alphanumeric(items[0].number)
        if len(with_item) <= REFERENCE_BODY_MAX:
            body = with_item
    if not body or len(body) > REFERENCE_BODY_MAX:
        body = f"C{customer.pk}"
    reference = "RF" + mod_97_10.calc_check_digits(body + "RF") + body
    return iso11649.validate(reference)


def epc_payload(*, beneficiary: str, iban: str, bic: str, amount: Decimal, reference: str) -> str:
    """The text of an EPC QR code (EPC069-12, version 002, UTF-8): a SEPA credit transfer
    a banking app fills in from the camera, with the structured reference."""
    return "\n".join(
        [
            "BCD",
            "002",
            "1",  # UTF-8
            "SCT",
            bic,
            " ".join(beneficiary.split())[:70],  # one line of at most 70 characters
            iban,
            f"EUR{amount:.2f}",
            "",  # purpose
            reference,
        ]
    )


def epc_qr(payload: str) -> segno.QRCode:
    # The EPC asks for error correction M and at most version 13.
    return segno.make_qr(payload.encode("utf-8"), error="m", boost_error=False)


def epc_svg(payload: str) -> str:
    """The QR code as an <svg> element to put in the page as it is. It has a viewBox and
    no size: it takes the width of its container, which the page sets."""
    return epc_qr(payload).svg_inline(
        omitsize=True, svgclass="epc-qr", title=_("Pay by bank transfer")
    )


def transfer_instructions(entity, items) -> TransferInstructions:
    """What the customer needs to pay the given items by bank transfer: the entity's bank
    details, the amount due (open invoices less open credits, never below zero) and a
    reference; a QR code for SEPA banking apps when the amount is in euros to an IBAN."""
    selection = _selection(items, entity_id=entity.pk)
    reference = creditor_reference(selection.customer, selection.items)
    iban = entity.iban.replace(" ", "").upper()
    bic = entity.bic.replace(" ", "").upper()
    qr_svg = None
    if selection.currency == "EUR" and iban and EPC_MIN <= selection.amount <= EPC_MAX:
        payload = epc_payload(
            beneficiary=entity.name,
            iban=iban,
            bic=bic,
            amount=selection.amount,
            reference=reference,
        )
        qr_svg = epc_svg(payload)
    return TransferInstructions(
        beneficiary=entity.name,
        iban=iban,
        bic=bic,
        amount=selection.amount,
        currency=selection.currency,
        reference=reference,
        qr_svg=qr_svg,
    )


def checkout_available() -> bool:
    """Whether the customer's page may offer to pay online (a provider is configured)."""
    return gateway.configured()


def _minor_units(amount: Decimal, currency: str) -> int:
    if currency in ZERO_DECIMAL_CURRENCIES:
        exponent = 0
    elif currency in THREE_DECIMAL_CURRENCIES:
        exponent = 3
    else:
        exponent = 2
    minor = amount.scaleb(exponent)
    if minor != minor.to_integral_value():
        raise ValueError(f"{amount} {currency}: not a whole number of the currency's units.")
    return int(minor)


def _line_items(selection: Selection) -> list[dict[str, Any]]:
    """One line per invoice; one line naming them all when credits reduce the sum (Stripe
    refuses negative lines)."""
    currency = selection.currency.lower()
    invoices = [item for item in selection.items if item.kind == ItemKind.INVOICE]
    if len(invoices) == len(selection.items):
        lines = [
            (_("Invoice %(number)s") % {"number": item.number}, item.open_amount)
            for item in invoices
        ]
    else:
        credits = [item.number for item in selection.items if item.kind != ItemKind.INVOICE]
        name = _("Invoices %(invoices)s, less %(credits)s") % {
            "invoices": ", ".join(item.number for item in invoices),
            "credits": ", ".join(credits),
        }
        lines = [(name[:250], selection.amount)]
    return [
        {
            "quantity": 1,
            "price_data": {
                "currency": currency,
                "unit_amount": _minor_units(amount, selection.currency),
                "product_data": {"name": name},
            },
        }
        for name, amount in lines
    ]


def _metadata(customer, selection: Selection) -> dict[str, str]:
    """The customer and item ids, so that Stripe's dashboard leads back to them; item ids
    spill over into item_ids_2, item_ids_3... past Stripe's 500 characters a value."""
    metadata = {"customer_id": str(customer.pk), "entity_id": str(customer.entity_id)}
    chunk, key_number = [], 1
    for item in selection.items:
        if len(",".join([*chunk, str(item.pk)])) > METADATA_VALUE_MAX:
            metadata["item_ids" if key_number == 1 else f"item_ids_{key_number}"] = ",".join(chunk)
            chunk, key_number = [], key_number + 1
        chunk.append(str(item.pk))
    metadata["item_ids" if key_number == 1 else f"item_ids_{key_number}"] = ",".join(chunk)
    return metadata


def _idempotency_key(customer, selection: Selection) -> str:
    """The same selection at the same amounts on the same day gives the same key: two
    clicks open one session; a changed selection or amount opens a new one."""
    parts = [
        str(customer.pk),
        selection.currency,
        str(selection.amount),
        timezone.now().date().isoformat(),
        *(f"{item.pk}:{item.open_amount}" for item in selection.items),
    ]
    return "relance-checkout-" + hashlib.sha256("|".join(parts).encode()).hexdigest()[:40]


def checkout_start(*, customer, items, success_url: str, cancel_url: str) -> str:
    """Opens a provider checkout session for the amount due on the given items, records it
    as a Payment and answers the address to send the customer to. Raises ValueError for a
    selection that cannot be paid, gateway.ProviderError when the provider refuses."""
    selection = _selection(items, entity_id=customer.entity_id)
    if selection.customer.pk != customer.pk:
        raise ValueError("The items belong to another customer.")
    if selection.amount <= 0:
        raise ValueError("Nothing to pay: the credits cover the invoices.")
    session = gateway.session_create(
        {
            "mode": "payment",
            "success_url": success_url,
            "cancel_url": cancel_url,
            "client_reference_id": f"customer-{customer.pk}",
            "line_items": _line_items(selection),
            "metadata": _metadata(customer, selection),
            "payment_intent_data": {"metadata": _metadata(customer, selection)},
        },
        idempotency_key=_idempotency_key(customer, selection),
    )
    with transaction.atomic():
        # A double click gets the same session back from Stripe: one Payment for it.
        payment, created = Payment.objects.get_or_create(
            provider=PaymentProvider.STRIPE,
            provider_session_id=session.id,
            defaults={
                "entity_id": customer.entity_id,
                "customer": customer,
                "amount": selection.amount,
                "currency": selection.currency,
            },
        )
        if created:
            payment.items.set(selection.items)
    return session.url


def _session_matches(payment: Payment, session: dict[str, Any]) -> bool:
    amount_total = session.get("amount_total")
    currency = str(session.get("currency") or "").upper()
    return currency == payment.currency and amount_total == _minor_units(
        payment.amount, payment.currency
    )


def payment_complete(
    *, payment: Payment, session: dict[str, Any], day: date | None = None
) -> Payment:
    """The provider was paid: the items are settled on the entity's today (their open
    amount to 0, with its history, as an import would), they wait for the ERP's
    reconciliation (an import still showing them open does not reopen them) and the agenda
    shows the payment as a customer response. A replayed event finds the payment completed
    and changes nothing. `day`: the day settled (the demo's day), default the entity's today."""
    if not _session_matches(payment, session):
        logger.error(
            "Stripe session %s: paid %s %s, expected %s %s; left for a person to check",
            payment.provider_session_id,
            session.get("amount_total"),
            session.get("currency"),
            payment.amount,
            payment.currency,
        )
        return payment
    now = timezone.now()
    with transaction.atomic():
        # The conditional update is the guard: of two deliveries of the event at once, or a
        # replay, exactly one finds the payment not yet completed.
        claimed = (
            Payment.objects.filter(pk=payment.pk)
            .exclude(status=PaymentStatus.COMPLETED)
            .update(status=PaymentStatus.COMPLETED, completed_at=now)
        )
        payment.refresh_from_db()
        if not claimed:
            return payment
        items = list(payment.items.all())
        Item.objects.filter(pk__in=[item.pk for item in items]).update(payment_pending_since=now)
        items_settle(
            entity=payment.entity,
            item_ids=[item.pk for item in items],
            day=day or payment.entity.today(),
        )
        response = CustomerResponse.objects.create(
            entity_id=payment.entity_id,
            customer_id=payment.customer_id,
            received_at=now,
            channel=ResponseChannel.PORTAL,
            kind=ResponseKind.PAYMENT,
            author=payment.get_provider_display(),
            body=_("Paid %(amount)s %(currency)s online (%(provider)s) for %(items)s.")
            % {
                "amount": payment.amount,
                "currency": payment.currency,
                "provider": payment.get_provider_display(),
                "items": ", ".join(item.number for item in items),
            },
            details={
                "amount": str(payment.amount),
                "currency": payment.currency,
                "provider": payment.provider,
                "session_id": payment.provider_session_id,
            },
        )
        response.items.set(items)
    return payment


def payment_close(*, payment: Payment, status: str) -> Payment:
    """The session expired or its payment failed: nothing was paid, the items stay due."""
    with transaction.atomic():
        updated = Payment.objects.filter(pk=payment.pk, status=PaymentStatus.CREATED).update(
            status=status
        )
    if updated:
        payment.status = status
    return payment


def stripe_event_handle(event: dict[str, Any]) -> Payment | None:
    """Applies a verified Stripe event to the payment of its session; events of other
    types, or of sessions this installation did not open, are ignored."""
    data = event.get("data")
    session = data.get("object") if isinstance(data, dict) else None
    if not isinstance(session, dict) or not isinstance(session.get("id"), str):
        return None
    payment = Payment.objects.filter(
        provider=PaymentProvider.STRIPE, provider_session_id=session["id"]
    ).first()
    if payment is None:
        return None
    kind = event["type"]
    paid = session.get("payment_status") in ("paid", "no_payment_required")
    if kind == "checkout.session.completed" and paid:
        return payment_complete(payment=payment, session=session)
    if kind == "checkout.session.async_payment_succeeded":
        return payment_complete(payment=payment, session=session)
    if kind == "checkout.session.async_payment_failed":
        return payment_close(payment=payment, status=PaymentStatus.FAILED)
    if kind == "checkout.session.expired":
        return payment_close(payment=payment, status=PaymentStatus.EXPIRED)
    return None
