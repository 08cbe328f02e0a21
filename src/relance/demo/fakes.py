"""Made-up but valid identities: legal ids with their check digits, names, addresses, phones.

Every function takes the caller's `random.Random`, so the same seed gives the same company.
Landlines come from the ranges the regulators keep for fiction (ARCEP in France, Ofcom in
the UK); mobiles are drawn at random and kept only if libphonenumber calls them valid.
Emails use the `.example` top-level domain, reserved by RFC 2606, so they reach no one.
"""

import functools
import random
import unicodedata
from datetime import date, timedelta

import phonenumbers
from django.utils.text import slugify
from stdnum import luhn
from stdnum.fr import siren as fr_siren

from relance.demo import words

EMAIL_DOMAIN = "example"

# ARCEP's numbers for fiction, by the first digit of the French fixed-line region.
FR_FICTION_LANDLINES = {
    "1": "+3319900",
    "2": "+3326191",
    "3": "+3335301",
    "4": "+3346571",
    "5": "+3353649",
}
FR_REGION_BY_DEPARTMENT = {
    **dict.fromkeys(["75", "77", "78", "91", "92", "93", "94", "95"], "1"),
    **dict.fromkeys(["14", "29", "35", "37", "44", "45", "49", "72", "76"], "2"),
    **dict.fromkeys(["21", "25", "51", "54", "57", "59", "67", "68", "80"], "3"),
    **dict.fromkeys(["06", "13", "30", "34", "38", "42", "63", "66", "69", "74", "83"], "4"),
}  # everything else is the south-west, "5"
# Ofcom's numbers for fiction: the area's drama range, completed with random digits.
GB_FICTION_LANDLINES = {
    "London": "+442079460",
    "Leeds": "+441134960",
    "Sheffield": "+441144960",
    "Leicester": "+441164960",
    "Bristol": "+441174960",
    "Reading": "+441184960",
    "Birmingham": "+441214960",
    "Edinburgh": "+441314960",
    "Glasgow": "+441414960",
    "Liverpool": "+441514960",
    "Manchester": "+441614960",
    "Newcastle upon Tyne": "+441914980",
    "Belfast": "+442896496",
    "Cardiff": "+442920180",
    "Oxford": "+44186596",
}
E164_LENGTH = {"FR": 12, "GB": 13}


def digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choices("0123456789", k=count))


def with_luhn(number: str) -> str:
    return number + luhn.calc_check_digit(number)


def siren_for(index: int) -> str:
    """A valid SIREN, different for every index below 90 million (the multiplier is prime
    and does not divide the range, so the map is one-to-one)."""
    body = 10_000_000 + (31_415_926 + index * 104_729) % 90_000_000
    number = with_luhn(f"{body:08d}")
    assert fr_siren.is_valid(number)
    return number


def siret_for(siren: str, establishment: int = 1) -> str:
    return with_luhn(f"{siren}{establishment:04d}")


def gb_vat_for(index: int) -> str:
    """A GB VAT number whose mod-97 check (weights 8..2) holds: 7 digits, then 2 check digits."""
    body = f"{1_000_000 + (2_718_281 + index * 7_919) % 9_000_000:07d}"
    weighted = sum(weight * int(digit) for weight, digit in zip(range(8, 1, -1), body, strict=True))
    return f"GB{body}{-weighted % 97:02d}"


def ascii_word(text: str) -> str:
    """'Hélène' -> 'helene', for email local parts."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(char for char in plain.lower() if char.isalnum() or char == "-")


def person(rng: random.Random, country: str) -> tuple[str, str]:
    if country == "FR":
        return rng.choice(words.FR_FIRST_NAMES), rng.choice(words.FR_LAST_NAMES)
    return rng.choice(words.GB_FIRST_NAMES), rng.choice(words.GB_LAST_NAMES)


def email(first_name: str, last_name: str, domain: str) -> str:
    return f"{ascii_word(first_name)}.{ascii_word(last_name)}@{domain}"


def company_domain(name: str) -> str:
    return f"{slugify(name)[:40].strip('-')}.{EMAIL_DOMAIN}"


def is_e164(number: str, mobile: bool = False) -> bool:
    parsed = phonenumbers.parse(number)
    if not phonenumbers.is_valid_number(parsed):
        return False
    kind = phonenumbers.number_type(parsed)
    return kind == phonenumbers.PhoneNumberType.MOBILE if mobile else True


@functools.cache
def _mobile_blocks(country: str) -> tuple[str, ...]:
    """Valid mobile blocks: the country code and first 5 national digits, which decide
    whether a French or UK number is a valid mobile. Drawing from them spares parsing every
    number; the candidates come from a fixed stream, so the list is the same every run."""
    prefix = "+336" if country == "FR" else "+447"
    candidates = random.Random(f"mobile-blocks:{country}")
    blocks: list[str] = []
    while len(blocks) < 400:
        block = prefix + digits(candidates, 4)
        if block not in blocks and is_e164(block.ljust(E164_LENGTH[country], "0"), mobile=True):
            blocks.append(block)
    return tuple(blocks)


def mobile(rng: random.Random, country: str) -> str:
    """A valid E.164 mobile: +33 6… in France, +44 7… in the UK."""
    block = rng.choice(_mobile_blocks(country))
    return block + digits(rng, E164_LENGTH[country] - len(block))


def landline(rng: random.Random, country: str, postal_code: str, city: str) -> str:
    """A valid E.164 landline of the customer's area, from the numbers kept for fiction."""
    if country == "FR":
        region = FR_REGION_BY_DEPARTMENT.get(postal_code[:2], "5")
        prefix = FR_FICTION_LANDLINES[region]
    else:
        prefix = GB_FICTION_LANDLINES.get(city, GB_FICTION_LANDLINES["London"])
    return prefix + digits(rng, E164_LENGTH[country] - len(prefix))


def address(rng: random.Random, country: str) -> dict[str, str]:
    if country == "FR":
        postal_code, city = rng.choice(words.FR_CITIES)
        street = f"{rng.randint(1, 180)} {rng.choice(words.FR_STREET_TYPES)} " + rng.choice(
            words.FR_STREET_NAMES
        )
        line2 = rng.choice(["", "", "", "", "Bâtiment B", "ZI des Fontaines", "BP 42", "3e étage"])
    else:
        district, city = rng.choice(words.GB_CITIES)
        postal_code = (
            f"{district} {rng.randint(1, 9)}"
            + rng.choice(words.GB_POSTCODE_LETTERS)
            + rng.choice(words.GB_POSTCODE_LETTERS)
        )
        street = f"{rng.randint(1, 240)} {rng.choice(words.GB_STREET_NAMES)} " + rng.choice(
            words.GB_STREET_TYPES
        )
        line2 = rng.choice(["", "", "", "", f"Unit {rng.randint(1, 30)}", "Enterprise Park"])
    return {
        "address_line1": street,
        "address_line2": line2,
        "postal_code": postal_code,
        "city": city,
    }


def french_of(city: str) -> str:
    """The word "de" before a French town's name as French writes it: d'Angers, du Havre, du Mans,
    des Sables-d'Olonne, de La Rochelle, de Paris (an initial h is left alone: Haguenau's
    is aspirated)."""
    for article, contracted in (("Le ", "du "), ("Les ", "des ")):
        if city.startswith(article):
            return contracted + city[len(article) :]
    if unicodedata.normalize("NFD", city[:1])[:1].lower() in "aeiouy":
        return f"d'{city}"
    return f"de {city}"


def company_name(rng: random.Random, country: str, category: str, city: str) -> str:
    """A company name in the customer's language that fits its category."""
    if country == "FR":
        if category == "Public sector":
            return rng.choice(words.FR_PUBLIC).format(of_city=french_of(city))
        if category == "Retail":
            return f"{rng.choice(words.FR_RETAIL)} {rng.choice(words.FR_LAST_NAMES)}"
        form = rng.choice(words.FR_LEGAL_FORMS)
        match rng.randrange(4):
            case 0:
                return f"{rng.choice(words.FR_TRADES)} {rng.choice(words.FR_LAST_NAMES)} {form}"
            case 1:
                return f"{rng.choice(words.FR_LAST_NAMES)} & Fils {form}"
            case 2:
                return f"{rng.choice(words.FR_TRADES)} {rng.choice(words.FR_LAST_NAMES)} Frères"
            case _:
                brand = rng.choice(words.FR_BRAND_PARTS) + rng.choice(words.FR_BRAND_ENDINGS)
                return f"{brand.capitalize()} {form}"
    if category == "Public sector":
        return rng.choice(words.GB_PUBLIC).format(city=city)
    if category == "Retail":
        return f"{rng.choice(words.GB_LAST_NAMES)}'s {rng.choice(words.GB_RETAIL)}"
    form = rng.choice(words.GB_LEGAL_FORMS)
    match rng.randrange(3):
        case 0:
            return f"{rng.choice(words.GB_LAST_NAMES)} {rng.choice(words.GB_TRADES)} {form}"
        case 1:
            return f"{rng.choice(words.GB_LAST_NAMES)} & Sons {form}"
        case _:
            return f"{rng.choice(words.GB_BRAND_PARTS)} {rng.choice(words.GB_TRADES)} {form}"


def day_between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))
