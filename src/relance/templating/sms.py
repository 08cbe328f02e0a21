"""SMS length in the units that operators bill: GSM-7 septets when every character is in the
GSM 03.38 alphabet, else UCS-2 code units; a message longer than one SMS is split into parts
that each lose room to the concatenation header (160/153 septets, 70/67 units)."""

from dataclasses import dataclass

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Characters of the extension table: an escape plus the character, two septets each.
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")

LIMITS = {"GSM-7": (160, 153), "UCS-2": (70, 67)}


@dataclass(frozen=True)
class SmsLength:
    encoding: str  # "GSM-7" or "UCS-2"
    characters: int
    units: int  # septets for GSM-7, 16-bit code units for UCS-2
    segments: int

    @property
    def single_limit(self) -> int:
        return LIMITS[self.encoding][0]


def _unit_sizes(text: str) -> tuple[str, list[int]]:
    if all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text):
        return "GSM-7", [2 if char in GSM7_EXTENSION else 1 for char in text]
    # Outside the Basic Multilingual Plane a character is a surrogate pair: two units.
    return "UCS-2", [2 if ord(char) > 0xFFFF else 1 for char in text]


def sms_length(text: str) -> SmsLength:
    """The encoding, size and number of parts of `text` sent as an SMS.

    A two-unit character (a GSM-7 escape or a UCS-2 surrogate pair) is never split between
    two parts, so a part may end one unit short.
    """
    encoding, sizes = _unit_sizes(text)
    units = sum(sizes)
    single, multi = LIMITS[encoding]
    if units == 0:
        return SmsLength(encoding, 0, 0, 0)
    if units <= single:
        return SmsLength(encoding, len(text), units, 1)
    segments, used = 1, 0
    for size in sizes:
        if used + size > multi:
            segments, used = segments + 1, 0
        used += size
    return SmsLength(encoding, len(text), units, segments)
