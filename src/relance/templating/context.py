"""What a message is rendered from: one customer's account as plain data, loaded beforehand
(see `selectors.build_contexts`) so that rendering reads nothing more from the database."""

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property

from relance.countries.interest import NO_INTEREST, ItemInterest, item_interest
from relance.countries.selectors import LateTerms, late_terms
from relance.ledger.choices import ItemKind
from relance.templating.choices import Channel

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
# Issues the customer's page link of a message that leaves (`issue_links`): the portal app
# sets it at start-up (templating sits below it). Previews never call it.
LINK_ISSUER: Callable[["CustomerContext"], str] | None = None
# Its bulk form, also set by the portal: the links issued under it are written at its end.
LINKS_IN_BULK: Callable[[], AbstractContextManager] | None = None
PREVIEW_LINK_PATH = "/p/preview/"


def links_in_bulk() -> AbstractContextManager:
    """Render a batch of messages that leave inside it: their page links are written
    together when it ends, instead of one commit each."""
    return LINKS_IN_BULK() if LINKS_IN_BULK is not None else nullcontext()


@dataclass(slots=True)
class ItemLine:
    """An open item as a message shows it: credits (credit notes, payments) are negative."""

    kind: str
    number: str
    issue_date: date
    due_date: date | None
    amount: Decimal
    open_amount: Decimal
    currency: str
    days_overdue: int | None  # None unless an invoice past its due date

    @property
    def is_invoice(self) -> bool:
        return self.kind == ItemKind.INVOICE

    @property
    def signed_open_amount(self) -> Decimal:
        return self.open_amount if self.is_invoice else -self.open_amount

    @property
    def signed_amount(self) -> Decimal:
        return self.amount if self.is_invoice else -self.amount


@dataclass
class CurrencyFigures:
    """The open position of a customer in one currency; currencies are never added up."""

    currency: str
    total_due: Decimal = ZERO  # open invoices minus open credits
    overdue: Decimal = ZERO
    not_due: Decimal = ZERO
    late_interest: Decimal = ZERO
    overdue_count: int = 0


def preview_link() -> str:
    from django.conf import settings

    return settings.SITE_URL.rstrip("/") + PREVIEW_LINK_PATH


@dataclass
class CustomerContext:
    """Everything a template may say about one customer, at `today` (the entity's date)."""

    customer: object
    entity: object
    today: date
    items: list[ItemLine] = field(default_factory=list)
    contact: object | None = None
    user: object | None = None
    action: object | None = None
    logo_data_uri: str = ""
    issue_links: bool = False
    terms: LateTerms | None = None  # given by build_contexts; else resolved when needed

    @cached_property
    def late_terms(self) -> LateTerms:
        """The late-payment terms that apply: the contract's, else the country pack's."""
        return self.terms if self.terms is not None else late_terms(self.entity, self.customer)

    @cached_property
    def _interests(self) -> dict[int, ItemInterest]:
        schedule = self.late_terms.schedule
        if schedule is None:
            return {}
        return {
            id(line): item_interest(line.open_amount, line.due_date, self.today, schedule)
            for line in self.items
            if line.days_overdue is not None
        }

    def interest_of(self, line: ItemLine) -> ItemInterest:
        """The late interest of one item at `today`, with its periods and rates."""
        return self._interests.get(id(line), NO_INTEREST)

    @cached_property
    def recovery_fees(self) -> list[tuple[Decimal, str]]:
        """The fixed compensation, one per overdue invoice, by the currency of the fee."""
        terms = self.late_terms
        total = sum(
            (terms.fee(line.open_amount, line.currency) for line in self.overdue_items), ZERO
        )
        return [(total, terms.fee_currency)]

    @cached_property
    def cited_rates(self) -> list[tuple[Decimal, Decimal | None]]:
        """(yearly rate, reference rate) a letter cites: those applied to the overdue items,
        in date order, each once; else the rate in force today."""
        pairs: dict[tuple, date] = {}
        for line in self.overdue_items:
            for period in self.interest_of(line).periods:
                key = (period.rate, period.reference)
                pairs[key] = min(pairs.get(key, period.start), period.start)
        if pairs:
            return [pair for pair, _ in sorted(pairs.items(), key=lambda kv: kv[1])]
        schedule = self.late_terms.schedule
        if schedule is None:
            return []
        return [(schedule.rate_on(self.today), schedule.reference_on(self.today))]

    @cached_property
    def interactive_url(self) -> str:
        """The customer's page link: issued once per message that leaves, on the first
        #interactive_* hashtag it uses; a preview shows a placeholder that opens nothing,
        so that previewing never creates links."""
        if self.issue_links and LINK_ISSUER is not None:
            return LINK_ISSUER(self)
        return preview_link()

    def with_real_links(self, text: str) -> str:
        """`text` (a user's edit of a preview) with the preview's placeholder link replaced
        by this message's real one."""
        placeholder = preview_link()
        return text.replace(placeholder, self.interactive_url) if placeholder in text else text

    @cached_property
    def figures(self) -> list[CurrencyFigures]:
        """One entry per currency of the open items, the customer's currency first."""
        by_currency: dict[str, CurrencyFigures] = {}
        for line in self.items:
            figures = by_currency.setdefault(line.currency, CurrencyFigures(line.currency))
            figures.total_due += line.signed_open_amount
            if not line.is_invoice:
                continue
            if line.days_overdue is None:
                figures.not_due += line.open_amount
            else:
                figures.overdue += line.open_amount
                figures.overdue_count += 1
                figures.late_interest += self.interest_of(line).amount
        own = self.customer.currency
        return sorted(by_currency.values(), key=lambda f: (f.currency != own, f.currency))

    @property
    def overdue_items(self) -> list[ItemLine]:
        return [line for line in self.items if line.days_overdue is not None]

    @property
    def overdue_count(self) -> int:
        return sum(figures.overdue_count for figures in self.figures)

    @property
    def oldest_due_date(self) -> date | None:
        return min((line.due_date for line in self.items if line.is_invoice), default=None)

    @property
    def max_days_overdue(self) -> int:
        return max((line.days_overdue for line in self.overdue_items), default=0)

    @property
    def reference_item(self) -> ItemLine | None:
        """The invoice the message is about: the action's, else the oldest open invoice."""
        number = getattr(getattr(self.action, "item", None), "number", None)
        invoices = [line for line in self.items if line.is_invoice]
        if number:
            match = next((line for line in invoices if line.number == number), None)
            if match:
                return match
        return invoices[0] if invoices else None

    @property
    def region(self) -> str:
        """The reader's country, whose conventions dates and amounts follow."""
        return self.customer.country or self.entity.country

    @property
    def sender(self):
        """Who signs (#user_name, #user_email, #user_phone): the user given to the context,
        else the customer's collector. Delivery gives none, so what leaves is signed by the
        collector; a page gives one only where `signing_user` says so."""
        return self.user or getattr(self.customer, "collector", None)


# Messages that a user reads while working an action (a call's script, an internal task)
# rather than messages that leave for the customer.
READ_BY_THE_USER = frozenset({Channel.CALL, Channel.TASK})


def signing_user(template, viewer):
    """The user to render `template` with on `viewer`'s screen: the viewer for a call's
    script or a task, which they carry out themselves; else no one, so that a preview is
    signed as the message will leave (delivery renders with no user: see `sender`)."""
    return viewer if template is not None and template.channel in READ_BY_THE_USER else None


def item_line(row: dict, today: date) -> ItemLine:
    """An ItemLine from a `values()` row of ledger.Item."""
    due = row["due_date"]
    overdue = row["kind"] == ItemKind.INVOICE and due is not None and due < today
    return ItemLine(
        kind=row["kind"],
        number=row["number"],
        issue_date=row["issue_date"],
        due_date=due,
        amount=row["amount"],
        open_amount=row["open_amount"],
        currency=row["currency"],
        days_overdue=(today - due).days if overdue else None,
    )
