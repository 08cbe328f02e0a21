"""The pages of payment behaviour, step effectiveness and the cash forecast: thin views over
insights.behaviour, insights.effectiveness and insights.forecast, scoped to the entities the
user sees (`?entity=` picks one, the first by default) and filtered as the dashboard is
(segment, collector, scenario; the months for the steps), with a drill-down from each
forecast week to its invoices."""

from datetime import timedelta

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from relance.core.exports import csv_response, xlsx_response
from relance.core.models import Entity
from relance.core.params import InvalidParameter, choice_param, id_param
from relance.customers.models import Customer
from relance.insights import behaviour, charts, effectiveness, forecast, selectors
from relance.insights.forms import PageFilterForm
from relance.insights.help import BEHAVIOUR_HELP, FORECAST_HELP, STEP_HELP
from relance.ledger.choices import AGING_BUCKETS
from relance.ledger.models import Item

FORMATS = ("csv", "xlsx")


def chosen_entity(request):
    """The entity of `?entity=` among those the user sees (the first of them by default); a
    404 for one the user does not see, as for a missing one."""
    entities = Entity.objects.visible_to(request.user).order_by("name", "pk")
    wanted = id_param(request.GET, "entity")
    entity = (entities.filter(pk=wanted) if wanted else entities).first()
    if entity is None:
        raise Http404(_("No entity to show."))
    return entity, entities


def page_filters(request, *, with_period: bool) -> PageFilterForm:
    """The page's filters, checked: an entity the user does not see is a 404 (as a missing
    one), any other faulty choice a 400 naming the field."""
    chosen_entity(request)
    form = PageFilterForm(request.GET, user=request.user, with_period=with_period)
    if not form.is_valid():
        raise InvalidParameter(
            " ".join(
                f"{form.fields[name].label if name in form.fields else name}: {error}"
                for name, errors in form.errors.items()
                for error in errors
            )
        )
    return form


def filter_query(request) -> str:
    """The filters of the query string, for the export links and the drill-downs."""
    keep = ("entity", "segment", "collector", "no_collector", "scenario", "start", "end")
    return urlencode({k: request.GET[k] for k in keep if request.GET.get(k)})


def export_format(request) -> str | None:
    fmt = request.GET.get("format") or None
    if fmt is not None and fmt not in FORMATS:
        raise InvalidParameter(
            _("“format” must be csv or xlsx, not “%(value)s”.") % {"value": fmt[:20]}
        )
    return fmt


def exported(rows, fmt: str, name: str):
    if fmt == "xlsx":
        return xlsx_response(rows, name, name)
    return csv_response(rows, name)


def customer_behaviour_card(request, pk: int):
    """The "Payment behaviour" card of a customer's page (loaded by htmx)."""
    customer = Customer.objects.select_related("entity").get_for_user(request.user, pk=pk)
    context = {
        "customer": customer,
        "behaviour": behaviour.customer_behaviour(customer),
        "help": BEHAVIOUR_HELP,
    }
    return render(request, "insights/_payment_behaviour.html", context)


def step_table(entity, rows) -> list[list]:
    header = [
        _("Scenario"),
        _("Step"),
        _("Stage"),
        *(
            label
            for days in effectiveness.WINDOWS
            for label in (
                _("Received, %(days)s days: observations") % {"days": days},
                _("Received, %(days)s days: paid per observation") % {"days": days},
                _("Comparison, %(days)s days: observations") % {"days": days},
                _("Comparison, %(days)s days: paid per observation") % {"days": days},
                _("Difference, %(days)s days") % {"days": days},
            )
        ),
        _("Currency"),
    ]
    stages = {key: str(label) for key, label in AGING_BUCKETS}
    table = [header]
    for row in rows:
        stage = row["stage"]
        cells = [row["scenario"], f"{stage.position}. {row['step']}", stages[stage.stage]]
        for days in effectiveness.WINDOWS:
            cells += [
                stage.received.observations[days],
                stage.received.mean(days),
                stage.comparison.observations[days],
                stage.comparison.mean(days),
                stage.difference(days),
            ]
        table.append([*cells, entity.currency])
    return table


def step_effectiveness_page(request):
    """Each scenario's steps with what customers paid after them and without them yet, over
    the months chosen (by default the last 365 days)."""
    form = page_filters(request, with_period=True)
    entity, entities = form.chosen_entity(), form.visible_entities
    fmt = export_format(request)
    today = entity.today()
    start, end = form.cleaned_data.get("start"), form.cleaned_data.get("end")
    as_of = min(selectors.month_end(end), today) if end else today
    stages = effectiveness.step_effectiveness(
        entity, as_of=as_of, since=start, customers=form.customers()
    )
    rows = effectiveness.step_rows(entity, stages)
    if fmt:
        return exported(step_table(entity, rows), fmt, "steps")
    labels = dict(AGING_BUCKETS)
    for row in rows:
        row["stage_label"] = labels[row["stage"].stage]
        row["windows"] = [
            {
                "days": days,
                "received": row["stage"].received.observations[days],
                "received_mean": row["stage"].received.mean(days),
                "comparison": row["stage"].comparison.observations[days],
                "comparison_mean": row["stage"].comparison.mean(days),
                "difference": row["stage"].difference(days),
            }
            for days in effectiveness.WINDOWS
        ]
    context = {
        "entity": entity,
        "entities": entities,
        "rows": rows,
        "windows": effectiveness.WINDOWS,
        "help": STEP_HELP,
        "form": form,
        "query": filter_query(request),
    }
    return render(request, "insights/steps.html", context)


def forecast_table(result) -> list[list]:
    table = [[_("Currency"), _("Week"), _("Week from"), _("Expected"), _("Came in")]]
    for one in result.currencies:
        for week in one.weeks:
            table.append([one.currency, week.index, week.start, week.expected, week.received])
        table.append([one.currency, _("Later"), None, one.later, None])
        table.append([one.currency, _("Disputed"), None, one.disputed, None])
    return table


def chart_data(result) -> dict:
    """What forecast.js draws: per currency, the weeks' labels in the reader's language and
    the amounts as strings of digits (never floats: money)."""
    return {
        "labels": {
            "expected": _("Expected"),
            "received": _("Came in"),
            "average": _("Average came in over the 13 past weeks"),
            "week": _("Week from"),
            "amount": _("Amount ({currency})"),
        },
        "currencies": [
            {
                "currency": one.currency,
                "weeks": [date_format(week.start, "SHORT_DATE_FORMAT") for week in one.weeks],
                "expected": [str(week.expected) if week.index >= 0 else None for week in one.weeks],
                "received": [str(week.received) if week.index <= 0 else None for week in one.weeks],
                "average": str(
                    (sum(w.received for w in one.weeks if w.index < 0) / forecast.WEEKS).quantize(
                        forecast.ZERO
                    )
                ),
            }
            for one in result.currencies
        ],
    }


def forecast_page(request):
    """The 13-week cash forecast, per currency, against the 13 past weeks; each week's
    expected amount links to its invoices."""
    form = page_filters(request, with_period=False)
    entity, entities = form.chosen_entity(), form.visible_entities
    fmt = export_format(request)
    result = forecast.cash_forecast(entity, customers=form.customers())
    if fmt:
        return exported(forecast_table(result), fmt, "forecast")
    query = filter_query(request)
    context = {
        "form": form,
        "query": query,
        "week_url": f"{reverse('insights:forecast-items')}?{query}{'&' if query else ''}",
        "entity": entity,
        "entities": entities,
        "forecast": result,
        "chart": chart_data(result),
        "chart_locale": charts.chart_locale(),
        "help": FORECAST_HELP,
        "min_history": forecast.MIN_HISTORY,
    }
    return render(request, "insights/forecast.html", context)


def forecast_items_page(request):
    """The open invoices behind a week's expected amount (`?currency=&week=`: 0–12, 13 for
    after the 13 weeks, -1 for the disputed), with the rule that placed them."""
    form = page_filters(request, with_period=False)
    entity = form.chosen_entity()
    currency = request.GET.get("currency", "")[:3].upper()
    weeks = [str(index) for index in range(forecast.DISPUTED, forecast.LATER + 1)]
    week = choice_param(request.GET, "week", weeks)
    if week is None:
        raise InvalidParameter(_("“week” must be a number from -1 to 13."))
    week = int(week)
    as_of = entity.today()
    ids = forecast.expected_item_ids(
        entity, as_of, currency=currency, week=week, customers=form.customers()
    )
    items = (
        Item.objects.filter(pk__in=ids).select_related("customer").order_by("due_date", "number")
    )
    monday = forecast.week_start(as_of)
    context = {
        "entity": entity,
        "form": form,
        "items": items,
        "currency": currency,
        "week": week,
        "week_start": monday + timedelta(weeks=week) if 0 <= week < forecast.LATER else None,
        "later": week == forecast.LATER,
        "disputed": week == forecast.DISPUTED,
        "back_url": f"{reverse('insights:forecast')}?{filter_query(request)}",
    }
    return render(request, "insights/forecast_items.html", context)
