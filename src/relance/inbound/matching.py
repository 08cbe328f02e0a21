"""Which customer (and action) a received email belongs to, by four rules tried in order:

1. In-Reply-To / References name a message this entity sent (Outbox.message_id);
2. a recipient address carries the Reply-To tag of such a message (delivery/replyto.py);
3. the sender is a contact of exactly one customer of the entity (case-insensitive);
4. the subject and text cite, as whole tokens, open items of exactly one customer (among the
   sender's customers when rule 3 found several).

A handful of queries per batch of emails whatever the size of the ledger (Known: each rule
is one query over the values the batch carries), never a query per item or per contact;
only rule 4 is one query per email that gets that far."""

import re
from dataclasses import dataclass

from django.db.models import Max
from django.db.models.functions import Upper

from relance.agenda.models import Action
from relance.customers.models import Contact, Customer
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


def _answered_ids(parsed) -> list[str]:
    """The Message-IDs an email answers, most telling first: its In-Reply-To, then its
    References from the latest (at most 100: a hostile header is not a query's worth)."""
    return [i for i in (*parsed.in_reply_to, *reversed(parsed.references)) if i][:100]


def _sent():
    return Outbox.objects.select_related("action__customer").defer(*SENT_TEXT)


def _tags(parsed) -> list[str]:
    return [k for k in (key_of_address(a) for a in parsed.to) if k]


class Known:
    """What matching a batch of emails asks of the database, read for the whole batch in
    a few queries instead of a few per email: the sent messages they answer (or that
    bounced), the tagged messages their recipients name, their senders' customers, and
    those customers' last emailed action. A fetch of a hundred messages costs a handful
    of queries here, whatever the ledger's size; what the batch did not foresee (a
    customer found by an invoice number) is read when asked, once."""

    def __init__(self, entity, emails=()):
        self.entity = entity
        emails = [e for e in emails if e is not None]
        ids = {i for e in emails for i in _answered_ids(e)}
        ids.update(e.bounce.original_message_id for e in emails if e.bounce is not None)
        ids.discard("")
        self.sent = self._rows("message_id", ids)
        self.tagged = self._rows("key", {k for e in emails for k in _tags(e)})
        senders = {e.sender.upper() for e in emails if e.sender}
        self.senders: dict[str, list[int]] = {}
        if senders:
            rows = (
                Contact.objects.filter(customer__entity=entity)
                .annotate(address=Upper("email"))
                .filter(address__in=senders)
                .values_list("address", "customer_id")
            )
            for address, customer_id in rows:
                self.senders.setdefault(address, []).append(customer_id)
        self.actions: dict[int, Action | None] = {}
        self.customers: dict[int, Customer] = {}
        self._actions_read(ids for ids in self.senders.values() if len(set(ids)) == 1)

    def _rows(self, field: str, values: set[str]) -> dict[str, Outbox]:
        """{value: the latest sent message with it} of this entity's sent messages."""
        if not values:
            return {}
        rows = _sent().filter(**{f"{field}__in": values}, action__entity=self.entity)
        return {getattr(row, field): row for row in rows.order_by("id")}  # the latest wins

    def _actions_read(self, groups) -> None:
        """The last emailed action of these customers (and those with none, themselves)."""
        wanted = {group[0] for group in groups} - self.actions.keys()
        if not wanted:
            return
        latest = (
            Outbox.objects.filter(action__customer_id__in=wanted, channel=StepChannel.EMAIL)
            .values("action__customer_id")
            .annotate(last=Max("id"))
            .values("last")
        )
        for outbox in _sent().filter(pk__in=latest):
            self.actions[outbox.action.customer_id] = outbox.action
        missing = wanted - self.actions.keys()
        for customer in Customer.objects.filter(pk__in=missing):
            self.actions[customer.pk], self.customers[customer.pk] = None, customer

    def answered(self, parsed) -> Outbox | None:
        """The sent message the email answers: the first In-Reply-To that is ours, else the
        latest of its References that is."""
        return next((self.sent[i] for i in _answered_ids(parsed) if i in self.sent), None)

    def by_tag(self, parsed) -> Outbox | None:
        rows = [self.tagged[k] for k in _tags(parsed) if k in self.tagged]
        return max(rows, key=lambda row: row.pk) if rows else None

    def sender_customers(self, sender: str) -> list[int]:
        return sorted(set(self.senders.get(sender.upper(), []))) if sender else []

    def last_email_action(self, customer_id: int) -> Action | None:
        self._actions_read([[customer_id]])
        return self.actions[customer_id]

    def customer(self, customer_id: int) -> Customer:
        action = self.last_email_action(customer_id)
        return action.customer if action is not None else self.customers[customer_id]


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
        _sent()
        .filter(action__customer_id=customer_id, channel=StepChannel.EMAIL)
        .order_by("-id")
        .first()
    )
    return outbox.action if outbox is not None else None


def from_outbox(outbox: Outbox, matched_by: str) -> Match:
    action = outbox.action
    return Match(action.customer_id, action.pk, outbox, matched_by, action=action)


def _to_customer(known: Known, customer_id: int, matched_by: str, numbers=()) -> Match:
    action = known.last_email_action(customer_id)
    action_id = action.pk if action is not None else None
    return Match(customer_id, action_id, None, matched_by, tuple(numbers), action=action)


def match(entity, parsed, known: Known | None = None) -> Match:
    """The customer and action `parsed` (a ParsedEmail) is about, and the rule that said
    so; an empty Match when no rule finds exactly one customer. `known`: what the batch
    of emails `parsed` came in has read already (read here for this one alone if not)."""
    known = known if known is not None else Known(entity, [parsed])
    outbox = known.answered(parsed)
    if outbox is not None:
        return from_outbox(outbox, MatchedBy.IN_REPLY_TO)
    outbox = known.by_tag(parsed)
    if outbox is not None:
        return from_outbox(outbox, MatchedBy.TOKEN)
    senders = known.sender_customers(parsed.sender)
    if len(senders) == 1:
        return _to_customer(known, senders[0], MatchedBy.SENDER)
    customers, numbers = _customers_by_invoice(entity, parsed, senders)
    if len(customers) == 1:
        return _to_customer(known, customers[0], MatchedBy.INVOICE, numbers)
    return Match()
