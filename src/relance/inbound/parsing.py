"""Reading one received email, whatever it is: MIME in any charset, HTML turned to text,
the new text separated from quoted history and signature, attachments kept within limits,
automatic replies (RFC 3834) and delivery status notifications (RFC 3464) recognised.

Pure functions on bytes: nothing here touches the database. A message that cannot be
stored raises `Refused` with the reason; anything else is read as well as it can be, what
was dropped listed in `ParsedEmail.problems`."""

from dataclasses import dataclass, field
from datetime import datetime

MAX_MESSAGE_BYTES = 25 * 1024 * 1024  # larger messages are refused, never read
MAX_ATTACHMENT_BYTES = 15 * 1024 * 1024
MAX_ATTACHMENTS = 20


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
    address: str  # lower-cased
    status: str  # RFC 3464 Status, e.g. "5.1.1"
    diagnostic: str  # the receiving server's words (Diagnostic-Code), or the action


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


def parse(raw: bytes) -> ParsedEmail:
    """Read `raw` (one RFC 5322 message). Raises Refused."""
    raise NotImplementedError
