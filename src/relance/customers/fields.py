"""Typed values of custom fields, parsed from text the same way in imports and forms."""

from datetime import date
from decimal import InvalidOperation

from relance.core.parsing import parse_bool, parse_date, parse_decimal
from relance.customers.choices import CustomFieldType


def parse_custom_value(field, raw):
    """The JSON-storable value of `raw` for `field`; None for empty; ValueError says why not."""
    text = "" if raw is None else str(raw).strip()
    if text == "":
        if field.required:
            raise ValueError("required")
        return None
    match field.type:
        case CustomFieldType.INTEGER:
            try:
                return int(text)
            except ValueError:
                raise ValueError(f"{text!r} is not a whole number") from None
        case CustomFieldType.DECIMAL:
            try:
                return str(parse_decimal(text))
            except (InvalidOperation, ValueError):
                raise ValueError(f"{text!r} is not a number") from None
        case CustomFieldType.DATE:
            value: date = parse_date(text)
            return value.isoformat()
        case CustomFieldType.BOOLEAN:
            return parse_bool(text)
        case CustomFieldType.SELECT:
            if text not in field.choices:
                raise ValueError(f"{text!r} is not one of {', '.join(map(str, field.choices))}")
            return text
    return text
