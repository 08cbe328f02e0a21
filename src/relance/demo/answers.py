"""The demo's customers who answered through their page: for each entity, a few customers
reached by a message open the link it carried and answer in every way the page offers, so
that the agenda's Responses tab, its counter and the customers' timelines have something
to show. Through the portal's own services: the items change as a real answer changes them."""

from datetime import date, timedelta
from decimal import Decimal

from relance.agenda.choices import ActionStatus
from relance.agenda.models import Action
from relance.core.models import Entity
from relance.ledger.choices import ItemKind
from relance.ledger.models import Item
from relance.payments.choices import PaymentProvider
from relance.payments.models import Payment
from relance.payments.services import payment_complete
from relance.portal import services
from relance.portal.choices import CallbackSlot, DisputeReason

# What the customers write, in the entity's language.
TEXTS = {
    "fr": {
        "dispute": "Les quantités livrées ne correspondent pas au bon de commande.",
        "comment": "Notre service comptable est fermé jusqu'au 5, merci de votre patience.",
        "reference": "VIR-2026-0412",
        "contact": {"name": "Claire Martin", "email": "claire.martin@client.example"},
    },
    "en": {
        "dispute": "Two of the delivered items were damaged; we are waiting for a credit note.",
        "comment": "Our accounts payable team is closed until the 5th, thank you for waiting.",
        "reference": "BACS-2026-0412",
        "contact": {"name": "Claire Martin", "email": "claire.martin@client.example"},
    },
}
ANSWERS = ("dispute", "promise", "paid", "comment", "callback", "contact", "payment")


def demo_answers(*, entities: list[Entity], today: date | None = None) -> int:
    """Each entity's first customers with a sent message and open invoices answer, one kind
    each, through a link issued for that message. Answers how many responses."""
    made = 0
    for entity in entities:
        texts = TEXTS["fr" if entity.language == "fr" else "en"]
        customers = _answering_customers(entity, len(ANSWERS))
        for kind, (action, invoices) in zip(ANSWERS, customers, strict=False):
            url = services.portal_link_issue(customer=action.customer, action=action)
            link = services.portal_link_resolve(url.rstrip("/").rsplit("/", 1)[-1]).link
            services.portal_link_open(link=link)
            _answer(kind, link, invoices, entity, texts, today or entity.today())
            made += 1
    return made


def _answering_customers(entity: Entity, count: int) -> list[tuple[Action, list[Item]]]:
    found = []
    sent = (
        Action.objects.filter(entity=entity, status=ActionStatus.SENT)
        .select_related("customer__entity")
        .order_by("customer_id", "-finished_on")
    )
    seen = set()
    for action in sent.iterator():
        if action.customer_id in seen:
            continue
        seen.add(action.customer_id)
        invoices = list(
            Item.objects.filter(
                customer_id=action.customer_id,
                kind=ItemKind.INVOICE,
                open_amount__gt=0,
                disputed=False,
            ).order_by("due_date", "number")[:2]
        )
        if invoices:
            found.append((action, invoices))
        if len(found) == count:
            break
    return found


def _answer(kind: str, link, invoices: list[Item], entity: Entity, texts: dict, day) -> None:
    """One answer; the portal checks dates against the wall clock, the online payment is
    settled on the demo's `day` (its history ends there)."""
    today = entity.today()
    ids = [invoice.pk for invoice in invoices]
    if kind == "dispute":
        services.portal_dispute_open(
            link=link, item_ids=ids[:1], reason=DisputeReason.QUANTITY, text=texts["dispute"]
        )
    elif kind == "promise":
        services.portal_promise_record(
            link=link, item_ids=ids, promise_date=today + timedelta(days=10)
        )
    elif kind == "paid":
        amount = sum((invoice.open_amount for invoice in invoices[:1]), Decimal("0"))
        services.portal_payment_announce(
            link=link,
            item_ids=ids[:1],
            paid_on=today - timedelta(days=1),
            amount=amount,
            reference=texts["reference"],
        )
    elif kind == "comment":
        services.portal_comment_add(link=link, item_ids=[], body=texts["comment"])
    elif kind == "callback":
        phone = entity.phone or "+33 1 23 45 67 89"
        services.portal_callback_request(
            link=link, day=today + timedelta(days=1), slot=CallbackSlot.MORNING, phone=phone
        )
    elif kind == "contact":
        services.portal_contact_propose(link=link, contact=dict(texts["contact"]))
    else:
        _paid_online(link.customer, invoices[0], day)


def _paid_online(customer, invoice: Item, today: date) -> None:
    """A card payment as Stripe's webhook completes it (no provider is called: the demo
    records the session it would have created)."""
    payment = Payment.objects.create(
        entity_id=customer.entity_id,
        customer=customer,
        amount=invoice.open_amount,
        currency=invoice.currency,
        provider=PaymentProvider.STRIPE,
        provider_session_id=f"cs_demo_{invoice.pk}",
    )
    payment.items.set([invoice])
    cents = int(invoice.open_amount * 100)
    payment_complete(
        payment=payment,
        session={"amount_total": cents, "currency": invoice.currency.lower()},
        day=today,
    )
