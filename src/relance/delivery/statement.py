"""The account statement attached to an email: the customer's open items as a PDF table
(templating offers letters, not statements), made with WeasyPrint."""

from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from relance.templating.context import CustomerContext
from relance.templating.formatting import formatter

_NOTHING_OUTSIDE = URLFetcher(allowed_protocols={"data"})


def _rates(interest, fmt) -> str:
    """Each rate period of an item's interest: "14,25 % × 184 j", one per line."""
    days = fmt.labels["days"]
    return "\n".join(
        f"{fmt.percent(period.rate)} × {period.days} {days}" for period in interest.periods
    )


def statement_rows(ctx: CustomerContext, language: str) -> list[dict]:
    """One row per open item; an overdue invoice also shows its days late, the rate of each
    period it is late in and its interest at `ctx.today` (the pack's law or the contract)."""
    fmt = formatter(language, ctx.region)
    rows = []
    for line in ctx.items:
        interest = ctx.interest_of(line)
        late = line.days_overdue is not None and ctx.late_terms.schedule is not None
        rows.append(
            {
                "number": line.number,
                "issue_date": fmt.date(line.issue_date),
                "due_date": fmt.date(line.due_date),
                "amount": fmt.money(line.signed_amount, line.currency),
                "open_amount": fmt.money(line.signed_open_amount, line.currency),
                "days": "" if line.days_overdue is None else line.days_overdue,
                "rates": _rates(interest, fmt) if late else "",
                "interest": fmt.money(interest.amount, line.currency) if late else "",
            }
        )
    return rows


def statement_pdf(ctx: CustomerContext, language: str) -> bytes:
    """One customer's open items and balance per currency at `ctx.today`, as a PDF."""
    fmt = formatter(language, ctx.region)
    context = {
        "language": language,
        "entity": ctx.entity,
        "customer": ctx.customer,
        "today": fmt.long_date(ctx.today),
        "rows": statement_rows(ctx, language),
        "totals": [fmt.money(f.total_due, f.currency) for f in ctx.figures],
        "interest_totals": [
            fmt.money(f.late_interest, f.currency) for f in ctx.figures if f.late_interest
        ],
    }
    with translation.override(language):
        html = render_to_string("delivery/statement.html", context)
    return HTML(string=html, url_fetcher=_NOTHING_OUTSIDE).write_pdf()
