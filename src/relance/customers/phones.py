"""Phone numbers in E.164, read the same way by the contacts import, the contact form and
the SMS channel: in the contact's (or customer's) country unless written with a + prefix."""

import phonenumbers


def e164(value: str, region: str | None) -> str | None:
    """`value` in E.164, or None when it is no valid phone number ("" for an empty one)."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, (region or "").upper() or None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
