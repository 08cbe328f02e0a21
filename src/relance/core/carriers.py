"""Postal carriers and their tracking pages, for registered letters a collector posted.

A tracking number is kept with the carrier it was given by (the entity's country at the time:
`carrier_for_country`), so that its link survives a change of carrier. A carrier is a name
and a URL pattern in which `{number}` is replaced by the tracking number (docs/channels.md).
"""

import re
from dataclasses import dataclass
from urllib.parse import quote


@dataclass(frozen=True)
class Carrier:
    code: str
    name: str
    url: str  # `{number}` stands for the tracking number

    def tracking_url(self, number: str) -> str:
        return self.url.format(number=quote(number, safe=""))


CARRIERS = {
    carrier.code: carrier
    for carrier in (
        Carrier(
            "laposte", "La Poste", "https://www.laposte.fr/outils/suivre-vos-envois?code={number}"
        ),
        Carrier(
            "royal_mail",
            "Royal Mail",
            "https://www.royalmail.com/track-your-item#/tracking-results/{number}",
        ),
        Carrier("bpost", "bpost", "https://track.bpost.cloud/btr/web/#/search?itemCode={number}"),
        Carrier(
            "deutsche_post",
            "Deutsche Post",
            "https://www.deutschepost.de/de/s/sendungsverfolgung.html?piececode={number}",
        ),
        Carrier(
            "post_ch", "La Poste suisse", "https://service.post.ch/ekp-web/ui/entry/search/{number}"
        ),
        Carrier(
            "post_lu",
            "POST Luxembourg",
            "https://www.post.lu/particuliers/colis-courrier/track-and-trace#/search?code={number}",
        ),
    )
}
# The carrier of the registered mail posted from a country (ISO 3166 code).
CARRIER_BY_COUNTRY = {
    "FR": "laposte",
    "MC": "laposte",
    "GB": "royal_mail",
    "BE": "bpost",
    "DE": "deutsche_post",
    "CH": "post_ch",
    "LU": "post_lu",
}
DEFAULT_CARRIER = "laposte"

# What a scanner or a person types: letters and digits, spaces and dashes left out.
TRACKING_NUMBER = re.compile(r"^[A-Z0-9]{8,30}$")
_SEPARATORS = re.compile(r"[\s\-.]+")


def carrier_for_country(country: str) -> Carrier:
    return CARRIERS[CARRIER_BY_COUNTRY.get((country or "").upper(), DEFAULT_CARRIER)]


def tracking_url(carrier_code: str, number: str) -> str:
    """The carrier's page for `number`, or "" when either is unknown."""
    carrier = CARRIERS.get(carrier_code)
    return carrier.tracking_url(number) if carrier and number else ""


def carrier_name(carrier_code: str) -> str:
    carrier = CARRIERS.get(carrier_code)
    return carrier.name if carrier else ""


def normalize_tracking_number(value: str) -> str:
    """`value` without spaces or dashes, in capitals ("1a 0012 3456 789" -> "1A00123456789")."""
    return _SEPARATORS.sub("", value or "").upper()


def is_tracking_number(value: str) -> bool:
    return bool(TRACKING_NUMBER.match(value))
