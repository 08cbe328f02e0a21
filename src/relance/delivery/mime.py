"""An email's bytes for SMTP, written directly rather than through the `email` package.

Django builds a `email.message.Message` tree and flattens it with the generator, which folds
and re-encodes every header and compiles a regular expression per multipart boundary: about
a millisecond per reminder, half the CPU of a batch. A reminder is always the same shape
(a text part, an optional HTML alternative, a few address headers), so `message_bytes`
writes that shape itself, as Django would write it (same headers, same encodings: 7bit or
8bit UTF-8 parts, quoted-printable where a line exceeds 998 bytes, an RFC 2047 subject), and
answers None for anything else (attachments, another charset, unusual headers): those go
through Django as before.
"""

import base64
import binascii
import re
import secrets
import smtplib
from email.utils import formatdate, parseaddr
from functools import lru_cache

from django.conf import settings
from django.core.mail.message import sanitize_address

LINE_LIMIT = 998  # RFC 5322: longer lines need quoted-printable (Django's choice too)
WORD_BYTES = 45  # UTF-8 bytes per encoded word: 60 base64 characters, within 75
PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+")
OWN_HEADERS = {"message-id"}  # the only extra header a reminder carries
NEWLINES = re.compile(r"\r\n|\r|\n")


def message_bytes(message) -> bytes | None:
    """The RFC 5322 bytes of an EmailMultiAlternatives of the reminders' shape, CRLF line
    ends; None when it has another shape (then `message.message().as_bytes()`)."""
    if message.attachments or (message.encoding or settings.DEFAULT_CHARSET) != "utf-8":
        return None
    if any(name.lower() not in OWN_HEADERS for name in message.extra_headers):
        return None
    alternatives = list(message.alternatives)
    if len(alternatives) > 1 or any(a[1] != "text/html" for a in alternatives):
        return None
    subject = _subject(message.subject)
    if subject is None:
        return None
    bodies = [message.body, *(content for content, _type in alternatives)]
    parts = [_part(body, subtype) for body, subtype in zip(bodies, ("plain", "html"), strict=False)]
    head = [subject, f"From: {_addresses([message.from_email])}"]
    head += [f"To: {_addresses(message.to)}"] if message.to else []
    head += [f"Cc: {_addresses(message.cc)}"] if message.cc else []
    head += [f"Reply-To: {_addresses(message.reply_to)}"] if message.reply_to else []
    head.append(f"Date: {formatdate(localtime=settings.EMAIL_USE_LOCALTIME)}")
    for name, value in message.extra_headers.items():
        if not value.isascii() or NEWLINES.search(value):
            return None
        head.append(f"{name}: {value}")
    if len(parts) == 1:
        ((part_head, body),) = parts
        return "\r\n".join([*part_head[:1], "MIME-Version: 1.0", *part_head[1:], *head, "",
                            body]).encode()  # fmt: skip
    boundary = _boundary(bodies)
    lines = [f'Content-Type: multipart/alternative;\r\n boundary="{boundary}"']
    lines += ["MIME-Version: 1.0", *head, ""]
    for part_head, body in parts:
        lines += [f"--{boundary}", *part_head[:1], "MIME-Version: 1.0", *part_head[1:], "", body]
    lines += [f"--{boundary}--", ""]
    return "\r\n".join(lines).encode()


def _part(body: str, subtype: str) -> tuple[list[str], str]:
    """(headers, body with CRLF line ends) of a UTF-8 text part: as it is (7bit or 8bit),
    or in quoted-printable when a line is longer than SMTP allows (an HTML part often is)."""
    body = NEWLINES.sub("\n", body)
    headers = [f'Content-Type: text/{subtype}; charset="utf-8"']
    if len(body) > LINE_LIMIT // 4 and _has_long_line(body):
        encoded = binascii.b2a_qp(body.encode(), istext=True).decode("ascii")
        return [*headers, "Content-Transfer-Encoding: quoted-printable"], encoded.replace(
            "\n", "\r\n"
        )
    encoding = "7bit" if body.isascii() else "8bit"
    return [*headers, f"Content-Transfer-Encoding: {encoding}"], body.replace("\n", "\r\n")


def _has_long_line(body: str) -> bool:
    """A line of more than LINE_LIMIT bytes in UTF-8 (only a line of more than a quarter
    of that in characters can be: the others are not encoded to be counted)."""
    lines = body.split("\n")
    if max(map(len, lines)) <= LINE_LIMIT // 4:
        return False
    return any(len(line.encode()) > LINE_LIMIT for line in lines if len(line) > LINE_LIMIT // 4)


def _subject(subject: str) -> str | None:
    """The Subject header: as it is in ASCII, else in base64 encoded words of at most 75
    characters, one per folded line; None for a line break (Django refuses it)."""
    if NEWLINES.search(subject):
        return None
    if subject.isascii() and len(subject) <= 900:
        return f"Subject: {subject}"
    data, words, start = subject.encode(), [], 0
    while start < len(data):
        end = min(start + WORD_BYTES, len(data))
        while end < len(data) and data[end] & 0xC0 == 0x80:  # not inside a character
            end -= 1
        words.append(data[start:end])
        start = end
    encoded = [f"=?utf-8?b?{base64.b64encode(word).decode()}?=" for word in words]
    return "Subject: " + "\r\n ".join(encoded)


def _addresses(addresses) -> str:
    """An address header's value: each address as Django sanitizes it, folded after each
    comma when the line would be long."""
    values = [_address(address) for address in addresses]
    joined = ", ".join(values)
    return joined if len(joined) <= 60 else ",\r\n ".join(values)


def _address(address: str) -> str:
    if address.isascii() and PLAIN_ADDRESS.fullmatch(address):
        return address
    return _sanitized(address)


@lru_cache(maxsize=256)
def _sanitized(address: str) -> str:
    return sanitize_address(address, "utf-8")


def _boundary(bodies: list[str]) -> str:
    while True:
        boundary = f"==============={secrets.randbelow(10**19):019d}=="
        if not any(boundary in body for body in bodies):
            return boundary


def envelope(message) -> tuple[str, list[str]]:
    """The SMTP envelope: the bare addresses of the sender and the recipients."""
    return _bare(message.from_email), [_bare(a) for a in message.recipients()]


def _bare(address: str) -> str:
    if address.isascii() and PLAIN_ADDRESS.fullmatch(address):
        return address
    return _bare_of(address)


@lru_cache(maxsize=256)
def _bare_of(address: str) -> str:
    return parseaddr(_sanitized(address))[1]


def sendmail(session: smtplib.SMTP, sender: str, recipients: list[str], raw: bytes) -> None:
    """smtplib's `sendmail` for bare addresses (`envelope`), with the same answers and
    exceptions, without parsing each address again (email.utils.parseaddr: a tenth of a
    batch's CPU)."""
    session.ehlo_or_helo_if_needed()
    size = f" size={len(raw)}" if session.does_esmtp and session.has_extn("size") else ""
    session.putcmd("mail", f"FROM:<{sender}>{size}")
    code, answer = session.getreply()
    if code != 250:
        _give_up(session, code)
        raise smtplib.SMTPSenderRefused(code, answer, sender)
    refused = {}
    for recipient in recipients:
        session.putcmd("rcpt", f"TO:<{recipient}>")
        code, answer = session.getreply()
        if code not in (250, 251):
            refused[recipient] = (code, answer)
        if code == 421:
            session.close()
            raise smtplib.SMTPRecipientsRefused(refused)
    if len(refused) == len(recipients):
        session._rset()
        raise smtplib.SMTPRecipientsRefused(refused)
    code, answer = session.data(raw)
    if code != 250:
        _give_up(session, code)
        raise smtplib.SMTPDataError(code, answer)


def _give_up(session: smtplib.SMTP, code: int) -> None:
    """After a refusal: the session closes on 421 (the server is closing it), else resets."""
    if code == 421:
        session.close()
    else:
        session._rset()
