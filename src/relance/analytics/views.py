"""The charts page: three bar charts drawn as SVG on the server, scoped to the user."""

from datetime import timedelta

from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from relance.analytics import selectors
from relance.analytics.charts import stacked_bars
from relance.customers.selectors import visible_entity_todays
from relance.scenarios.choices import StepChannel

# Bootstrap's palette, so that the charts match the agenda's row colours.
RED, BLUE, GREEN, GREY = "#dc3545", "#0d6efd", "#198754", "#adb5bd"


def _kinds():
    return [
        (selectors.DONE, _("Done"), GREEN),
        (selectors.TODO, _("To do"), RED),
        (selectors.UPCOMING, _("Upcoming"), BLUE),
    ]


def day_chart(user, todays, days: int = 14):
    today = selectors.reference_day(todays)
    values = selectors.actions_per_day(user, todays, days=days)
    days_shown = [today + timedelta(days=offset) for offset in range(-days, days + 1)]
    categories = [(day.isoformat(), date_format(day, "d/m")) for day in days_shown]
    by_key = {(day.isoformat(), kind): count for (day, kind), count in values.items()}
    return stacked_bars(_("Actions per day"), categories, _kinds(), by_key)


def channel_chart(user, todays, days: int = 14):
    values = selectors.actions_per_channel(user, todays, days=days)
    used = {channel for channel, _kind in values}
    categories = [(value, label) for value, label in StepChannel.choices if value in used]
    return stacked_bars(_("Actions per channel"), categories, _kinds(), values)


def step_chart(user, todays):
    rows = selectors.collected_per_step(user, todays)
    categories, values = [], {}
    for row in rows:
        key = f"{row['scenario_id']}-{row['step_position']}-{row['reference__currency']}"
        label = f"{row['scenario__name']} · {row['step_position']}. {row['step_name']}"
        categories.append((key, f"{label} ({row['reference__currency']})"))
        values[(key, "collected")] = row["collected"]
        values[(key, "open")] = row["at_stake"] - row["collected"]
    series = [
        ("collected", _("Collected within 30 days"), GREEN),
        ("open", _("Not collected"), GREY),
    ]
    chart = stacked_bars(_("Amounts collected after each step"), categories, series, values)
    return chart, rows


def analytics_index(request):
    todays = visible_entity_todays(request.user)
    steps, step_rows = step_chart(request.user, todays)
    context = {
        "day_chart": day_chart(request.user, todays),
        "channel_chart": channel_chart(request.user, todays),
        "step_chart": steps,
        "step_rows": step_rows,
    }
    return render(request, "analytics/index.html", context)
