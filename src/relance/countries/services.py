"""Writes: loading official reference rates (`relance rates update --from FILE`)."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from relance.core.parsing import csv_objects
from relance.countries.models import ReferenceRate
from relance.countries.packs import pack_for, packs
from relance.countries.selectors import rates_changed

RATE_COLUMNS = ("country", "reference", "valid_from", "rate")
MIN_RATE, MAX_RATE = Decimal("-5"), Decimal("50")


def _row_rate(number: int, row: dict, errors: list[str]) -> ReferenceRate | None:
    """The rate of one CSV row, or None after adding its problems to `errors`."""
    found = len(errors)

    def fail(field, reason):
        errors.append(
            _("Row %(row)s, %(field)s: %(reason)s")
            % {"row": number, "field": field, "reason": reason}
        )

    country = (row.get("country") or "").strip().upper()
    reference = (row.get("reference") or "").strip().upper()
    pack = pack_for(country)
    if pack is None:
        fail(
            "country",
            _("no country pack for %(country)r (known: %(known)s)")
            % {"country": country, "known": ", ".join(sorted(packs()))},
        )
    elif reference != pack.reference:
        fail(
            "reference",
            _("%(country)s uses the reference rate %(expected)s, not %(given)r")
            % {"country": country, "expected": pack.reference, "given": reference},
        )
    try:
        valid_from = date.fromisoformat((row.get("valid_from") or "").strip())
    except ValueError:
        valid_from = None
        fail(
            "valid_from",
            _("not a date as YYYY-MM-DD: %(value)r") % {"value": row.get("valid_from")},
        )
    if valid_from is not None and (valid_from.day, valid_from.month) not in ((1, 1), (1, 7)):
        fail("valid_from", _("the rates are fixed per half-year: 1 January or 1 July"))
    try:
        rate = Decimal((row.get("rate") or "").strip().replace(",", "."))
        if not rate.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        rate = None
        fail("rate", _("not a number: %(value)r") % {"value": row.get("rate")})
    if rate is not None and not MIN_RATE <= rate <= MAX_RATE:
        fail("rate", _("%(rate)s%% is not a plausible reference rate") % {"rate": rate})
    if len(errors) > found:
        return None
    return ReferenceRate(country=country, reference=reference, valid_from=valid_from, rate=rate)


@transaction.atomic
def rates_update(*, text: str) -> int:
    """Load official reference rates from CSV text (country, reference, valid_from, rate in
    % a year), replacing those of the same country and day. All or nothing: a
    ValidationError lists every faulty row with its field and reason."""
    rates = csv_objects(
        text,
        RATE_COLUMNS,
        read=_row_rate,
        key=lambda rate: (rate.country, rate.valid_from),
        duplicate=_("Row %(row)s, valid_from: the same country and day as row %(other)s"),
    )
    ReferenceRate.objects.bulk_create(
        rates,
        update_conflicts=True,
        unique_fields=["country", "valid_from"],
        update_fields=["reference", "rate", "loaded_at"],
    )
    transaction.on_commit(rates_changed)
    return len(rates)
