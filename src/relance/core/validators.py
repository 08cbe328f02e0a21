"""Validators for identifiers a credit manager types or imports: each raises a ValidationError
whose message says what is wrong, in the user's language."""

import re
import zoneinfo

from babel.numbers import list_currencies
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException
from stdnum import exceptions as stdnum_exceptions
from stdnum.eu import vat
from stdnum.fr import siren, siret
from stdnum.gb import vat as gb_vat

from relance.core.choices import WEEKDAY_CODES

CURRENCIES = frozenset(list_currencies())
TIME_ZONES = frozenset(zoneinfo.available_timezones())
# Babel's territories include regions and placeholders that are not countries.
NOT_COUNTRIES = frozenset({"ZZ", "QO", "EU", "EZ", "UN", "XA", "XB"})


def _stdnum(module, value: str, label: str) -> str:
    try:
        return module.validate(value)
    except stdnum_exceptions.ValidationError as exc:
        raise ValidationError(
            _("%(label)s %(value)s is not valid: %(why)s")
            % {"label": label, "value": value, "why": exc.message}
        ) from exc


def validate_siren(value: str) -> str:
    return _stdnum(siren, value, "SIREN")


def validate_siret(value: str) -> str:
    return _stdnum(siret, value, "SIRET")


def validate_vat(value: str) -> str:
    # Since Brexit the EU module refuses GB numbers; the UK keeps its own check digits.
    if value.upper().startswith("GB"):
        return "GB" + _stdnum(gb_vat, value, _("VAT number")).removeprefix("GB")
    return _stdnum(vat, value, _("VAT number"))


def validate_iban(value: str) -> str:
    try:
        return IBAN(value).compact
    except SchwiftyException as exc:
        raise ValidationError(
            _("IBAN %(value)s is not valid: %(why)s") % {"value": value, "why": exc}
        ) from exc


def validate_bic(value: str) -> str:
    try:
        return BIC(value).compact
    except SchwiftyException as exc:
        raise ValidationError(
            _("BIC %(value)s is not valid: %(why)s") % {"value": value, "why": exc}
        ) from exc


def validate_currency(value: str) -> str:
    if value not in CURRENCIES:
        raise ValidationError(_("%(value)s is not an ISO 4217 currency code") % {"value": value})
    return value


def validate_country(value: str) -> str:
    from babel import Locale

    code = value.upper()
    if len(code) != 2 or code in NOT_COUNTRIES or code not in Locale("en").territories:
        raise ValidationError(_("%(value)s is not an ISO 3166 country code") % {"value": value})
    return code


def validate_time_zone(value: str) -> str:
    if value not in TIME_ZONES:
        raise ValidationError(_("%(value)s is not a known time zone") % {"value": value})
    return value


def validate_working_days(value: str) -> str:
    days = [day.strip().lower() for day in value.split(",") if day.strip()]
    unknown = [day for day in days if day not in WEEKDAY_CODES]
    if unknown or not days:
        raise ValidationError(
            _("Working days must be a comma-separated list of %(codes)s")
            % {"codes": ",".join(WEEKDAY_CODES)}
        )
    return ",".join(code for code in WEEKDAY_CODES if code in days)


def validate_legal_id(value: str, country: str) -> str:
    """A customer's or entity's legal id: SIREN or SIRET in France, an EU VAT number
    anywhere it looks like one; other countries' ids are kept as given."""
    compact = value.replace(" ", "").replace(".", "").upper()
    if country == "FR" and compact.isdigit():
        return validate_siret(compact) if len(compact) == 14 else validate_siren(compact)
    if compact[:2].isalpha() and compact[:2].lower() in vat.MEMBER_STATES | {"el", "xi", "gb"}:
        return validate_vat(compact)
    return value.strip()


def validate_hex_color(value: str) -> None:
    """#rrggbb, as HTML colour inputs give it."""
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", value or ""):
        raise ValidationError(_("Enter a colour as #rrggbb, e.g. #0d6efd."), code="invalid")
