"""Interest and fees per country pack, against figures worked by hand (actual/365: open
amount × yearly rate × days of the period / 365, summed, rounded once to the cent)."""

from datetime import date
from decimal import Decimal

import pytest

from relance.countries.interest import (
    contractual_schedule,
    item_interest,
    pack_schedule,
    statutory_rate,
)
from relance.countries.packs import AT_DUE_DATE, pack_for, packs

EU_40 = {"FR", "DE", "ES", "IT", "BE", "NL", "PT", "HR", "RO"}
PACK_COUNTRIES = {"FR", "GB", "DE", "ES", "IT", "BE", "NL", "PT", "PL", "RO", "HR", "SE", "IE"}


def schedule(country: str):
    pack = pack_for(country)
    return pack_schedule(pack, list(pack.rates))


def test_every_pack_required_by_the_issue_is_there_and_complete():
    assert set(packs()) >= PACK_COUNTRIES
    for code, pack in packs().items():
        assert pack.language in pack.sentences, code  # the pack's own language
        assert "en" in pack.sentences, code
        assert pack.public_sector_days == 30, code
        assert pack.rates[0][0] == date(2023, 1, 1) and pack.rates_known_until >= date(2026, 6, 30)
        for start, _ in pack.rates:
            assert (start.day, start.month) in ((1, 1), (1, 7)), code  # half-years
        for language, sentences in pack.sentences.items():
            for key in ("statutory", "contractual"):
                text = sentences[key].format(
                    rate="R%", reference_rate="REF%", interest="INT", fee="FEE"
                )
                assert "R%" in text and "INT" in text and "FEE" in text, (code, language, key)


def test_france_ecb_plus_10_over_three_half_years():
    # 10,000.00 EUR due 31 May 2024, letter of 15 March 2025: 288 days late.
    #   1 Jun - 30 Jun 2024:  30 days at 14.50 % (ECB 4.50 on 1 Jan 2024 + 10)
    #       10000 × 0.1450 × 30 / 365  =  119.1781
    #   1 Jul - 31 Dec 2024: 184 days at 14.25 % (ECB 4.25 on 1 Jul 2024 + 10)
    #       10000 × 0.1425 × 184 / 365 =  718.3562
    #   1 Jan - 15 Mar 2025:  74 days at 13.15 % (ECB 3.15 on 1 Jan 2025 + 10)
    #       10000 × 0.1315 × 74 / 365  =  266.6027
    #   total 1,104.1370 -> 1,104.14 EUR
    result = item_interest(
        Decimal("10000.00"), date(2024, 5, 31), date(2025, 3, 15), schedule("FR")
    )
    assert result.days == 288
    assert [(p.start, p.end, p.days, p.rate) for p in result.periods] == [
        (date(2024, 6, 1), date(2024, 6, 30), 30, Decimal("14.50")),
        (date(2024, 7, 1), date(2024, 12, 31), 184, Decimal("14.25")),
        (date(2025, 1, 1), date(2025, 3, 15), 74, Decimal("13.15")),
    ]
    assert result.amount == Decimal("1104.14")
    assert pack_for("FR").fee(Decimal("10000"), "EUR") == Decimal("40")


def test_germany_base_rate_plus_9_over_three_half_years():
    # 5,000.00 EUR due 15 December 2024, letter of 10 August 2025: 238 days late.
    #   16 Dec - 31 Dec 2024:  16 days at 12.37 % (Basiszinssatz 3.37 + 9)
    #       5000 × 0.1237 × 16 / 365  =  27.1123
    #   1 Jan - 30 Jun 2025:  181 days at 11.27 % (Basiszinssatz 2.27 + 9)
    #       5000 × 0.1127 × 181 / 365 = 279.4342
    #   1 Jul - 10 Aug 2025:   41 days at 10.27 % (Basiszinssatz 1.27 + 9)
    #       5000 × 0.1027 × 41 / 365  =  57.6808
    #   total 364.2274 -> 364.23 EUR, plus the 40 EUR Pauschale (§ 288 Abs. 5 BGB)
    result = item_interest(
        Decimal("5000.00"), date(2024, 12, 15), date(2025, 8, 10), schedule("DE")
    )
    assert result.days == 238
    assert [(p.days, p.rate) for p in result.periods] == [
        (16, Decimal("12.37")),
        (181, Decimal("11.27")),
        (41, Decimal("10.27")),
    ]
    assert result.amount == Decimal("364.23")
    assert pack_for("DE").fee(Decimal("5000"), "EUR") == Decimal("40")


def test_uk_rate_is_fixed_on_the_half_year_the_debt_fell_overdue():
    # The 2002 Order fixes the rate once per debt: the base rate of 31 Dec (debts overdue
    # 1 Jan - 30 Jun) or 30 Jun (overdue 1 Jul - 31 Dec) + 8, until it is paid, however many
    # half-years it then crosses. Letter of 10 February 2025.
    uk, today = schedule("GB"), date(2025, 2, 10)
    assert uk.fixing == AT_DUE_DATE
    # A: £1,500.00 due 20 Jun 2024, overdue from 21 Jun 2024 (H1 2024: 5.25 + 8 = 13.25 %),
    #    235 days across H1 2024, H2 2024 and H1 2025 at the one rate:
    #    1500 × 0.1325 × 235 / 365 = 127.9623 -> £127.96
    a = item_interest(Decimal("1500.00"), date(2024, 6, 20), today, uk)
    assert (a.days, a.rates, a.amount) == (235, (Decimal("13.25"),), Decimal("127.96"))
    # B: £999.99 due 31 Dec 2024, overdue from 1 Jan 2025 (H1 2025: 4.75 + 8 = 12.75 %),
    #    41 days: 999.99 × 0.1275 × 41 / 365 = 14.3217 -> £14.32
    b = item_interest(Decimal("999.99"), date(2024, 12, 31), today, uk)
    assert (b.days, b.rates, b.amount) == (41, (Decimal("12.75"),), Decimal("14.32"))
    # C: £10,000.00 due 15 Jun 2023, overdue from 16 Jun 2023 (H1 2023: 3.50 + 8 = 11.50 %),
    #    606 days over five half-years: 10000 × 0.1150 × 606 / 365 = 1909.3151 -> £1,909.32
    c = item_interest(Decimal("10000.00"), date(2023, 6, 15), today, uk)
    assert (c.days, c.rates, c.amount) == (606, (Decimal("11.50"),), Decimal("1909.32"))


@pytest.mark.parametrize(
    ("debt", "fee"),
    [("999.99", "40"), ("1000.00", "70"), ("9999.99", "70"), ("10000.00", "100")],
)
def test_uk_fixed_compensation_tiers(debt, fee):
    # Section 5A: under £1,000 -> £40; £1,000 to £9,999.99 -> £70; £10,000 or more -> £100.
    assert pack_for("GB").fee(Decimal(debt), "GBP") == Decimal(fee)


def test_a_debt_in_another_currency_gets_the_lowest_tier():
    assert pack_for("GB").fee(Decimal("50000"), "EUR") == Decimal("40")


def test_ireland_and_poland_have_tiers_too():
    ireland, poland = pack_for("IE"), pack_for("PL")
    assert [ireland.fee(Decimal(d), "EUR") for d in ("999.99", "1000", "10000")] == [
        Decimal("40"),
        Decimal("70"),
        Decimal("100"),
    ]
    # Art. 10: 40 / 70 / 100 EUR for debts under 5,000 / under 50,000 / from 50,000 PLN.
    assert [poland.fee(Decimal(d), "PLN") for d in ("4999.99", "5000", "50000")] == [
        Decimal("40"),
        Decimal("70"),
        Decimal("100"),
    ]
    assert poland.fee_currency == "EUR"


@pytest.mark.parametrize(
    ("country", "day", "rate"),
    [
        ("FR", date(2025, 9, 1), "12.15"),  # ECB 2.15 + 10
        ("GB", date(2025, 9, 1), "12.25"),  # BoE 4.25 on 30 Jun 2025 + 8
        ("DE", date(2025, 9, 1), "10.27"),  # 1.27 + 9
        ("ES", date(2024, 3, 1), "12.50"),  # ECB 4.50 + 8
        ("IT", date(2025, 3, 1), "11.15"),  # ECB 3.15 + 8
        ("BE", date(2024, 9, 1), "12.5"),  # ECB 4.25 + 8 = 12.25, up to the half point
        ("BE", date(2025, 3, 1), "11.5"),  # 3.15 + 8 = 11.15 -> 11.5
        ("NL", date(2025, 9, 1), "10.15"),
        ("PT", date(2023, 9, 1), "12.00"),
        ("PL", date(2024, 3, 1), "15.75"),  # NBP 5.75 + 10
        ("RO", date(2025, 3, 1), "14.50"),  # BNR 6.50 + 8
        ("HR", date(2024, 9, 1), "12.25"),
        ("SE", date(2024, 9, 1), "12.00"),  # referensränta 4.00 + 8
        # Policy rate 2.75 on 31 Dec 2024, rounded up to the half point: referensränta 3.00 + 8
        ("SE", date(2025, 3, 1), "11.00"),
        ("IE", date(2023, 3, 1), "10.50"),  # ECB 2.50 + 8
        # From 1 July 2026: ECB 2.40 after the June 2026 rise, Basiszinssatz 1.27 + 0.25
        ("FR", date(2026, 9, 1), "12.40"),  # 2.40 + 10
        ("DE", date(2026, 9, 1), "10.52"),  # 1.52 + 9
        ("BE", date(2026, 9, 1), "10.5"),  # 2.40 + 8 = 10.40 -> 10.5
        ("GB", date(2026, 9, 1), "11.75"),  # BoE 3.75 on 30 Jun 2026 + 8
    ],
)
def test_each_pack_rate_in_force(country, day, rate):
    assert schedule(country).rate_on(day) == Decimal(rate)


def test_sweden_fee_is_450_kronor_and_the_eu_packs_40_euros():
    assert (pack_for("SE").fee(Decimal("1"), "SEK"), pack_for("SE").fee_currency) == (
        Decimal("450"),
        "SEK",
    )
    for code in EU_40:
        assert pack_for(code).fee(Decimal("123456"), "EUR") == Decimal("40"), code


def test_no_interest_on_the_due_date_and_from_the_next_day():
    fr = schedule("FR")
    assert item_interest(Decimal("365.00"), date(2025, 9, 1), date(2025, 9, 1), fr).amount == 0
    # One day at 12.15 %: 365 × 0.1215 × 1 / 365 = 0.1215 -> 0.12
    one = item_interest(Decimal("365.00"), date(2025, 9, 1), date(2025, 9, 2), fr)
    assert (one.days, one.amount) == (1, Decimal("0.12"))


def test_a_contractual_rate_replaces_the_periods():
    # 1,000.00 late 100 days at a contractual 15 %: 1000 × 0.15 × 100 / 365 = 41.0959 -> 41.10
    result = item_interest(
        Decimal("1000.00"), date(2025, 1, 1), date(2025, 4, 11), contractual_schedule(Decimal(15))
    )
    assert (result.days, result.rates, result.amount) == (100, (Decimal(15),), Decimal("41.10"))


def test_after_the_last_known_period_its_rate_carries_on():
    fr = pack_for("FR")
    assert statutory_rate(fr.rates[-1][1], fr) == schedule("FR").rate_on(date(2027, 3, 1))
