"""The dashboard's charts as data for Apache ECharts (static insights/insights.js draws
them): each point comes with its text formatted on the server, in the reader's language
("1 234,56 €", "48,6"), so the tooltips read as the tables do."""

from decimal import Decimal

from babel import Locale
from babel.numbers import (
    format_currency,
    format_decimal,
    format_percent,
    get_currency_precision,
)
from django.utils.dates import MONTHS, MONTHS_3, WEEKDAYS, WEEKDAYS_ABBR
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from relance.core.templatetags.money import EMPTY, babel_locale


def days_text(value: Decimal | None) -> str:
    """A number of days to the tenth, in the active language ("48.6" / "48,6")."""
    if value is None:
        return EMPTY
    return format_decimal(value, format="#,##0.0", locale=babel_locale())


def percent_text(value: Decimal | None) -> str:
    """A percentage to the tenth ("36.2%" / "36,2 %")."""
    if value is None:
        return EMPTY
    # The locale's percent pattern ("#,##0%", "#,##0 %") with one decimal kept.
    pattern = Locale.parse(babel_locale()).percent_formats[None].pattern
    return format_percent(
        value / 100,
        format=pattern.replace("0%", "0.0%").replace("0\xa0%", "0.0\xa0%"),
        locale=babel_locale(),
    )


def money_formatter(currency: str):
    """A function formatting amounts of `currency` as core's `money` filter does in the
    active language ("€1,234.50", "1 234,50 €"), ten times faster: the aging chart and its
    table format thousands of amounts. The symbols are read once from Babel's own output."""
    locale = babel_locale()
    digits = get_currency_precision(currency)
    sample = format_currency(Decimal("1234567.5"), currency, locale=locale)
    places = [index for index, char in enumerate(sample) if char.isdigit()]
    first, last = places[0], places[-1]
    prefix, suffix, group = sample[:first], sample[last + 1 :], sample[first + 1]
    decimal = sample[last - digits] if digits else ""

    def formatted(value) -> str:
        if value is None:
            return EMPTY
        text = f"{abs(value):,.{digits}f}".replace(",", "\0").replace(".", decimal)
        sign = "-" if value < 0 else ""
        return sign + prefix + text.replace("\0", group) + suffix

    return formatted


def chart_locale() -> dict:
    """ECharts' own words (its `locale` option: month and day names, the legend's
    selector, the descriptions read to screen readers) and the charts' texts (tooltip
    line, empty value), in the reader's language from Django's catalogues; the page passes
    them to echarts.init, so no chart text stays in English on a French page."""
    sunday_first = [6, 0, 1, 2, 3, 4, 5]  # ECharts counts from Sunday, Django from Monday
    return {
        "time": {
            "month": [str(MONTHS[n]) for n in range(1, 13)],
            "monthAbbr": [str(MONTHS_3[n]).capitalize() for n in range(1, 13)],
            "dayOfWeek": [str(WEEKDAYS[n]) for n in sunday_first],
            "dayOfWeekAbbr": [str(WEEKDAYS_ABBR[n]) for n in sunday_first],
        },
        "legend": {"selector": {"all": _("All"), "inverse": _("Invert")}},
        "aria": {
            "general": {
                "withTitle": _("This is a chart about “{title}”"),
                "withoutTitle": _("This is a chart"),
            },
            "series": {
                "single": {
                    "prefix": "",
                    "withName": _(" named {seriesName}."),
                    "withoutName": ".",
                },
                "multiple": {
                    "prefix": _(". It has {seriesCount} series."),
                    "withName": _(" Series {seriesId}: {seriesName}."),
                    "withoutName": _(" Series {seriesId}."),
                    "separator": {"middle": "", "end": ""},
                },
            },
            "data": {
                "allData": _("The data: "),
                "partialData": _("The first {displayCnt} values: "),
                "withName": _("{name}: {value}"),
                "withoutName": "{value}",
                "separator": {"middle": ", ", "end": ". "},
            },
        },
        "texts": {"line": _("{name}: {value}"), "empty": EMPTY},
    }


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def series(name: str, values, text) -> dict:
    values = list(values)
    return {"name": name, "values": [_number(v) for v in values], "texts": list(map(text, values))}


def month_label(month) -> str:
    return date_format(month, "YEAR_MONTH_FORMAT")


def days_chart(months, drill_urls) -> dict:
    """DSO (both methods), best possible DSO and ADD, month by month."""
    return {
        "unit": "days",
        "axes": {"x": _("Month"), "y": _("Days")},
        "categories": [m.month.isoformat() for m in months],
        "labels": [month_label(m.month) for m in months],
        "drill": drill_urls,
        "series": [
            series(_("DSO, countback"), [m.dso_countback for m in months], days_text),
            series(_("DSO, simple"), [m.dso_simple for m in months], days_text),
            series(_("Best possible DSO"), [m.best_possible_dso for m in months], days_text),
            series(_("ADD"), [m.add for m in months], days_text),
        ],
    }


def percent_chart(months, drill_urls) -> dict:
    """CEI and the overdue ratio, month by month."""
    return {
        "unit": "percent",
        "axes": {"x": _("Month"), "y": _("Percent")},
        "categories": [m.month.isoformat() for m in months],
        "labels": [month_label(m.month) for m in months],
        "drill": drill_urls,
        "series": [
            series(_("CEI"), [m.cei for m in months], percent_text),
            series(_("Overdue ratio"), [m.overdue_ratio for m in months], percent_text),
        ],
    }


def aging_chart(aging, bucket_labels, currency: str, drill_urls) -> dict:
    """The aging buckets of every day written, stacked."""
    formatted = money_formatter(currency)
    return {
        "unit": "money",
        "axes": {"x": _("Day"), "y": _("Amount (%(currency)s)") % {"currency": currency}},
        "stacked": True,
        "currency": currency,
        "categories": [balance.day.isoformat() for balance in aging],
        "labels": [date_format(balance.day, "SHORT_DATE_FORMAT") for balance in aging],
        "drill": drill_urls,
        "series": [
            {
                **series(label, [getattr(balance, key) for balance in aging], formatted),
                "key": key,
            }
            for key, label in bucket_labels
        ],
    }
