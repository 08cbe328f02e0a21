"""Reads of the customer's page: what a valid link shows, and how a link was used."""

from dataclasses import dataclass
from datetime import date

from django.db.models import F

from relance.core.choices import Language
from relance.ledger.choices import ItemKind
from relance.ledger.models import Item
from relance.portal.models import PortalLink
from relance.templating.formatting import formatter
from relance.templating.selectors import customer_context

LANGUAGES = tuple(Language.values)


@dataclass
class PageItem:
    id: int
    kind: str
    kind_label: str
    number: str
    issue_date: str
    due_date: str
    days_overdue: int | None
    open_amount: str
    disputed: bool
    promise_date: str
    has_pdf: bool
    payment_pending: bool = False  # paid online, awaiting the bank


def page_language(requested: str, customer) -> str:
    """The language the visitor chose on the page, else the customer's, else the entity's."""
    for language in (requested, customer.language, customer.entity.language):
        if language in LANGUAGES:
            return language
    return "en"


def other_languages(language: str, customer) -> list[tuple[str, str]]:
    """(code, name in its own language) of the languages the page offers besides the one it
    is in: the customer's, its entity's and English, each once."""
    codes = [customer.language, customer.entity.language, "en", "fr"]
    offered = dict.fromkeys(code for code in codes if code in LANGUAGES and code != language)
    return [(code, Language(code).label) for code in offered]


def open_items(customer):
    return Item.objects.filter(customer=customer, open_amount__gt=0).order_by(
        F("due_date").asc(nulls_last=True), "issue_date", "number"
    )


def _row(item: Item, today: date, fmt) -> PageItem:
    overdue = item.kind == ItemKind.INVOICE and item.due_date and item.due_date < today
    sign = 1 if item.kind == ItemKind.INVOICE else -1
    return PageItem(
        id=item.pk,
        kind=item.kind,
        kind_label=fmt.labels.get(item.kind, item.kind),
        number=item.number,
        issue_date=fmt.date(item.issue_date),
        due_date=fmt.date(item.due_date),
        days_overdue=(today - item.due_date).days if overdue else None,
        open_amount=fmt.money(sign * item.open_amount, item.currency),
        disputed=item.disputed,
        promise_date=fmt.date(item.promise_date),
        has_pdf=bool(item.pdf),
        payment_pending=item.payment_pending_since is not None,
    )


def contact_for(customer) -> dict:
    """Whom the customer should talk to: their collector, else the entity."""
    entity, collector = customer.entity, customer.collector
    name = (collector.get_full_name() or collector.username) if collector else ""
    return {
        "name": name or entity.name,
        "email": (collector.email if collector else "") or entity.email,
        "phone": (getattr(collector, "phone", "") if collector else "") or entity.phone,
    }


def page_context(customer, language: str) -> dict:
    """Everything the page shows about `customer`, formatted in `language`."""
    ctx = customer_context(customer)
    fmt = formatter(language, ctx.region)
    return {
        "items": [_row(item, ctx.today, fmt) for item in open_items(customer)],
        "totals": [
            {
                "currency": f.currency,
                "total": fmt.money(f.total_due, f.currency),
                "overdue": fmt.money(f.overdue, f.currency),
            }
            for f in ctx.figures
        ],
        "contact": contact_for(customer),
        "today": ctx.today,
        "today_text": fmt.long_date(ctx.today),
    }


def item_pdf(customer, pk: int) -> Item | None:
    """The customer's own open item with an invoice PDF, else None."""
    return open_items(customer).exclude(pdf="").filter(pk=pk).first()


def live_link_count(customer) -> int:
    """Links of `customer` that still open the page (not revoked, not expired)."""
    from django.utils import timezone

    return PortalLink.objects.filter(
        customer=customer, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).count()


def action_page_opens(action) -> dict | None:
    """How the page links carried by `action`'s message were used, for its page."""
    links = list(
        PortalLink.objects.filter(action=action).only(
            "first_opened_at", "last_opened_at", "open_count"
        )
    )
    opened = [link for link in links if link.open_count]
    if not opened:
        return {"opened": False} if links else None
    return {
        "opened": True,
        "first": min(link.first_opened_at for link in opened),
        "last": max(link.last_opened_at for link in opened),
        "count": sum(link.open_count for link in opened),
    }
