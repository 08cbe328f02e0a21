"""The "Pay now" section, through the payments app's contract (payments/services.py:
transfer_instructions, checkout_available, checkout_start). Disputed items are never in
what the customer is asked to pay: the dispute comes first, then a corrected amount.
Without the payments app installed, the page offers no payment.
"""

import logging
from itertools import groupby

from relance.ledger.choices import ItemKind
from relance.portal.selectors import open_items

logger = logging.getLogger(__name__)


def _payments():
    try:
        from relance.payments import services
    except (ImportError, RuntimeError):  # not there yet, or not installed
        return None
    return services


def pay_now(customer) -> dict:
    """Per currency of the open items: how to pay them by transfer, and whether by card."""
    payments = _payments()
    if payments is None:
        return {"available": False, "transfers": [], "card": False}
    payable = open_items(customer).filter(disputed=False)
    items = sorted(payable, key=lambda item: item.currency)
    transfers = []
    for currency, group in groupby(items, key=lambda item: item.currency):
        group = list(group)
        if not any(item.kind == ItemKind.INVOICE for item in group):
            continue
        try:
            instructions = payments.transfer_instructions(customer.entity, group)
        except ValueError:
            continue
        if instructions.amount > 0 and instructions.iban:
            transfers.append(
                {"currency": currency, "ids": [i.pk for i in group], "info": instructions}
            )
    return {"available": True, "transfers": transfers, "card": payments.checkout_available()}


def start_checkout(customer, ids: list[str], page_url: str, language: str) -> str | None:
    """The provider's checkout address for the customer's own open items among `ids`."""
    payments = _payments()
    if payments is None or not ids or not payments.checkout_available():
        return None
    items = list(open_items(customer).filter(pk__in=ids, disputed=False))
    if len(items) != len(set(ids)):
        return None
    try:
        return payments.checkout_start(
            customer=customer,
            items=items,
            success_url=f"{page_url}?lang={language}&done=payment",
            cancel_url=f"{page_url}?lang={language}",
        )
    except Exception:  # the provider refused or is down: the page says so, the log has why
        logger.exception("checkout for customer %s could not start", customer.pk)
        return None
