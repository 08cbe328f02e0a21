from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from relance.countries.models import ReferenceRate
from relance.countries.selectors import schedules
from relance.countries.services import rates_update

# A half-year after the packaged tables (which end with the one from 1 July 2026); the
# figures are made up for the test.
GOOD = (
    "country,reference,valid_from,rate\nGB,BOE_BASE,2027-01-01,3.50\nFR,ECB_MRO,2027-01-01,2.15\n"
)


@pytest.mark.django_db(transaction=True)
def test_loaded_rates_extend_the_packs_and_are_read_again():
    before = schedules()
    assert before["GB"].rate_on(date(2027, 3, 1)) == Decimal("11.75")  # 3.75 carried on
    assert before["FR"].rate_on(date(2027, 3, 1)) == Decimal("12.40")  # 2.40 carried on
    assert rates_update(text=GOOD) == 2
    after = schedules()
    assert after["GB"].rate_on(date(2027, 3, 1)) == Decimal("11.50")  # 3.50 + 8
    assert after["FR"].rate_on(date(2027, 3, 1)) == Decimal("12.15")  # 2.15 + 10
    assert after["FR"].rate_on(date(2026, 9, 1)) == Decimal("12.40")  # packaged, untouched


@pytest.mark.django_db(transaction=True)
def test_a_loaded_rate_replaces_the_packaged_one_of_the_same_day():
    rates_update(text="country,reference,valid_from,rate\nDE,DE_BASISZINS,2025-07-01,1.30\n")
    assert schedules()["DE"].rate_on(date(2025, 8, 1)) == Decimal("10.30")
    rates_update(text="country,reference,valid_from,rate\nDE,DE_BASISZINS,2025-07-01,1.27\n")
    assert ReferenceRate.objects.get().rate == Decimal("1.27")  # updated, not duplicated
    assert schedules()["DE"].rate_on(date(2025, 8, 1)) == Decimal("10.27")


@pytest.mark.django_db
def test_a_bad_file_loads_nothing_and_names_each_row_and_field():
    text = (
        "country,reference,valid_from,rate\n"
        "GB,BOE_BASE,2026-07-01,3.50\n"  # good, yet not loaded
        "XX,BOE_BASE,2026-07-01,3.50\n"
        "GB,ECB_MRO,2026-07-01,3.50\n"
        "FR,ECB_MRO,2026-03-01,2.00\n"
        "FR,ECB_MRO,2026-07-01,abc\n"
        "FR,ECB_MRO,31/12/2026,2\n"
        "DE,DE_BASISZINS,2026-07-01,99\n"
        "GB,BOE_BASE,2026-07-01,3.25\n"
    )
    with pytest.raises(ValidationError) as caught:
        rates_update(text=text)
    messages = caught.value.messages
    assert messages[0].startswith("Row 3, country: no country pack for 'XX'")
    assert messages[1] == "Row 4, reference: GB uses the reference rate BOE_BASE, not 'ECB_MRO'"
    assert (
        messages[2] == "Row 5, valid_from: the rates are fixed per half-year: 1 January or 1 July"
    )
    assert messages[3] == "Row 6, rate: not a number: 'abc'"
    assert messages[4] == "Row 7, valid_from: not a date as YYYY-MM-DD: '31/12/2026'"
    assert messages[5] == "Row 8, rate: 99% is not a plausible reference rate"
    assert messages[6] == "Row 9, valid_from: the same country and day as row 2"
    assert not ReferenceRate.objects.exists()


@pytest.mark.django_db
def test_a_file_without_the_columns_is_refused():
    with pytest.raises(ValidationError, match="no column reference, valid_from"):
        rates_update(text="country,rate\nFR,2\n")


@pytest.mark.django_db(transaction=True)
def test_the_command_loads_a_file_and_shows_the_rates(tmp_path, capsys):
    path = tmp_path / "rates.csv"
    path.write_text(GOOD, encoding="utf-8")
    call_command("rates", "update", "--from", str(path))
    assert "2 reference rates loaded" in capsys.readouterr().out
    call_command("rates", "show", "--country", "gb")
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == "GB\tBOE_BASE\t2027-01-01\t3.5000\t11.5000"
    assert lines[0] == "GB\tBOE_BASE\t2023-01-01\t3.50\t11.50"


@pytest.mark.django_db
def test_the_command_answers_a_bad_file_with_every_row(tmp_path):
    path = tmp_path / "rates.csv"
    path.write_text("country,reference,valid_from,rate\nFR,ECB_MRO,2026-07-01,x\n")
    with pytest.raises(CommandError, match="Nothing loaded:\nRow 2, rate: not a number"):
        call_command("rates", "update", "--from", str(path))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("rates", "update", "--from", str(tmp_path / "missing.csv"))
