# ruff: noqa: E501, SIM905 (pattern tables: one pattern a line reads best)
"""What the assistant reads of a message: the customer's own words (quoted history, forward
headers and signature blocks cut off, in the four languages' mail-client phrasings), folded
for matching (lower case, no accents, same length so spans map back), and its language."""

import re
import unicodedata

# A reply's quoted part starts at one of these lines (Gmail, Outlook, Thunderbird, Apple
# Mail in fr/en/de/es); everything from there on is history, not the customer's answer.
QUOTE_START = re.compile(
    r"^\s*(?:"
    r"(?:le|on|am|el)\s.{4,200}(?:a\s+[ée]crit|wrote|schrieb|escribi[óo])(?:\s.{0,120})?:?\s*"
    r"|-{2,}\s*(?:original message|message d'origine|urspr[üu]ngliche nachricht|mensaje original)\s*-*"
    r"|_{10,}"
    r")$",
    re.IGNORECASE | re.MULTILINE,
)
# Outlook's header block of a quoted message, after some text of the reply.
OUTLOOK_QUOTE = re.compile(
    r"^\s*(?:de|from|von)\s?:\s.+\n(?:.*\n){0,3}?\s*(?:envoy[ée]|sent|gesendet|enviado)\s?:",
    re.IGNORECASE | re.MULTILINE,
)
FORWARD_MARK = re.compile(
    r"^\s*-{2,}\s*(?:message transf[ée]r[ée]|forwarded message|weitergeleitete nachricht|mensaje reenviado)\s*-*\s*$",
    re.IGNORECASE,
)
HEADER_LINE = re.compile(
    r"^\s*(?:de|from|von|to|[àa]|an|para|cc|date|datum|fecha|objet|subject|betreff|asunto|envoy[ée]|sent|gesendet|enviado)\s?:",
    re.IGNORECASE,
)
SIGNATURE_MARK = re.compile(r"^-- ?$", re.MULTILINE)

STOPWORDS = {
    "fr": "le la les des est nous vous pour une pas que avec sur merci facture bonjour notre votre sera".split(),
    "en": "the and is we you for our your will not with this invoice please thanks have was".split(),
    "de": "die der und ist wir sie für nicht mit ihre unsere rechnung bitte den das wurde".split(),
    "es": "el la los las es nosotros para una no que con su nuestra factura por gracias del".split(),
}


def fold(text: str) -> str:
    """Lower case without accents, one character for one (spans stay valid on `text`)."""
    return "".join(unicodedata.normalize("NFD", c)[0] for c in text.lower())


def own_words(text: str) -> str:
    """The customer's own answer in `text`: no quoted history, no forward header, no
    signature after a `-- ` line."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    lines = []
    skipping_headers = False
    for line in text.split("\n"):
        if FORWARD_MARK.match(line):
            skipping_headers = True
            continue
        if skipping_headers:
            if HEADER_LINE.match(line):
                continue
            skipping_headers = False
        lines.append(line)
    text = "\n".join(lines)
    cut = len(text)
    for pattern in (QUOTE_START, OUTLOOK_QUOTE, SIGNATURE_MARK):
        match = pattern.search(text)
        if match and match.start() > 0:
            cut = min(cut, match.start())
    quoted = re.search(r"^>", text, re.MULTILINE)
    if quoted and quoted.start() > 0:
        cut = min(cut, quoted.start())
    return text[:cut].strip() or text.strip()


def language_of(text: str, default: str = "fr") -> str:
    """The language of most of `text` among fr, en, de, es (`default` when nothing tells)."""
    words = re.findall(r"[a-z']+", fold(text))
    scores = {lang: sum(word in stop for word in words) for lang, stop in FOLDED_STOPWORDS.items()}
    best = max(scores, key=lambda lang: (scores[lang], lang == default))
    return best if scores[best] else default


FOLDED_STOPWORDS = {
    lang: frozenset(fold(" ".join(words)).split()) for lang, words in STOPWORDS.items()
}


def summary_line(text: str, limit: int = 140) -> str:
    """The first sentence of the customer's words that says something, on one line."""
    body = " ".join(own_words(text).split())
    greeting = re.match(
        r"^(?:bonjour|hello|hi|dear|good morning|hallo|guten tag|sehr geehrte|liebe|buenos d[ií]as|hola|estimad|buenas|madame|bonjour [^,]*)[^,:]{0,40}[,:]\s*",
        body,
        re.IGNORECASE,
    )
    if greeting:
        body = body[greeting.end() :]
    sentence = re.split(r"(?<=[.!?])\s", body, maxsplit=1)[0]
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"
