"""Reading one received email, whatever it is: MIME in any charset, HTML turned to text,
the new text separated from quoted history and signature, attachments kept within limits,
automatic replies (RFC 3834) and delivery status notifications (RFC 3464) recognised.

Pure functions on bytes: nothing here touches the database. A message that cannot be
stored raises `Refused` with the reason; anything else is read as well as it can be, what
was dropped listed in `ParsedEmail.problems`."""

import email
import email.policy
import email.utils
import hashlib
import mimetypes
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from functools import cached_property

from relance.inbound.decoding import (
    CONTROL,
    charset_known,
    decode_bytes,
    decode_header,
    html_to_text,
    unflow,
)

MAX_MESSAGE_BYTES = 25 * 1024 * 1024  # larger messages are refused, never read
MAX_ATTACHMENT_BYTES = 15 * 1024 * 1024
MAX_ATTACHMENTS = 20
MAX_DEPTH = 30  # multipart and message/rfc822 nesting read; deeper parts are dropped
MAX_RECIPIENTS = 100  # addresses kept in `to` (our own come first: Delivered-To, X-Original-To)
MAX_REFERENCES = 100
MAX_TEXT_CHARS = 1_000_000
MAX_FORWARDED = 10  # messages attached to a message whose text is read
TOO_DEEP = "x-nested-too-deep"  # the type given to containers past MAX_DEPTH
# An inline image under this size is a signature logo or a tracking pixel, not a document.
INLINE_IMAGE_MIN_BYTES = 20 * 1024

# Headers that make bytes an email; random bytes with a "word:" line are not one.
EMAIL_HEADERS = {
    "from", "sender", "to", "cc", "subject", "date", "message-id", "received",
    "return-path", "mime-version", "delivered-to", "content-type", "in-reply-to",
}  # fmt: skip

ADDRESS = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")
MESSAGE_ID = re.compile(r"<[^<>\s]{1,500}>")


class Refused(ValueError):
    """A message that is not stored as read (too large, not an email at all): the reason is
    kept with the raw bytes' hash so that it is refused once, never retried forever."""


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class BouncedRecipient:
    address: str  # lower-cased: Original-Recipient (the address we sent to), else Final-Recipient
    status: str  # RFC 3464 Status, e.g. "5.1.1"
    diagnostic: str  # the receiving server's words (Diagnostic-Code), or the action
    permanent: bool = True  # Action "failed" or a 5.x.x status; False for "delayed" / 4.x.x


@dataclass(frozen=True)
class Bounce:
    """A delivery status notification: who bounced, and the message that bounced (from the
    returned headers, or the text/rfc822-headers part)."""

    recipients: tuple[BouncedRecipient, ...]
    original_message_id: str  # "<...>" or ""
    permanent: bool  # 5.x.x: the address is invalid; 4.x.x: delayed, not a bounce


@dataclass
class ParsedEmail:
    message_id: str  # "<...>" as in the header, or ""
    in_reply_to: list[str]  # "<...>" each
    references: list[str]
    sender: str  # the From address, lower-cased
    sender_name: str
    to: list[str]  # To, Cc, Delivered-To, X-Original-To addresses, lower-cased, unique
    subject: str
    date: datetime | None  # aware
    text: str  # the whole body as text (the HTML part converted when there is no text part)
    reply: str  # the new text only: quoted history, forwarded tail and signature removed
    attachments: list[Attachment] = field(default_factory=list)
    auto_reply: str = ""  # why it is an automatic reply ("Auto-Submitted: auto-replied"), or ""
    bounce: Bounce | None = None
    content_hash: str = ""  # sha256 hex of the raw bytes
    size: int = 0
    problems: list[str] = field(default_factory=list)  # what was dropped, for the record


@dataclass
class Part:
    """One MIME part met while walking the message, flattened (no recursion)."""

    message: Message
    content_type: str
    depth: int
    in_rfc822: bool  # inside a forwarded or returned message
    alternative: int  # id of the closest multipart/alternative parent, or 0

    # Python's default policy parses a header anew at each access: each is read once here.
    @cached_property
    def params(self) -> dict[str, str]:
        """The Content-Type parameters (charset, format, delsp, name), lower-cased names."""
        try:
            params = self.message.get_params(failobj=[])[1:]
        except Exception:  # a parameter the header parser trips on: as if none
            return {}
        return {str(k).lower(): _param_value(v) for k, v in params}

    @cached_property
    def disposition(self) -> str | None:
        return self.message.get_content_disposition()

    @cached_property
    def filename(self) -> str:
        try:
            name = self.message.get_filename() or self.params.get("name", "")
        except Exception:
            return ""
        return decode_header(_param_value(name))


def _param_value(value) -> str:
    if isinstance(value, tuple):  # an RFC 2231 value compat32 leaves encoded
        value = email.utils.collapse_rfc2231_value(value)
    return str(value)


def parse(raw: bytes) -> ParsedEmail:
    """Read `raw` (one RFC 5322 message). Raises Refused."""
    raw = bytes(raw)
    if len(raw) > MAX_MESSAGE_BYTES:
        raise Refused(f"message too large: {len(raw):,} bytes (limit {MAX_MESSAGE_BYTES:,})")
    problems: list[str] = []
    try:
        message = _message_from_bytes(raw, problems)
        headers = _headers(message)
    except (Refused, MemoryError):
        raise
    except Exception as exc:  # Python's parser is lenient: this guards against its bugs
        raise Refused(f"unreadable message: {type(exc).__name__}: {exc}"[:300]) from exc
    if not EMAIL_HEADERS & headers.keys():
        raise Refused("not an email: no From, To, Subject, Date or Message-ID header")
    try:
        return _read(raw, message, headers, problems)
    except MemoryError:
        raise
    except Exception as exc:  # the default policy trips on some broken headers: read it the old way
        problems.append(
            f"not readable with the default email policy ({type(exc).__name__}): read with compat32"
        )
    try:
        message = _message_from_bytes(raw, [], email.policy.compat32)
        return _read(raw, message, _headers(message), problems)
    except MemoryError:
        raise
    except Exception as exc:
        raise Refused(f"unreadable message: {type(exc).__name__}: {exc}"[:300]) from exc


def _message_from_bytes(raw: bytes, problems: list[str], policy=email.policy.default) -> Message:
    try:
        return email.message_from_bytes(raw, policy=policy)
    except RecursionError:
        pass
    # Python's parser recurses once per nesting level: neutralise the deepest containers.
    problems.append(f"MIME nesting deeper than {MAX_DEPTH} levels: the inner parts were dropped")
    seen = 0

    def flatten(match: re.Match) -> bytes:
        nonlocal seen
        seen += 1
        return match[0] if seen <= MAX_DEPTH else match[1] + TOO_DEEP.encode()

    container = re.compile(rb"(?im)(^content-type:\s*)(?:multipart|message)(?=/)")
    try:
        return email.message_from_bytes(container.sub(flatten, raw), policy=policy)
    except RecursionError as exc:
        raise Refused("MIME structure nested too deeply to read") from exc


def _read(raw: bytes, message: Message, headers: dict, problems: list[str]) -> ParsedEmail:
    from relance.inbound.dsn import read_bounce
    from relance.inbound.replies import auto_reply_reason, strip_reply

    sender_name, sender = _first_address(headers.get("from", [""])[0])
    subject = _oneline(headers.get("subject", [""])[0])[:1000]
    parts = _walk(message, problems)
    defects = {type(defect).__name__ for part in parts for defect in part.message.defects}
    if defects:
        problems.append(f"MIME defects: {', '.join(sorted(defects))}")
    text = _body_text(parts, problems)
    reply = strip_reply(text)
    bounce = read_bounce(parts, sender=sender, subject=subject, text=text)
    message_ids = _message_ids(headers.get("message-id", [""])[0])
    return ParsedEmail(
        message_id=message_ids[0] if message_ids else "",
        in_reply_to=_message_ids(" ".join(headers.get("in-reply-to", []))),
        references=_message_ids(" ".join(headers.get("references", []))),
        sender=sender,
        sender_name=sender_name,
        to=_recipients(headers, problems),
        subject=subject,
        date=_date(headers.get("date", [""])[0]),
        text=text,
        reply=reply,
        attachments=_attachments(parts, skip_returned=bounce is not None, problems=problems),
        auto_reply=auto_reply_reason(
            {name: values[0] for name, values in headers.items()}, subject, reply
        ),
        bounce=bounce,
        content_hash=hashlib.sha256(raw).hexdigest(),
        size=len(raw),
        problems=problems,
    )


# Headers


def _headers(message: Message) -> dict[str, list[str]]:
    """Every header decoded (RFC 2047, 8-bit UTF-8 or Windows), keyed by lower-cased name."""
    headers: dict[str, list[str]] = {}
    for name, value in message.raw_items():
        headers.setdefault(str(name).strip().lower(), []).append(decode_header(str(value)))
    return headers


def _oneline(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()


def _message_ids(value: str) -> list[str]:
    ids = MESSAGE_ID.findall(value)
    if not ids:  # some clients drop the brackets
        ids = [f"<{token}>" for token in value.split() if "@" in token and len(token) <= 500]
    return list(dict.fromkeys(ids))[:MAX_REFERENCES]


def _first_address(value: str) -> tuple[str, str]:
    for name, address in _addresses(value):
        return name, address
    return "", ""


def _addresses(value: str) -> list[tuple[str, str]]:
    if len(value) > 4000:  # a hostile list: the full parser is quadratic-ish, a regex is not
        found = ADDRESS.findall(value, 0, 2_000_000)
        return [("", address.lower()) for address in found]
    pairs = email.utils.getaddresses([value])
    return [(_oneline(name), address.lower()) for name, address in pairs if "@" in address]


def _recipients(headers: dict[str, list[str]], problems: list[str]) -> list[str]:
    found: list[str] = []
    for name in ("delivered-to", "x-original-to", "envelope-to", "to", "cc"):
        for value in headers.get(name, []):
            found += [address for _name, address in _addresses(value)]
    unique = list(dict.fromkeys(found))
    if len(unique) > MAX_RECIPIENTS:
        problems.append(
            f"{len(unique):,} recipient addresses: only the first {MAX_RECIPIENTS} kept"
        )
    return unique[:MAX_RECIPIENTS]


def _date(value: str) -> datetime | None:
    try:
        date = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return date if date.tzinfo else date.replace(tzinfo=UTC)


# Structure and charsets


def _walk(message: Message, problems: list[str]) -> list[Part]:
    """Every part in reading order, without recursion, `MAX_DEPTH` levels at most."""
    parts: list[Part] = []
    stack = [(message, 0, False, 0)]
    while stack:
        current, depth, in_rfc822, alternative = stack.pop()
        content_type = current.get_content_type()
        parts.append(Part(current, content_type, depth, in_rfc822, alternative))
        if content_type in ("message/delivery-status", "message/disposition-notification"):
            continue
        children = current.get_payload() if current.is_multipart() else None
        if not children:
            continue
        if depth >= MAX_DEPTH:
            problems.append(f"MIME nesting deeper than {MAX_DEPTH} levels: inner parts dropped")
            continue
        if content_type == "multipart/alternative":
            alternative = id(current)
        rfc822 = in_rfc822 or content_type.startswith("message/")
        stack += [(child, depth + 1, rfc822, alternative) for child in reversed(children)]
    return parts


def _payload(part: Message) -> bytes:
    try:
        payload = part.get_payload(decode=True)
    except Exception:  # a broken transfer encoding: keep what is there
        payload = str(part.get_payload()).encode("utf-8", "surrogateescape")
    return payload if isinstance(payload, bytes) else b""


def _part_text(part: Part, problems: list[str]) -> str:
    charset = part.params.get("charset") or None
    if not charset_known(charset):
        problems.append(f"unknown charset {charset[:40]!r}: read as UTF-8 or Windows-1252")
    text = decode_bytes(_payload(part.message), charset)
    if part.content_type == "text/html":
        text = html_to_text(text)
    text = CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if part.params.get("format", "").lower() == "flowed":
        text = unflow(text, delsp=part.params.get("delsp", "").lower() == "yes")
    return text


def _is_body(part: Part) -> bool:
    if part.content_type not in ("text/plain", "text/html") or part.in_rfc822:
        return False
    return part.disposition != "attachment" and not part.filename


def _body_text(parts: list[Part], problems: list[str]) -> str:
    """The message's own text, then the text of each message it forwards as an attachment
    (so that the invoice numbers of a forwarded remittance advice are read too); not the
    message a bounce returns, which is ours."""
    texts = [_inline_text(parts, problems)]
    report = parts[0].content_type == "multipart/report"
    for part in [] if report else parts:
        if part.content_type == "message/rfc822" and not part.in_rfc822:
            texts.append(_forwarded_text(part, problems))
            if len(texts) > MAX_FORWARDED:
                break
    text = "\n\n".join(text for text in texts if text)
    if len(text) > MAX_TEXT_CHARS:
        problems.append(f"text cut at {MAX_TEXT_CHARS:,} characters (was {len(text):,})")
        text = text[:MAX_TEXT_CHARS]
    return text


def _inline_text(parts: list[Part], problems: list[str]) -> str:
    """The inline text parts in order; of each multipart/alternative, the plain text unless
    it is empty, then the HTML."""
    chosen: list[str | int] = []  # a text, or the id of a multipart/alternative
    alternatives: dict[int, dict[str, str]] = {}
    for part in parts:
        if not _is_body(part):
            continue
        text = _part_text(part, problems).strip()
        if not part.alternative:
            chosen.append(text)
            continue
        if part.alternative not in alternatives:
            alternatives[part.alternative] = {}
            chosen.append(part.alternative)
        alternatives[part.alternative].setdefault(part.content_type, text)
    texts = [
        entry
        if isinstance(entry, str)
        else alternatives[entry].get("text/plain") or alternatives[entry].get("text/html", "")
        for entry in chosen
    ]
    return "\n\n".join(text for text in texts if text)


def _forwarded_text(part: Part, problems: list[str]) -> str:
    payload = part.message.get_payload()
    if not isinstance(payload, list) or not payload:
        return ""
    inner = payload[0]
    headers = _headers(inner)
    lines = [
        f"{label}: {_oneline(headers[name][0])}"
        for label, name in (("From", "from"), ("Date", "date"), ("Subject", "subject"))
        if headers.get(name)
    ]
    body = _inline_text(_walk(inner, []), problems)  # nesting problems told by the outer walk
    return "\n".join(["---------- Forwarded message ---------", *lines, "", body]).strip()


# Attachments


def safe_filename(name: str, content_type: str, number: int) -> str:
    """A file name that is only a name: no directories, no control or reserved characters,
    at most 150 characters with its extension kept."""
    name = re.sub(r"[\x00-\x1f\x7f\ud800-\udfff]", "", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r'[<>:"|?*]', "_", name).strip(" .")
    stem, dot, extension = name.rpartition(".")
    if dot and len(extension) <= 10:
        name = f"{stem[: 150 - len(extension) - 1]}.{extension}"
    name = name[:150]
    if not name or not name.strip("_"):
        extension = mimetypes.guess_extension(content_type) or ".bin"
        name = f"attachment-{number}{extension}"
    return name


def _attachments(
    parts: list[Part], *, skip_returned: bool, problems: list[str]
) -> list[Attachment]:
    """The files of the message. A bounce keeps none (it returns our own message and the
    provider's icons); inline images are kept only when named and not tiny (logos)."""
    kept: list[Attachment] = []
    for part in parts:
        if skip_returned or not _is_file(part):
            continue
        content = _payload(part.message)
        name = part.filename
        inline = part.disposition != "attachment"
        is_logo = not name or len(content) < INLINE_IMAGE_MIN_BYTES
        if part.content_type.startswith("image/") and inline and is_logo:
            continue
        name = safe_filename(name, part.content_type, len(kept) + 1)
        if len(content) > MAX_ATTACHMENT_BYTES:
            problems.append(
                f"attachment {name!r} dropped: {len(content):,} bytes "
                f"(limit {MAX_ATTACHMENT_BYTES:,})"
            )
        elif len(kept) >= MAX_ATTACHMENTS:
            problems.append(f"attachment {name!r} dropped: more than {MAX_ATTACHMENTS} attachments")
        else:
            kept.append(Attachment(name, part.content_type, content))
    return kept


def _is_file(part: Part) -> bool:
    if part.message.is_multipart() or _is_body(part):
        return False
    if part.content_type.startswith(("message/", TOO_DEEP)):
        return False  # forwarded messages are walked into: their files are kept
    if part.content_type == "text/rfc822-headers":
        return False
    # the text of a forwarded message is not a file, its named text parts are
    return not (part.in_rfc822 and part.content_type in ("text/plain", "text/html")) or bool(
        part.filename
    )
