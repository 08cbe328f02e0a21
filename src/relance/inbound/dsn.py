"""Delivery status notifications: RFC 3464 reports (multipart/report with a
message/delivery-status part) read field by field, and the plain-text bounces of qmail,
Exim and older Postfix or Gmail read as best effort. Pure functions on parsed parts."""

import re

from relance.inbound.decoding import decode_bytes, decode_header
from relance.inbound.parsing import Bounce, BouncedRecipient, Part

STATUS = re.compile(r"\b([245])\.(\d{1,3})\.(\d{1,3})\b")
SMTP_CODE = re.compile(r"\b([45])\d\d\b")
ADDRESS = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")
RETURNED_MESSAGE_ID = re.compile(r"(?im)^message-id:\s*(<[^<>\s]{1,500}>)")
BOUNCE_SENDERS = ("mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon")
BOUNCE_SUBJECT = re.compile(
    r"undeliver|undelivered|delivery\s+status\s+notification|delivery\s+fail|returned\s+mail|"
    r"failure\s+notice|mail\s+delivery\s+failed|non\s+remis|non\s+distribuable|unzustellbar|"
    r"nicht\s+zustellbar|no\s+se\s+puede\s+entregar|no\s+entregado|delivery\s+(?:has\s+been\s+)?delayed",
    re.IGNORECASE,
)
REPLY_PREFIX = re.compile(r"^\s*(?:re|aw|sv|rv|tr|wg|fw|fwd)\s*:", re.IGNORECASE)
# Where the copy of the returned message starts in a plain-text bounce.
RETURNED_COPY = re.compile(
    r"(?im)^(?:-+\s*below\s+this\s+line\s+is\s+a\s+copy|-+\s*this\s+is\s+a\s+copy\s+of\s+the\s+message"
    r"|-+\s*original\s+message|-+\s*the\s+header\s+of\s+the\s+original|original\s+message\s+follows"
    r"|-+\s*returned\s+message)"
)
DELAYED = re.compile(
    r"has\s+been\s+delayed|not\s+yet\s+been\s+delivered|still\s+trying|will\s+(?:keep\s+)?retry|"
    r"temporar(?:y|ily)\s+(?:failure|problem|error)|delivery\s+delayed",
    re.IGNORECASE,
)
# qmail and Postfix's human part: "<bob@example.com>:" then the reason on the next lines.
BRACKETED_RECIPIENT = re.compile(r"(?m)^<([^<>\s]+@[^<>\s]+)>:[ \t]*(.*(?:\n(?!\s*\n).+)*)")
# Exim and Gmail: an introducing sentence, then the indented address, then its reason.
INTRODUCED_RECIPIENTS = re.compile(
    r"(?is)(?:the\s+following\s+address(?:\(es\))?\s+failed|"
    r"delivery\s+to\s+the\s+following\s+recipients?\s+(?:failed\s+permanently|has\s+been\s+delayed)"
    r"|could\s+not\s+be\s+delivered\s+to\s+one\s+or\s+more\s+of\s+its\s+recipients[^\n]*)"
    r"\s*:?\s*\n(.*)"
)


def read_bounce(parts: list[Part], *, sender: str, subject: str, text: str) -> Bounce | None:
    """The bounce this message reports, or None when it is not a delivery failure or delay
    (a "delivered" report is not one)."""
    status = next(
        (p for p in parts if p.content_type == "message/delivery-status" and not p.in_rfc822),
        None,
    )
    if status is not None:
        recipients = _report_recipients(status)
    elif sender.split("@")[0] in BOUNCE_SENDERS or (
        BOUNCE_SUBJECT.search(subject) and not REPLY_PREFIX.match(subject)
    ):
        recipients = _plain_recipients(parts, text)
    else:
        return None
    if not recipients:
        return None
    return Bounce(
        recipients=tuple(recipients),
        original_message_id=_original_message_id(parts, text),
        permanent=any(recipient.permanent for recipient in recipients),
    )


def _report_recipients(status: Part) -> list[BouncedRecipient]:
    recipients = []
    for fields in _field_blocks(status):
        address = _address(fields.get("original-recipient", "")) or _address(
            fields.get("final-recipient", "")
        )
        action = fields.get("action", "").strip().lower()
        if not address or action in ("delivered", "relayed", "expanded"):
            continue
        diagnostic = re.sub(r"^\s*[\w-]+\s*;\s*", "", fields.get("diagnostic-code", ""))
        code = _status(fields.get("status", "")) or _status(diagnostic)
        permanent = action == "failed" or (action != "delayed" and code.startswith("5"))
        code = code or ("5.0.0" if permanent else "4.0.0")
        recipients.append(
            BouncedRecipient(address, code, _oneline(diagnostic) or action or "failed", permanent)
        )
    return recipients


def _field_blocks(status: Part) -> list[dict[str, str]]:
    """The per-message and per-recipient field groups of a message/delivery-status part."""
    payload = status.message.get_payload()
    if isinstance(payload, list):
        return [
            {str(name).lower(): decode_header(str(value)) for name, value in block.raw_items()}
            for block in payload
        ]
    raw = payload.encode("ascii", "surrogateescape") if isinstance(payload, str) else b""
    blocks = []
    for chunk in re.split(r"\n\s*\n", decode_bytes(raw, None).replace("\r\n", "\n")):
        fields: dict[str, str] = {}
        for name, value in re.findall(r"(?m)^([\w-]+):[ \t]*(.*(?:\n[ \t].*)*)", chunk):
            fields.setdefault(name.lower(), re.sub(r"\s+", " ", value).strip())
        blocks.append(fields)
    return blocks


def _plain_recipients(parts: list[Part], text: str) -> list[BouncedRecipient]:
    notice = RETURNED_COPY.split(text, maxsplit=1)[0][:50_000]
    delayed = bool(DELAYED.search(notice))
    found: dict[str, str] = {}
    for address, reason in BRACKETED_RECIPIENT.findall(notice):
        found.setdefault(address.lower(), reason)
    if not found and (introduced := INTRODUCED_RECIPIENTS.search(notice)):
        found.update(_indented_recipients(introduced[1]))
    if not found:
        for name, value in parts[0].message.raw_items() if parts else ():
            if str(name).lower() == "x-failed-recipients":
                found.update((address.lower(), "") for address in ADDRESS.findall(str(value)))
    recipients = []
    for address, reason in found.items():
        code = _status(reason)
        permanent = code.startswith("5") if code else not delayed
        code = code or ("5.0.0" if permanent else "4.0.0")
        diagnostic = _oneline(reason) or ("delayed" if not permanent else "failed")
        recipients.append(BouncedRecipient(address, code, diagnostic, permanent))
    return recipients


def _indented_recipients(section: str) -> dict[str, str]:
    """Exim: "  bob@example.com\\n    host ...: 550 5.1.1 ..." blocks up to a blank line
    after the reasons."""
    found: dict[str, str] = {}
    current = ""
    for line in section.split("\n")[:200]:
        stripped = line.strip()
        if ADDRESS.fullmatch(stripped.strip("<>")):
            current = stripped.strip("<>").lower()
            found[current] = ""
        elif current and stripped and line[:1].isspace():
            found[current] = f"{found[current]} {stripped}".strip()
        elif found and stripped and not line[:1].isspace():
            break
    return found


def _original_message_id(parts: list[Part], text: str) -> str:
    for part in parts:
        if part.content_type == "message/rfc822" and part.depth == 1:
            returned = part.message.get_payload()
            if isinstance(returned, list) and returned:
                for name, value in returned[0].raw_items():
                    if str(name).lower() == "message-id" and (
                        found := re.search(r"<[^<>\s]{1,500}>", str(value))
                    ):
                        return found[0]
        if part.content_type == "text/rfc822-headers":
            headers = decode_bytes(part.message.get_payload(decode=True) or b"", None)
            if found := RETURNED_MESSAGE_ID.search(headers):
                return found[1]
    found = RETURNED_MESSAGE_ID.search(text)
    return found[1] if found else ""


def _address(value: str) -> str:
    value = value.split(";", 1)[-1].strip().strip("<>").strip().lower()
    return value if ADDRESS.fullmatch(value) else ""


def _status(text: str) -> str:
    if found := STATUS.search(text):
        return ".".join(found.groups())
    if found := SMTP_CODE.search(text):
        return f"{found[1]}.0.0"
    return ""


def _oneline(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()[:500]
