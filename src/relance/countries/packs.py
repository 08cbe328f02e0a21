"""The country packs: each jurisdiction's statutory late-payment terms as a TOML file in
`packs/` (the law, the interest formula and its dated reference rates, the fixed
compensation, the public-sector days and the sentences that cite the law). Read once per
process; the rates they carry may be extended by `ReferenceRate` rows (see selectors)."""

import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

PACKS_DIR = Path(__file__).parent / "packs"
PER_PERIOD = "per_period"  # each half-year's rate applies to the days that fall in it
AT_DUE_DATE = "at_due_date"  # the rate of the half-year the debt fell overdue, for good (UK)
DAY_COUNTS = {"actual/365": Decimal(365), "actual/360": Decimal(360)}


@dataclass(frozen=True)
class FeeTier:
    below: Decimal | None  # the tier holds debts under this amount; None: no upper bound
    amount: Decimal


@dataclass(frozen=True)
class Pack:
    country: str
    name: str
    language: str
    currency: str
    law: str
    sources: tuple[str, ...]
    day_count: str
    public_sector_days: int
    rates_known_until: date
    reference: str  # the name of the reference-rate series, e.g. ECB_MRO
    margin: Decimal  # points added to the reference rate
    round_up_to: Decimal  # 0: no rounding; 0.5: up to the next half point (Belgium)
    fixing: str
    rule: str
    rates: tuple[tuple[date, Decimal], ...]  # (valid from, reference rate in %), ascending
    fee_currency: str
    fee_threshold_currency: str
    fee_tiers: tuple[FeeTier, ...]
    sentences: dict  # language -> {"reference", "statutory", "contractual"}

    @property
    def days_per_year(self) -> Decimal:
        return DAY_COUNTS[self.day_count]

    def fee(self, debt: Decimal, currency: str) -> Decimal:
        """The fixed compensation for one debt of `debt` in `currency`. Tiers go by the size
        of the debt in the threshold currency; a debt in another currency gets the lowest
        tier, so that a letter never claims more than the law gives."""
        if currency != self.fee_threshold_currency:
            return self.fee_tiers[0].amount
        for tier in self.fee_tiers:
            if tier.below is None or debt < tier.below:
                return tier.amount
        return self.fee_tiers[-1].amount

    def sentence_language(self, language: str) -> str:
        """The message's language when the pack speaks it, else the pack's own."""
        return language if language in self.sentences else self.language


def _pack(data: dict) -> Pack:
    interest, fees = data["interest"], data["fees"]
    rates = tuple(sorted((row["from"], Decimal(row["rate"])) for row in interest["rates"]))
    tiers = tuple(
        FeeTier(Decimal(t["below"]) if "below" in t else None, Decimal(t["amount"]))
        for t in fees["tiers"]
    )
    assert data["day_count"] in DAY_COUNTS, data["country"]
    assert interest["fixing"] in (PER_PERIOD, AT_DUE_DATE), data["country"]
    return Pack(
        country=data["country"],
        name=data["name"],
        language=data["language"],
        currency=data["currency"],
        law=data["law"],
        sources=tuple(data["sources"]),
        day_count=data["day_count"],
        public_sector_days=int(data["public_sector_days"]),
        rates_known_until=data["rates_known_until"],
        reference=interest["reference"],
        margin=Decimal(interest["margin"]),
        round_up_to=Decimal(interest.get("round_up_to", "0")),
        fixing=interest["fixing"],
        rule=interest["rule"],
        rates=rates,
        fee_currency=fees["currency"],
        fee_threshold_currency=fees.get("threshold_currency", fees["currency"]),
        fee_tiers=tiers,
        sentences=data["sentences"],
    )


@cache
def packs() -> dict[str, Pack]:
    """Every packaged pack by ISO country code, read from the TOML files once."""
    found = {}
    for path in sorted(PACKS_DIR.glob("*.toml")):
        with path.open("rb") as file:
            pack = _pack(tomllib.load(file))
        found[pack.country] = pack
    return found


def pack_for(country: str) -> Pack | None:
    return packs().get((country or "").upper())
