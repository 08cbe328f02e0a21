import pytest
from django.core.exceptions import ValidationError

from relance.core.services import entity_create


@pytest.mark.django_db
def test_a_french_entity_gets_french_defaults_and_the_statutory_late_terms():
    entity = entity_create(slug="acme-fr", name="Acme France", country="fr", currency="eur")

    assert (entity.language, entity.time_zone, entity.holidays_country) == (
        "fr",
        "Europe/Paris",
        "FR",
    )
    # No contractual fee or rate: the French pack's (40 EUR, ECB + 10 points) apply.
    assert entity.recovery_fee is None and entity.late_interest_rate is None
    assert entity.working_days == "mon,tue,wed,thu,fri"


@pytest.mark.django_db
def test_a_british_entity_has_the_statutory_terms_and_uk_holidays():
    entity = entity_create(slug="globex", name="Globex", country="GB", currency="GBP")

    assert (entity.language, entity.time_zone, entity.holidays_country) == (
        "en",
        "Europe/London",
        "GB",
    )
    assert entity.recovery_fee is None


@pytest.mark.django_db
def test_bad_codes_are_refused_each_naming_its_field():
    with pytest.raises(ValidationError) as error:
        entity_create(slug="x", name="X", country="ZZ", currency="EUX", time_zone="Mars/Olympus")

    assert set(error.value.message_dict) == {"country", "currency", "time_zone"}


@pytest.mark.django_db
def test_working_days_skip_weekends_and_public_holidays():
    import datetime

    entity = entity_create(slug="acme-fr", name="Acme France", country="FR", currency="EUR")

    assert entity.is_working_day(datetime.date(2026, 7, 13))  # Monday
    assert not entity.is_working_day(datetime.date(2026, 7, 14))  # Bastille Day, a Tuesday
    assert not entity.is_working_day(datetime.date(2026, 7, 18))  # Saturday


@pytest.mark.django_db
def test_british_vat_numbers_are_checked_with_the_uk_check_digits():
    entity = entity_create(
        slug="globex", name="Globex", country="GB", currency="GBP", vat_number="GB980780684"
    )

    with pytest.raises(ValidationError) as error:
        entity_create(
            slug="bad", name="Bad", country="GB", currency="GBP", vat_number="GB980780685"
        )

    assert entity.vat_number == "GB980780684"
    assert set(error.value.message_dict) == {"vat_number"}
