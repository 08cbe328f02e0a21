"""One message read: the classifier's intent, then the rules the issue states, then the
deterministic facts (date, amounts, invoice numbers). Pure: no database, no network."""

import datetime
import re
import time
from dataclasses import dataclass, field
from decimal import Decimal

from relance.assistant.extract import FUTURE, PAST, find_amounts, find_date, find_invoices
from relance.assistant.model import Assistant
from relance.assistant.text import fold, language_of, own_words, summary_line

# An absence notice is never a promise, even when it gives a date (its return).
ABSENCE = re.compile(
    r"\b(?:reponse automatique|message automatique|automatic reply|auto-?reply"
    r"|out of (?:the )?office|absente?s?\b|en conges|on leave|on holiday"
    r"|automatische antwort|abwesend|nicht im buro"
    r"|im urlaub|respuesta automatica|fuera de la oficina|de vacaciones|ausente)"
)
# A payment reported together with "your records are wrong" is a dispute, already paid.
RECORDS_WRONG = re.compile(
    r"\b(?:votre comptabilite|vos releves|votre systeme|votre lettrage"
    r"|your (?:books|records|system|accounts)|ihre(?:r)? buchhaltung|ihr system"
    r"|su contabilidad|sus registros|su sistema|vos chiffres"
    r"|your figures|ihre zahlen|sus cifras|mal impute|misallocated|falsch verbucht|imputo mal)"
)
DIRECTION = {"payment_made": PAST}


@dataclass
class Reading:
    intent: str
    confidence: float
    dispute_reason: str = ""
    document: str = ""
    date: datetime.date | None = None
    amounts: list[Decimal] = field(default_factory=list)
    invoices: list[str] = field(default_factory=list)
    other_references: list[str] = field(default_factory=list)
    language: str = ""
    summary: str = ""
    elapsed_ms: float = 0.0

    @property
    def promised_on(self) -> datetime.date | None:
        return self.date if self.intent == "promise" else None

    @property
    def paid_on(self) -> datetime.date | None:
        return self.date if self.intent == "payment_made" else None


def apply_rules(intent: str, reason: str, folded: str) -> tuple[str, str]:
    if intent == "promise" and ABSENCE.search(folded):
        return "out_of_office", ""
    if intent == "payment_made" and RECORDS_WRONG.search(folded):
        return "dispute", "already_paid"
    return intent, reason


def read(
    assistant: Assistant, text: str, *, today: datetime.date, language: str = "fr", numbers=()
) -> Reading:
    """Read `text` received on `today` from a customer whose open items carry `numbers`."""
    started = time.perf_counter()
    words = own_words(text)
    folded = fold(words)
    lang = language_of(words, default=language)
    intent, confidence, reason, document = assistant.predict(text, today=today, language=lang)
    intent, reason = apply_rules(intent, reason, folded)
    if intent != "dispute":
        reason = ""
    found = find_invoices(words, numbers)
    reading = Reading(
        intent=intent,
        confidence=round(confidence, 3),
        dispute_reason=reason,
        document=document,
        date=find_date(words, language=lang, today=today, direction=DIRECTION.get(intent, FUTURE)),
        amounts=find_amounts(words),
        invoices=found.matched,
        other_references=found.unmatched[:10],
        language=lang,
        summary=summary_line(text),
    )
    reading.elapsed_ms = (time.perf_counter() - started) * 1000
    return reading
