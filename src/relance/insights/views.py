"""The Insights pages: the dashboard (figures, trends, aging, top customers, collectors'
portfolios) and the drill-down from a figure to the customers behind it. Both read the
same filters (forms.InsightsFilterForm: only what the user may see) and export their
tables as CSV or XLSX (?export=csv|xlsx, core.exports)."""

from datetime import date
from decimal import Decimal

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from relance.accounts.models import User
from relance.core.exports import csv_response, xlsx_response
from relance.core.params import InvalidParameter, choice_param, id_param
from relance.core.views import EXPORT_FORMATS, check_list_params
from relance.customers.filtersets import user_label
from relance.customers.models import Customer
from relance.insights import charts, dashboard, fx, selectors
from relance.insights.exports import COLUMNS, figure_row
from relance.insights.forms import InsightsFilterForm
from relance.insights.selectors import AMOUNTS
from relance.insights.tables import SnapshotTable

DASHBOARD_TABLES = ("months", "aging", "top", "collectors")
# What a drill-down lists: the customers with something in that amount on the day.
DRILL_AMOUNTS = ("open_amount", "overdue", "not_due", "d1_30", "d31_60", "d61_90", "d90_plus")


def bucket_labels() -> list[tuple[str, str]]:
    return [
        ("not_due", _("Not due")),
        ("d1_30", _("1–30 days")),
        ("d31_60", _("31–60 days")),
        ("d61_90", _("61–90 days")),
        ("d90_plus", _("Over 90 days")),
    ]


def figure_helps() -> dict[str, str]:
    """Each figure's formula, as docs/insights.md gives it."""
    return {
        "dso_countback": _(
            "Subtract from the receivables at the end of the month the sales of the month, "
            "then of each month before, counting each month's days, until a month's sales "
            "exceed what remains: that month counts remaining / its sales × its days."
        ),
        "dso_simple": _("Receivables at the end of the month / sales of the month × days."),
        "best_possible_dso": _(
            "Receivables not yet due / sales of the month × days: the DSO if every customer "
            "paid on its due date."
        ),
        "add": _(
            "Average days delinquent: DSO, simple − best possible DSO = overdue receivables "
            "/ sales of the month × days."
        ),
        "cei": _(
            "Collection effectiveness index: (opening receivables + sales − closing "
            "receivables) / (opening receivables + sales − closing receivables not due) × 100."
        ),
        "overdue_ratio": _("Overdue receivables / receivables × 100, at the end of the month."),
        "aging": _(
            "Open invoices by days past due at the end of each day written; the buckets sum "
            "to the open invoices. Credit notes and unapplied payments are not deducted."
        ),
    }


def figure_cards(months, end_urls) -> list[dict]:
    """The figures of the last month shown, with the month before for the trend."""
    if not months:
        return []
    current, previous = months[-1], months[-2] if len(months) > 1 else None
    helps = figure_helps()
    cards = []
    for key, label, text, drill in (
        ("dso_countback", _("DSO, countback"), charts.days_text, "open_amount"),
        ("dso_simple", _("DSO, simple"), charts.days_text, "open_amount"),
        ("best_possible_dso", _("Best possible DSO"), charts.days_text, "not_due"),
        ("add", _("ADD"), charts.days_text, "overdue"),
        ("cei", _("CEI"), charts.percent_text, "open_amount"),
        ("overdue_ratio", _("Overdue ratio"), charts.percent_text, "overdue"),
    ):
        value = getattr(current, key)
        before = getattr(previous, key) if previous else None
        change = None if value is None or before is None else value - before
        cards.append(
            {
                "key": key,
                "label": label,
                "value": text(value),
                "previous": text(before),
                "change": change,
                "help": helps[key],
                "url": end_urls[drill],
                "rate_day": current.closing.rate_day,
            }
        )
    return cards


def _filters(request) -> InsightsFilterForm:
    form = InsightsFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        errors = " ".join(
            f"{form.fields[name].label if name in form.fields else ''}: {error}".lstrip(": ")
            for name, field_errors in form.errors.items()
            for error in field_errors
        )
        raise InvalidParameter(errors)
    return form


def _filter_query(request) -> dict:
    """The filters of the query string, to carry into the drill-down links."""
    keep = ("entity", "currency", "segment", "collector", "no_collector", "scenario")
    return {key: request.GET.getlist(key) for key in keep if request.GET.getlist(key)}


def drill_url(query: dict, day: date, amount: str = "") -> str:
    """The drill-down to the customers with something in `amount` on `day` (without an
    amount: the chart adds the bucket clicked)."""
    params = {**query, "day": day.isoformat()}
    if amount:
        params["amount"] = amount
    return f"{reverse('insights:customers')}?{urlencode(params, doseq=True)}"


def insights_dashboard(request):
    """The dashboard of the scope chosen (by default every entity the user sees, in the
    currency of the first)."""
    form = _filters(request)
    scope = form.scope()
    latest = dashboard.latest_day(scope.entity_ids)
    start, end = form.period(latest)
    try:
        months = dashboard.scope_months(scope, start, end) if latest else []
        aging = dashboard.scope_aging(scope, start, end) if latest else []
        top = dashboard.top_overdue(scope, end) if latest else []
        portfolios = dashboard.collector_portfolios(scope, end) if latest else []
    except fx.RateNotFound as exc:
        raise InvalidParameter(str(exc)) from exc
    collectors = _collector_names(portfolios)
    export = choice_param(request.GET, "export", EXPORT_FORMATS)
    if export:
        table = choice_param(request.GET, "table", DASHBOARD_TABLES, default="months")
        rows = _export_rows(table, scope, months, aging, top, portfolios, collectors)
        return _export(rows, f"insights-{table}", export)
    query = _filter_query(request)
    month_urls = [drill_url(query, month.end, "open_amount") for month in months]
    aging_urls = [drill_url(query, balance.day) for balance in aging]
    context = {
        "form": form,
        "scope": scope,
        "latest": latest,
        "start": start,
        "end": end,
        "months": months,
        "current": months[-1] if months else None,
        "previous": months[-2] if len(months) > 1 else None,
        "aging": aging,
        "top": top,
        "month_rows": [
            {"month": month, "url": url, "texts": _month_texts(month)}
            for month, url in zip(months, month_urls, strict=True)
        ],
        "aging_rows": _aging_rows(aging, scope.currency),
        "portfolio_rows": [
            {
                "portfolio": p,
                "name": collectors.get(p.collector_id, ""),
                "url": _collector_url(query, p.collector_id, end),
                "dso_simple": charts.days_text(p.dso_simple),
                "dso_countback": charts.days_text(p.dso_countback),
            }
            for p in portfolios
        ],
        "buckets": bucket_labels(),
        "query": query,
        "export_query": request.GET.urlencode(),
        "charts": {
            "days": charts.days_chart(months, month_urls),
            "percent": charts.percent_chart(months, month_urls),
            "aging": charts.aging_chart(aging, bucket_labels(), scope.currency, aging_urls),
        },
        "cards": figure_cards(
            months, {a: drill_url(query, end, a) for a in ("open_amount", "not_due", "overdue")}
        ),
        "helps": figure_helps(),
        "chart_locale": charts.chart_locale(),
        "bucket_urls": [(key, label, drill_url(query, end, key)) for key, label in bucket_labels()],
    }
    return render(request, "insights/dashboard.html", context)


def _aging_rows(aging, currency: str) -> list[dict]:
    """The aging table's rows, their amounts formatted (365 rows of six amounts)."""
    formatted = charts.money_formatter(currency)
    return [
        {
            "day": balance.day,
            "rate_day": balance.rate_day,
            "amounts": [formatted(balance.open_amount)]
            + [formatted(amount) for _key, amount in balance.buckets],
        }
        for balance in aging
    ]


def _month_texts(month) -> dict[str, str]:
    days = ("dso_countback", "dso_simple", "best_possible_dso", "add")
    texts = {key: charts.days_text(getattr(month, key)) for key in days}
    percents = ("cei", "overdue_ratio")
    return texts | {key: charts.percent_text(getattr(month, key)) for key in percents}


def _collector_url(query: dict, collector_id: int | None, end: date) -> str:
    """A collector's customers on the last day shown (or those without a collector)."""
    query = {key: value for key, value in query.items() if key != "no_collector"}
    if collector_id is None:
        return drill_url({**query, "no_collector": ["on"]}, end, "open_amount")
    return drill_url({**query, "collector": [collector_id]}, end, "open_amount")


def _collector_names(portfolios) -> dict[int, str]:
    ids = [p.collector_id for p in portfolios if p.collector_id is not None]
    return {user.pk: user_label(user) for user in User.objects.filter(pk__in=ids)}


def _export(rows, name: str, file_format: str):
    filename = f"{name}-{timezone.localdate().isoformat()}"
    if file_format == "csv":
        return csv_response(rows, filename)
    return xlsx_response(rows, filename, title=name)


def _export_rows(table, scope, months, aging, top, portfolios, collectors):
    currency = scope.currency
    if table == "months":
        rows = ((*figure_row(month, currency), month.closing.rate_day) for month in months)
        return [(*COLUMNS, "rate_day"), *rows]
    if table == "aging":
        header = ("day", "currency", *AMOUNTS, "rate_day")
        return [
            header,
            *((b.day, currency, *(getattr(b, a) for a in AMOUNTS), b.rate_day) for b in aging),
        ]
    if table == "top":
        header = ("customer", "number", "entity", "day", "currency", *AMOUNTS)
        return [
            header,
            *(
                (
                    s.customer.name,
                    s.customer.external_id,
                    s.entity.name,
                    s.day,
                    s.currency,
                    *(getattr(s, a) for a in AMOUNTS),
                )
                for s in top
            ),
        ]
    header = ("collector", "customers", "currency", "open", "overdue", "sales", "dso_simple")
    header += ("dso_countback",)
    return [
        header,
        *(
            (
                collectors.get(p.collector_id, ""),
                p.customers,
                currency,
                p.balance.open_amount,
                p.balance.overdue,
                p.sales,
                p.dso_simple,
                p.dso_countback,
            )
            for p in portfolios
        ),
    ]


def insights_customers(request):
    """The customers behind a figure: their snapshots of the day asked (each entity's latest
    day written on or before it) with something in the amount asked, linked to their page
    and to their open items."""
    form = _filters(request)
    scope = form.scope()
    day = _day_param(request)
    amount = choice_param(request.GET, "amount", DRILL_AMOUNTS, default="open_amount")
    rows = dashboard.snapshots_on(scope, day).filter(**{f"{amount}__gt": 0})
    rows = rows.select_related("customer", "entity")
    export = choice_param(request.GET, "export", EXPORT_FORMATS)
    table = SnapshotTable(rows)
    check_list_params(request.GET, table)
    if export:
        RequestConfig(request, paginate=False).configure(table)
        return _export(table.as_values(exclude_columns=("items",)), "insights-customers", export)
    RequestConfig(request, paginate={"per_page": table._meta.per_page}).configure(table)
    query = request.GET.copy()
    for key in ("page", "export"):
        query.pop(key, None)
    amount_label = dict([("open_amount", _("Open invoices")), ("overdue", _("Overdue"))])
    amount_label |= dict(bucket_labels())
    context = {
        "form": form,
        "scope": scope,
        "day": day,
        "amount": amount,
        "amount_label": amount_label[amount],
        "table": table,
        "results_target": "list-results",
        "export_query": query.urlencode(),
        "dashboard_url": reverse("insights:dashboard")
        + "?"
        + urlencode(_filter_query(request), doseq=True),
    }
    return render(request, "insights/customers.html", context)


def _day_param(request) -> date:
    raw = request.GET.get("day", "")
    if not raw:
        return timezone.localdate()
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        message = _("Day: %(value)s is not a date (YYYY-MM-DD).") % {"value": raw[:20]}
        raise InvalidParameter(message) from exc


def insights_customer_items(request):
    """A customer's invoices open at the end of a past day (`?customer=&day=&currency=`,
    `&overdue=true`: those past due that day), with their open amounts of that day."""
    customer_id = id_param(request.GET, "customer")
    if customer_id is None:
        raise InvalidParameter(_("Choose a customer."))
    customer = Customer.objects.select_related("entity").get_for_user(request.user, pk=customer_id)
    day = _day_param(request)
    currency = (request.GET.get("currency") or customer.currency)[:3].upper()
    items = selectors.items_open_on(customer, day, currency=currency)
    overdue = request.GET.get("overdue") == "true"
    if overdue:
        items = items.filter(due_date__lt=day)
    context = {
        "customer": customer,
        "day": day,
        "currency": currency,
        "overdue": overdue,
        "items": items,
        "total": sum((item.open_on for item in items), Decimal("0.00")),
    }
    return render(request, "insights/customer_items.html", context)
