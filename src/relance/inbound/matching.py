"""Which customer (and action) a received email belongs to, by four rules tried in order:

1. In-Reply-To / References name a message this entity sent (Outbox.message_id);
2. a recipient address carries the Reply-To tag of such a message (delivery/replyto.py);
3. the sender is a contact of exactly one customer of the entity (case-insensitive);
4. the subject and text cite, as whole tokens, open items of exactly one customer (among the
   sender's customers when rule 3 found several).

A handful of queries per email whatever the size of the ledger: each rule is one query over
the values the email carries, never a query per item or per contact."""

import re
from dataclasses import dataclass

from relance.agenda.models import Action
from relance.customers.models import Contact
from relance.delivery.models import Outbox
from relance.delivery.replyto import key_of_address
from relance.inbound.choices import MatchedBy
from relance.ledger.models import Item
from relance.scenarios.choices import StepChannel

# A candidate invoice number: a run of letters and digits, with . _ / - inside, holding a
# digit. "F-001," gives "F-001"; "F-001/F-002" gives itself and both halves.
TOKEN = re.compile(r"[0-9A-Za-z](?:[0-9A-Za-z._/-]*[0-9A-Za-z])?")
MAX_TOKENS = 10_000  # a long forwarded thread is cut, not read to the end (one IN query)
MAX_NUMBER_LENGTH = 50  # Item.number's length
SENT_TEXT = ("body", "html", "proof")  # what an Outbox row holds of the message: not needed


@dataclass
class Match:
    customer_id: int | None = None
    action_id: int | None = None
    outbox: Outbox | None = None
    matched_by: str = ""
    invoice_numbers: tuple[str, ...] = ()  # the open items cited (rule 4), for the record
    action: Action | None = None  # loaded with its customer, when known: no query later

    @property
    def customer(self):
        return self.action.customer if self.action is not None else None


def _outbox_by_message_ids(entity, parsed) -> Outbox | None:
    """The sent message the email answers: the first In-Reply-To that is ours, else the
    latest of its References that is."""
    ids = [i for i in (*parsed.in_reply_to, *reversed(parsed.references)) if i]
    if not ids:
        return None
    rows = {
        row.message_id: row
        for row in Outbox.objects.filter(message_id__in=ids[:100], action__entity=entity)
        .select_related("action__customer")
        .defer(*SENT_TEXT)
        .order_by("id")
    }
    return next((rows[i] for i in ids if i in rows), None)


def outbox_by_tag(entity, parsed) -> Outbox | None:
    keys = [k for k in (key_of_address(a) for a in parsed.to) if k]
    if not keys:
        return None
    return (
        Outbox.objects.filter(key__in=keys, action__entity=entity)
        .select_related("action__customer")
        .defer(*SENT_TEXT)
        .order_by("-id")
        .first()
    )


def _sender_customers(entity, sender: str) -> list[int]:
    if not sender:
        return []
    rows = Contact.objects.filter(customer__entity=entity, email__iexact=sender)
    return sorted(set(rows.values_list("customer_id", flat=True)))


def invoice_tokens(*texts: str) -> set[str]:
    """Every whole token of `texts` that could be an invoice number, as written and in
    upper case (numbers are stored as the ledger writes them, mostly upper case)."""
    tokens: set[str] = set()
    for text in texts:
        for match in TOKEN.finditer(text or ""):
            run = match.group()
            parts = [run, *run.split("/")] if "/" in run else [run]
            for part in parts:
                part = part.strip("._-")
                if part and len(part) <= MAX_NUMBER_LENGTH and any(c.isdigit() for c in part):
                    tokens.update((part, part.upper()) if not part.isupper() else (part,))
            if len(tokens) >= MAX_TOKENS:
                return tokens
    return tokens


def _customers_by_invoice(entity, parsed, among: list[int]) -> tuple[list[int], list[str]]:
    tokens = invoice_tokens(parsed.subject, parsed.text)
    if not tokens:
        return [], []
    items = Item.objects.filter(entity=entity, number__in=tokens).open()
    if among:
        items = items.filter(customer_id__in=among)
    rows = list(items.values_list("customer_id", "number").order_by("number"))
    return sorted({c for c, _n in rows}), [n for _c, n in rows]


def last_email_action(customer_id: int) -> Action | None:
    """The action of the last email sent to this customer (with its customer): what a
    reply found by its sender or an invoice number most likely answers."""
    outbox = (
        Outbox.objects.filter(action__customer_id=customer_id, channel=StepChannel.EMAIL)
        .select_related("action__customer")
        .defer(*SENT_TEXT)
        .order_by("-id")
        .first()
    )
    return outbox.action if outbox is not None else None


def from_outbox(outbox: Outbox, matched_by: str) -> Match:
    action = outbox.action
    return Match(action.customer_id, action.pk, outbox, matched_by, action=action)


def _to_customer(customer_id: int, matched_by: str, numbers=()) -> Match:
    action = last_email_action(customer_id)
    action_id = action.pk if action is not None else None
    return Match(customer_id, action_id, None, matched_by, tuple(numbers), action=action)


def match(entity, parsed) -> Match:
    """The customer and action `parsed` (a ParsedEmail) is about, and the rule that said
    so; an empty Match when no rule finds exactly one customer."""
    outbox = _outbox_by_message_ids(entity, parsed)
    if outbox is not None:
        return from_outbox(outbox, MatchedBy.IN_REPLY_TO)
    outbox = outbox_by_tag(entity, parsed)
    if outbox is not None:
        return from_outbox(outbox, MatchedBy.TOKEN)
    senders = _sender_customers(entity, parsed.sender)
    if len(senders) == 1:
        return _to_customer(senders[0], MatchedBy.SENDER)
    customers, numbers = _customers_by_invoice(entity, parsed, senders)
    if len(customers) == 1:
        return _to_customer(customers[0], MatchedBy.INVOICE, numbers)
    return Match()
