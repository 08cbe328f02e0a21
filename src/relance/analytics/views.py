"""The charts page: bar charts drawn as SVG on the server, scoped to the user. Amounts are
drawn one chart per currency: they are never converted, so they never share an axis."""

from datetime import timedelta
from decimal import Decimal
from itertools import groupby

from babel.numbers import format_compact_currency, format_decimal
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from relance.analytics import selectors
from relance.analytics.charts import stacked_bars
from relance.analytics.filtersets import ChartFilterSet
from relance.core.params import InvalidParameter
from relance.core.templatetags.money import babel_locale, money
from relance.core.views import filter_errors
from relance.customers.selectors import visible_entity_todays
from relance.scenarios.choices import StepChannel

# Bootstrap's palette, so that the charts match the agenda's row colours.
RED, BLUE, GREEN, GREY = "#dc3545", "#0d6efd", "#198754", "#adb5bd"
CENTS = Decimal("0.01")


def _kinds():
    return [
        (selectors.DONE, _("Done"), GREEN),
        (selectors.TODO, _("To do"), RED),
        (selectors.UPCOMING, _("Upcoming"), BLUE),
    ]


def count(value) -> str:
    """A number of actions in the active language ("1,234" / "1 234")."""
    return format_decimal(value, locale=babel_locale())


def day_chart(actions, todays, days: int = 14):
    today = selectors.reference_day(todays)
    values = selectors.actions_per_day(actions, todays, days=days)
    days_shown = [today + timedelta(days=offset) for offset in range(-days, days + 1)]
    categories = [(day.isoformat(), date_format(day, "SHORT_DATE_FORMAT")) for day in days_shown]
    by_key = {(day.isoformat(), kind): number for (day, kind), number in values.items()}
    return stacked_bars(
        _("Actions per day"), categories, _kinds(), by_key, name="per-day", format_value=count
    )


def channel_chart(actions, todays, days: int = 14):
    values = selectors.actions_per_channel(actions, todays, days=days)
    used = {channel for channel, _kind in values}
    categories = [(value, label) for value, label in StepChannel.choices if value in used]
    return stacked_bars(
        _("Actions per channel"),
        categories,
        _kinds(),
        values,
        name="per-channel",
        horizontal=True,
        width=380,
        label_chars=16,
        format_value=count,
    )


def step_charts(actions, todays):
    """One chart per currency of the steps' reference invoices, and the rows they draw."""
    rows = selectors.collected_per_step(actions, todays)
    title = _("Amounts collected after each step")
    series = [
        ("collected", _("Collected within 30 days"), GREEN),
        ("open", _("Not collected"), GREY),
    ]
    charts = []
    by_currency = sorted(rows, key=lambda row: row["reference__currency"])
    for currency, group in groupby(by_currency, key=lambda row: row["reference__currency"]):
        categories, values = [], {}
        for row in group:
            key = f"{row['scenario_id']}-{row['step_position']}"
            label = f"{row['scenario__name']}\n{row['step_position']}. {row['step_name']}"
            categories.append((key, label))
            collected = row["collected"].quantize(CENTS)
            values[(key, "collected")] = collected
            values[(key, "open")] = row["at_stake"].quantize(CENTS) - collected
        charts.append(
            stacked_bars(
                f"{title} ({currency})",
                categories,
                series,
                values,
                name=f"per-step-{currency}",
                horizontal=True,
                width=620,
                label_chars=34,
                format_value=lambda value, currency=currency: money(value, currency),
                format_tick=lambda value, currency=currency: format_compact_currency(
                    value, currency, locale=babel_locale(), fraction_digits=1
                ),
            )
        )
    if not charts:
        charts.append(stacked_bars(title, [], series, {}, name="per-step"))
    return charts, rows


def analytics_index(request):
    """The charts, over the actions the user sees narrowed by the filters of the query
    string (entity, collector, segment, scenario, channel); a filter that does not hold is
    refused with its reason, as on the lists."""
    todays = visible_entity_todays(request.user)
    actions = selectors.chart_actions(request.user)
    filterset = ChartFilterSet(request.GET, queryset=actions, user=request.user, request=request)
    if not filterset.is_valid():
        raise InvalidParameter(filter_errors(filterset))
    actions = filterset.qs.order_by()
    steps, step_rows = step_charts(actions, todays)
    context = {
        "filterset": filterset,
        "filtered": any(request.GET.get(name) for name in filterset.filters),
        "day_chart": day_chart(actions, todays),
        "channel_chart": channel_chart(actions, todays),
        "step_charts": steps,
        "step_rows": step_rows,
    }
    return render(request, "analytics/index.html", context)
