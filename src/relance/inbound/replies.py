"""The new text of a reply (quoted history, forwarded threads and signature removed) and
whether it was written by a machine (RFC 3834 automatic replies, out-of-office notices), in
French, English, German and Spanish. Pure functions on text."""

import re

# A line that starts the quoted history ("On Mon, 3 Mar 2026, Bob <b@x> wrote:"); mail
# clients wrap it, so it is also tried joined with the next line.
ATTRIBUTION = re.compile(
    r"""^\s*(?:
        (?:on|le|am|el|em|il)\s.{4,300}?
          (?:wrote|a\s+écrit|schrieb|escribió|escreveu|ha\s+scritto)(?:\s.{0,200})?\s*:
      | .{0,200}(?:<[^>\s]+@[^>\s]+>|\S+@\S+)\s+(?:wrote|a\s+écrit|schrieb|escribió)\s*:
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
SEPARATOR = re.compile(
    r"""^\s*(?:
        -{2,}\s*(?:original\s+message|message\s+d'origine|ursprüngliche\s+nachricht|
                   mensaje\s+original|messaggio\s+originale)\s*-{2,}
      | -{2,}\s*(?:forwarded\s+message|message\s+transféré|weitergeleitete\s+nachricht|
                   mensaje\s+reenviado|messaggio\s+inoltrato)\s*-{2,}
      | -{2,}\s*(?:below\s+this\s+line\s+is\s+a\s+copy|this\s+is\s+a\s+copy\s+of\s+the\s+message).*
      | (?:begin\s+forwarded\s+message|début\s+du\s+message\s+réexpédié|
           anfang\s+der\s+weitergeleiteten\s+nachricht|inicio\s+del\s+mensaje\s+reenviado)\s*:
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
UNDERSCORES = re.compile(r"^\s*_{10,}\s*$")
# Outlook's header block: "From:/De :/Von:/De:" followed by two of Sent/Date/To/Subject.
HEADER_FROM = re.compile(r"^\s*\**(?:from|de|von|da|van)\s*\**\s*:\s*\**\s*\S", re.IGNORECASE)
HEADER_FIELD = re.compile(
    r"""^\s*\**(?:sent|date|to|cc|subject|envoyé|à|a|objet|sujet|gesendet|datum|an|betreff|
        enviado(?:\s+el)?|fecha|para|asunto|inviato|oggetto)\s*\**\s*:""",
    re.IGNORECASE | re.VERBOSE,
)
SIGNATURE_DELIMITER = re.compile(r"^(?:-- ?|__)$")
DEVICE = (
    r"(?:iphone|ipad|android|samsung|galaxy|blackberry|huawei|xiaomi|smartphone|mobile|móvil|"
    r"handy|téléphone|telefon|teléfono)"
)
MOBILE_SIGNATURE = re.compile(
    rf"""^\s*(?:sent\s+from\s+my\s+{DEVICE}|envoyé\s+de\s+mon\s+{DEVICE}|
        von\s+meinem\s+{DEVICE}(?:\s+\w+)?\s+gesendet|enviado\s+desde\s+mi\s+{DEVICE}|
        sent\s+from\s+(?:outlook|mail\s+for\s+windows|yahoo\s+mail)|
        get\s+outlook\s+for\s+\w+|obtenir\s+outlook\s+pour\s+\w+|télécharger\s+outlook|
        envoyé\s+à\s+partir\s+de\s+outlook|holen\s+sie\s+sich\s+outlook|
        obtener\s+outlook\s+para\s+\w+)\b(?:\s*\S+){{0,4}}\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
VALEDICTION = re.compile(
    r"""^\s*(?:(?:bien\s+|très\s+)?cordialement|bien\s+à\s+vous|salutations(?:\s+distinguées)?|
        sincères\s+salutations|meilleures\s+salutations|bonne\s+(?:journée|soirée)|
        merci(?:\s+d'avance|\s+beaucoup|\s+par\s+avance)?|
        (?:best|kind|warm|many)?\s*regards|best(?:\s+wishes)?|thanks(?:\s+again)?|thank\s+you|
        many\s+thanks|cheers|sincerely|yours\s+(?:sincerely|faithfully)|
        mit\s+freundlichen\s+grü(?:ß|ss)en|(?:viele|beste|liebe|freundliche)\s+grü(?:ß|ss)e|mfg|
        danke(?:\s+schön)?|
        (?:un\s+)?saludos?(?:\s+cordiales)?|atentamente|cordialmente|un\s+abrazo|gracias)
        [\s,.!]*(?-i:\s*[A-ZÀ-Ý][\w'-]*(?:\s+[A-ZÀ-Ý][\w'.-]*){0,2})?[\s,.!]*$""",
    re.IGNORECASE | re.VERBOSE,
)
MAX_SIGNATURE_LINES = 10

AUTO_SUBJECT = re.compile(
    r"""^\s*(?:automatic\s+reply|auto(?:matic)?[\s-]?(?:reply|response)|autoreply|
        out\s+of\s+(?:the\s+)?office|réponse\s+automatique|absence\s+du\s+bureau|absent\b|
        abwesenheitsnotiz|automatische\s+antwort|abwesend|
        respuesta\s+automática|fuera\s+de\s+la\s+oficina|ausente)\b""",
    re.IGNORECASE | re.VERBOSE,
)
AUTO_BODY = re.compile(
    r"""\b(?:
        # English
        out\s+of\s+(?:the\s+)?office|away\s+from\s+(?:the|my)\s+(?:office|desk)|
        (?:i\s+am|i'm)\s+(?:currently\s+)?(?:away|travell?ing|on\s+(?:annual\s+)?leave|
            on\s+holiday|on\s+vacation|on\s+a\s+business\s+trip)|
        (?:on|currently\s+on)\s+(?:sick|parental|maternity|paternity)\s+leave|
        limited\s+access\s+to\s+(?:my\s+)?e-?mails?|annual\s+(?:company\s+)?shutdown|
        auto-?reply|automatic\s+reply|(?:our\s+)?offices?\s+(?:is|are)\s+(?:now\s+)?closed|
        # French
        je\s+suis\s+(?:actuellement\s+)?(?:absente?|en\s+cong[ée]s?|en\s+vacances|
            en\s+d[ée]placement|en\s+arr[êe]t\s+maladie)|
        je\s+serai\s+absente?|absente?\s+du\s+bureau|message\s+automatique|
        r[ée]ponse\s+automatique|fermeture\s+annuelle|nos\s+bureaux\s+sont\s+ferm[ée]s|
        en\s+cong[ée]\s+(?:maternit[ée]|parental|maladie)|acc[èe]s\s+limit[ée]\s+[àa]\s+(?:ma|mes)|
        # German
        ich\s+bin\s+(?:derzeit\s+|zurzeit\s+|bis\s+\S+\s+)?(?:nicht\s+im\s+büro|abwesend|
            im\s+urlaub|außer\s+haus|krankgeschrieben|auf\s+dienstreise|in\s+elternzeit)|
        automatische\s+(?:antwort|nachricht)|abwesenheitsnotiz|außer\s+haus\b|
        nicht\s+im\s+b(?:ü|ue|u)ro|
        (?:unsere\s+)?büros?\s+(?:sind|ist)\s+.{0,40}?geschlossen|betriebsferien|
        # Spanish
        estoy\s+(?:actualmente\s+)?(?:fuera\s+de\s+la\s+oficina|ausente|de\s+vacaciones|
            de\s+viaje|de\s+baja)|
        estaré\s+(?:fuera|ausente)|fuera\s+de\s+la\s+oficina|
        (?:respuesta|mensaje)\s+autom[áa]tic[ao]|
        de\s+baja\s+(?:m[ée]dica|por\s+(?:maternidad|paternidad|enfermedad))|
        (?:nuestras\s+)?oficinas?\s+(?:est[áa]n|est[áa])\s+cerradas?|cierre\s+anual|
        acceso\s+limitado\s+al\s+correo|no\s+tendré\s+acceso\s+al\s+correo|
        # Terse notices, at the start of a line: "Absent, de retour le 13/09."
        (?m:^)\s*(?:absente?(?:\(e\))?|away|on\s+holiday|abwesend|im\s+urlaub|de\s+vacaciones|
            ausente)
            \s*(?:,|\.|\s-\s|\s+du\s+bureau)|
        # Training, trade fairs: "won't read my emails before…"
        (?:en|on\s+a)\s+(?:formation|training\s+course)\s+(?:toute\s+la\s+semaine|all\s+week)|
        de\s+formación\s+toda\s+la\s+semana|en\s+cong[ée]s\s+jusqu|
        n'aurai\s+pas\s+accès\s+à\s+ma\s+messagerie|
        auf\s+schulung|die\s+ganze\s+woche\s+auf|
        (?:je\s+participe\s+à\s+un\s+salon|i'm\s+at\s+a\s+trade\s+fair|
            ich\s+bin\s+auf\s+einer\s+messe|estoy\s+en\s+una\s+feria)|
        won't\s+read\s+(?:my\s+)?e-?mails|ne\s+lirai\s+pas\s+mes\s+(?:e-?)?mails|
        lese\s+meine\s+(?:e-?)?mails\s+erst|no\s+leeré\s+el\s+correo|
        # Parental leave
        (?:derzeit\s+)?in\s+elternzeit|en\s+cong[ée]\s+(?:de\s+)?maternit[ée]|
        (?:on|currently\s+on)\s+parental\s+leave
    )""",
    re.IGNORECASE | re.VERBOSE,
)
AUTO_BODY_MAX_CHARS = 1200  # a long text that mentions an absence was written by a person


def strip_reply(text: str) -> str:
    """The new text of `text`: everything before the quoted history or the forwarded
    thread, "> " lines and the closing signature removed. A message that is only a
    forward (or a bottom-posted reply) gives the text after the history's header. The
    whole text when that would leave nothing."""
    lines = text.replace("\r\n", "\n").split("\n")
    for _ in range(3):  # a forward of a forward of a forward
        cut = _history_start(lines)
        if cut == len(lines) or any(line.strip() for line in lines[:cut]):
            break
        lines = _after_header(lines[cut + 1 :])
    else:
        cut = _history_start(lines)
    kept = [line for line in lines[:cut] if not line.lstrip().startswith(">")]
    kept = kept[: _delimiter_start(kept)]
    kept = kept[: _closing_start(kept)]
    reply = re.sub(r"\n\s*\n(?:\s*\n)+", "\n\n", "\n".join(kept)).strip()
    return reply or text.strip()


def _after_header(lines: list[str]) -> list[str]:
    """`lines` without the From/Date/Subject block that opens a forwarded message."""
    for index, line in enumerate(lines):
        if line.strip() and not (HEADER_FROM.match(line) or HEADER_FIELD.match(line)):
            return lines[index:]
    return []


def _history_start(lines: list[str]) -> int:
    for index, line in enumerate(lines):
        if len(line) > 400:
            continue
        if SEPARATOR.match(line) or ATTRIBUTION.match(line):
            return index
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if following and len(line) < 200 and ATTRIBUTION.match(f"{line} {following}"):
            return index
        if _header_block(lines, index):
            previous = index - 1
            while previous >= 0 and not lines[previous].strip():
                previous -= 1
            return previous if previous >= 0 and UNDERSCORES.match(lines[previous]) else index
    return len(lines)


def _header_block(lines: list[str], start: int) -> bool:
    """A quoted message's header block starts here: Outlook's "From:" then two of Sent,
    To, Subject…; or GMX's and web.de's "Gesendet:" first, a From among the next lines."""
    window = lines[start : start + 6]
    if HEADER_FROM.match(window[0]):
        return sum(1 for line in window[1:] if HEADER_FIELD.match(line)) >= 2
    if not HEADER_FIELD.match(window[0]):
        return False
    has_from = any(HEADER_FROM.match(line) for line in window[1:4])
    fields = sum(1 for line in window if HEADER_FIELD.match(line) or HEADER_FROM.match(line))
    return has_from and fields >= 3


def _delimiter_start(lines: list[str]) -> int:
    for index, line in enumerate(lines):
        if SIGNATURE_DELIMITER.match(line) or MOBILE_SIGNATURE.match(line):
            return index
    return len(lines)


def _closing_start(lines: list[str]) -> int:
    """A valediction near the end followed only by a short name block (or nothing, once
    the "-- " signature is gone)."""
    content = [index for index, line in enumerate(lines) if line.strip()]
    for index in content[-MAX_SIGNATURE_LINES - 1 :]:
        if VALEDICTION.match(lines[index]) and index != content[0]:
            tail = [line for line in lines[index + 1 :] if line.strip()]
            if len(tail) <= MAX_SIGNATURE_LINES and all(len(line) <= 80 for line in tail):
                return index
    return len(lines)


def auto_reply_reason(headers: dict[str, str], subject: str, reply: str) -> str:
    """Why this message was written by a machine, or "" when a person wrote it. `headers`
    maps lower-cased names to decoded values."""
    submitted = headers.get("auto-submitted", "").strip().lower()
    if submitted and not submitted.startswith("no"):
        return f"Auto-Submitted: {submitted[:60]}"
    for name in ("x-autoreply", "x-autorespond", "x-auto-reply", "x-autoresponder"):
        # X-Auto-Response-Suppress is a request to us, not a sign of a machine
        if name in headers and headers[name].strip().lower() not in ("no", "false", "0"):
            return f"{name.title()}: {headers[name].strip()[:60]}".strip()
    precedence = headers.get("precedence", "").strip().lower()
    if precedence in ("bulk", "junk", "auto_reply", "auto-reply"):
        return f"Precedence: {precedence}"
    if AUTO_SUBJECT.match(subject):
        return f"Subject: {subject[:80]}"
    if len(reply) <= AUTO_BODY_MAX_CHARS and (match := AUTO_BODY.search(reply)):
        return f"Text: {match[0]}"
    return ""
