"""The account statement attached to an email: the customer's open items as a PDF table
(templating offers letters, not statements), made with WeasyPrint."""

from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from relance.templating.context import CustomerContext
from relance.templating.formatting import formatter

_NOTHING_OUTSIDE = URLFetcher(allowed_protocols={"data"})


def statement_rows(ctx: CustomerContext, language: str) -> list[dict]:
    fmt = formatter(language, ctx.region)
    return [
        {
            "number": line.number,
            "issue_date": fmt.date(line.issue_date),
            "due_date": fmt.date(line.due_date),
            "amount": fmt.money(line.signed_amount, line.currency),
            "open_amount": fmt.money(line.signed_open_amount, line.currency),
        }
        for line in ctx.items
    ]


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
    }
    with translation.override(language):
        html = render_to_string("delivery/statement.html", context)
    return HTML(string=html, url_fetcher=_NOTHING_OUTSIDE).write_pdf()
