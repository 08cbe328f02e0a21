"""The pages of payment behaviour, step effectiveness and the cash forecast: thin views over
insights.behaviour, insights.effectiveness and insights.forecast, scoped to the entities the
user sees (`?entity=` picks one, the first by default)."""

from django.http import Http404
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from relance.core.exports import csv_response, xlsx_response
from relance.core.models import Entity
from relance.core.params import InvalidParameter, id_param
from relance.customers.models import Customer
from relance.insights import behaviour, effectiveness, forecast
from relance.insights.help import BEHAVIOUR_HELP, FORECAST_HELP, STEP_HELP
from relance.ledger.choices import AGING_BUCKETS

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
    """Each scenario's steps with what customers paid after them and without them yet."""
    entity, entities = chosen_entity(request)
    fmt = export_format(request)
    rows = effectiveness.step_rows(entity, effectiveness.step_effectiveness(entity))
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
    """The 13-week cash forecast, per currency, against the 13 past weeks."""
    entity, entities = chosen_entity(request)
    fmt = export_format(request)
    result = forecast.cash_forecast(entity)
    if fmt:
        return exported(forecast_table(result), fmt, "forecast")
    context = {
        "entity": entity,
        "entities": entities,
        "forecast": result,
        "chart": chart_data(result),
        "help": FORECAST_HELP,
        "min_history": forecast.MIN_HISTORY,
    }
    return render(request, "insights/forecast.html", context)
