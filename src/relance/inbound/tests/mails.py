"""Received emails as mail programs write them: a customer's reply (with its quoted
history), an out-of-office answer, a delivery status notification (RFC 3464)."""

from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from django.utils import timezone

DOMAIN = "client.example"


def reply(
    *,
    sender="compta@client.example",
    to="recouvrement@acme.example",
    subject="Re: Relance",
    body="Bonjour, nous avons payé hier.\n",
    in_reply_to="",
    references="",
    message_id="",
    headers=None,
    attachments=(),
    quoted="",
    date=None,
) -> bytes:
    message = EmailMessage()
    message["From"] = f"Jeanne Compta <{sender}>" if sender else "undisclosed"
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(date or timezone.now())
    message["Message-ID"] = message_id or make_msgid(domain=DOMAIN)
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references or in_reply_to:
        message["References"] = references or in_reply_to
    for name, value in (headers or {}).items():
        message[name] = value
    text = body
    if quoted:
        text += "\nLe lundi 26 janvier 2026, Acme France <relance@acme.example> a écrit :\n"
        text += "".join(f"> {line}\n" for line in quoted.splitlines())
    message.set_content(text)
    for name, content, mime in attachments:
        maintype, subtype = mime.split("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def auto_reply(**fields) -> bytes:
    fields.setdefault("subject", "Réponse automatique : Relance")
    fields.setdefault(
        "body", "Je suis absente jusqu'au 2 février. En cas d'urgence, appelez Paul.\n"
    )
    headers = {"Auto-Submitted": "auto-replied", **fields.pop("headers", {})}
    return reply(headers=headers, **fields)


def dsn(
    *,
    recipient: str,
    original_message_id: str,
    status="5.1.1",
    to="relance@acme.example",
    date=None,
):
    """A bounce as Postfix writes it: multipart/report with the delivery status and the
    returned message's headers."""
    boundary = "BOUNDARY-relance-dsn"
    diagnostic = f"smtp; 550 {status} <{recipient}>: Recipient address rejected: User unknown"
    message_id = make_msgid(domain="mx.client.example")
    text = f"""\
From: MAILER-DAEMON@mx.client.example (Mail Delivery System)
To: {to}
Subject: Undelivered Mail Returned to Sender
Date: {format_datetime(date or timezone.now())}
Message-ID: {message_id}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"

--{boundary}
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.client.example.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<{recipient}>: host mx.client.example said: 550 {status} User unknown

--{boundary}
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.client.example
Arrival-Date: {format_datetime(timezone.now())}

Final-Recipient: rfc822; {recipient}
Original-Recipient: rfc822;{recipient}
Action: {"failed" if status.startswith("5") else "delayed"}
Status: {status}
Remote-MTA: dns; mx.client.example
Diagnostic-Code: {diagnostic}

--{boundary}
Content-Type: text/rfc822-headers

From: relance@acme.example
To: {recipient}
Subject: Relance
Message-ID: {original_message_id}

--{boundary}--
"""
    return text.replace("\n", "\r\n").encode()
