import holidays
from django.core.exceptions import ValidationError
from django.db import transaction

from relance.core.models import Entity


@transaction.atomic
def entity_create(
    *,
    slug: str,
    name: str,
    country: str,
    currency: str,
    language: str = "",
    time_zone: str = "",
    working_days: str = "",
    holidays_country: str | None = None,
    acting_user=None,
    **fields,
) -> Entity:
    """Create an entity with the defaults of its country: language, time zone and public
    holidays; its late-payment terms are its country pack's until a contract sets them."""
    country = country.upper()
    country_time_zones = {
        "FR": "Europe/Paris",
        "GB": "Europe/London",
        "BE": "Europe/Brussels",
        "CH": "Europe/Zurich",
        "DE": "Europe/Berlin",
        "ES": "Europe/Madrid",
        "IT": "Europe/Rome",
        "US": "America/New_York",
    }
    entity = Entity(
        slug=slug,
        name=name,
        country=country,
        currency=currency.upper(),
        language=language or ("fr" if country in {"FR", "BE", "CH", "LU", "MC"} else "en"),
        time_zone=time_zone or country_time_zones.get(country, "UTC"),
        holidays_country=(country if country in holidays.list_supported_countries() else "")
        if holidays_country is None
        else holidays_country.upper(),
        **fields,
    )
    if working_days:
        entity.working_days = working_days
    entity.full_clean()
    entity.save()
    return entity


def validation_messages(error: ValidationError) -> list[str]:
    """One line per problem, each naming its field: for command-line and import answers."""
    if hasattr(error, "message_dict"):
        return [
            f"{field}: {message}"
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return list(error.messages)
