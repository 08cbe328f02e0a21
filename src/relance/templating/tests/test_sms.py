import pytest

from relance.templating.sms import sms_length


@pytest.mark.parametrize(
    ("text", "encoding", "units", "segments"),
    [
        ("", "GSM-7", 0, 0),
        ("a" * 160, "GSM-7", 160, 1),
        ("a" * 161, "GSM-7", 161, 2),
        ("a" * 306, "GSM-7", 306, 2),
        ("a" * 307, "GSM-7", 307, 3),
        ("é" * 160, "GSM-7", 160, 1),  # é is in the GSM-7 alphabet
        ("€" * 80, "GSM-7", 160, 1),  # € is an extension character: two septets
        ("€" * 81, "GSM-7", 162, 2),
        ("a" * 152 + "€", "GSM-7", 154, 1),
        ("[]{}", "GSM-7", 8, 1),
        ("ç" * 70, "UCS-2", 70, 1),  # lower-case ç is not GSM-7
        ("ç" * 71, "UCS-2", 71, 2),
        ("a" * 134 + "ê", "UCS-2", 135, 3),
        ("a" * 133 + "ê", "UCS-2", 134, 2),
        ("😀" * 35, "UCS-2", 70, 1),  # outside the BMP: a surrogate pair each
        ("😀" * 36, "UCS-2", 72, 2),
    ],
)
def test_sms_length(text, encoding, units, segments):
    length = sms_length(text)
    assert (length.encoding, length.units, length.segments) == (encoding, units, segments)
    assert length.characters == len(text)


def test_a_two_septet_character_is_not_split_between_parts():
    # 152 septets then "€" (2): the first part holds 153, so "€" opens the second part.
    assert sms_length("a" * 152 + "€" + "a" * 151).segments == 2
    # 306 septets would fit two parts of 153, but not without splitting the "€".
    assert sms_length("a" * 152 + "€" + "a" * 152).segments == 3
