"""Money in the active language, through Babel (the machine has no system locales).

{% load money %}
{{ item.open_amount|money:item.currency }}   -> "1 234,50 €" in French, "€1,234.50" in English
{{ ratio|percent }}                          -> "13 %" / "13%"
"""

from decimal import Decimal

from babel.numbers import format_currency, format_decimal, format_percent
from django import template
from django.utils.translation import get_language, to_locale

register = template.Library()

EMPTY = "—"


def babel_locale() -> str:
    return to_locale(get_language() or "en")


@register.filter
def money(value, currency: str = "") -> str:
    """`value` formatted as an amount of `currency` (digits only when no currency is given)."""
    if value is None or value == "":
        return EMPTY
    amount = Decimal(value)
    if not currency:
        return format_decimal(amount, format="#,##0.00", locale=babel_locale())
    return format_currency(amount, currency, locale=babel_locale())


@register.filter
def percent(value) -> str:
    """`value` given in percent (12.5 for 12.5 %), rounded, in the active language."""
    if value is None or value == "":
        return EMPTY
    return format_percent(Decimal(value) / 100, locale=babel_locale())
