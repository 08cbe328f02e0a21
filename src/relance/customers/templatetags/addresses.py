"""`{{ customer|address_lines }}`: a postal address's lines in its country's order, the
country named in the reader's language (customers.selectors.address_lines)."""

from babel import Locale, UnknownLocaleError
from django import template
from django.utils import translation

from relance.customers.selectors import address_lines as _address_lines

register = template.Library()


def _country_name(code: str) -> str:
    try:
        locale = Locale.parse(translation.to_locale(translation.get_language() or "en"))
    except (UnknownLocaleError, ValueError):
        locale = Locale("en")
    return locale.territories.get(code.upper(), code)


@register.filter
def address_lines(obj, default_country: str = "") -> list[str]:
    """`default_country`: the layout of an address that names no country (a contact's)."""
    return _address_lines(obj, country_name=_country_name, default_country=default_country)
