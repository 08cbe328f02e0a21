"""Reads: the rate tables (packaged rates merged with the loaded ones, kept in memory) and
the late-payment terms that apply to one customer of one entity."""

import threading
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.cache import cache

from relance.core.choices import LateTermsCountry
from relance.countries.interest import Schedule, contractual_schedule, pack_schedule
from relance.countries.models import ReferenceRate
from relance.countries.packs import Pack, pack_for, packs

# The loaded rates are read once per process and read again when `relance rates update`
# changes this key (shared through Redis when CACHE_URL is set; else each process reads
# again at the latest after VERSION_SECONDS).
VERSION_KEY = "countries:rates-version"
VERSION_SECONDS = 300
_lock = threading.Lock()
_loaded: dict = {"version": None, "schedules": {}}


def rates_changed() -> None:
    """Tell every process to read the rate tables again."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, VERSION_SECONDS)


def _read_schedules() -> dict[str, Schedule]:
    loaded: dict[str, dict[date, Decimal]] = {}
    for country, valid_from, rate in ReferenceRate.objects.values_list(
        "country", "valid_from", "rate"
    ):
        loaded.setdefault(country, {})[valid_from] = rate
    schedules = {}
    for country, pack in packs().items():
        table = dict(pack.rates) | loaded.get(country, {})
        schedules[country] = pack_schedule(pack, list(table.items()))
    return schedules


def schedules() -> dict[str, Schedule]:
    """Each pack's statutory schedule, by country: one query when the tables changed (or
    were never read in this process), none otherwise."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.set(VERSION_KEY, version, VERSION_SECONDS)
    with _lock:
        if _loaded["version"] != version:
            _loaded["schedules"] = _read_schedules()
            _loaded["version"] = version
        return _loaded["schedules"]


@dataclass(frozen=True)
class LateTerms:
    """What a letter to one customer claims: the pack (None where no pack covers the
    country), the interest schedule, and whether rate and fee are the contract's."""

    pack: Pack | None
    schedule: Schedule | None  # None: no interest at all
    contractual_rate: Decimal | None
    contractual_fee: Decimal | None
    fee_currency: str

    @property
    def is_contractual(self) -> bool:
        return self.contractual_rate is not None

    def fee(self, debt: Decimal, currency: str) -> Decimal:
        if self.contractual_fee is not None:
            return self.contractual_fee
        return self.pack.fee(debt, currency) if self.pack else Decimal("0")

    def rate_on(self, day: date) -> Decimal | None:
        return self.schedule.rate_on(day) if self.schedule else None


def terms_country(entity, customer) -> str:
    """The country whose law applies: the entity's, or the customer's when the entity says
    so and a pack covers it."""
    if entity.late_terms_country == LateTermsCountry.CUSTOMER and pack_for(customer.country):
        return customer.country.upper()
    return (entity.country or "").upper()


def late_terms(entity, customer, tables: dict[str, Schedule] | None = None) -> LateTerms:
    """The terms for `customer` of `entity`; `tables` from `schedules()` (read once per
    batch by the caller)."""
    country = terms_country(entity, customer)
    pack = pack_for(country)
    contractual = entity.late_interest_rate
    if contractual is not None:
        days = pack.days_per_year if pack else Decimal(365)
        schedule = contractual_schedule(contractual, days)
    elif pack is not None:
        schedule = (tables if tables is not None else schedules()).get(country)
    else:
        schedule = None
    fee_currency = (
        entity.currency if entity.recovery_fee is not None or pack is None else (pack.fee_currency)
    )
    return LateTerms(pack, schedule, contractual, entity.recovery_fee, fee_currency)
