"""A reminder's bytes written by delivery/mime.py read back as Django's own would be: the
same headers, parts and contents, through the email parser and through a real SMTP server
(aiosmtpd); any other shape is left to Django."""

import email
import smtplib
from email import policy

import pytest
from django.core.mail import EmailMultiAlternatives, get_connection

from relance.delivery.email import send_one
from relance.delivery.mime import envelope, message_bytes
from relance.delivery.tests.conftest import Recorder, _serve

SUBJECT = "Relance : facture(s) échue(s) – Société Générale d'Électricité de Montréal €"
TEXT = "Bonjour Mme Müller,\n\n- Facture F1 : 1 247,29 €\n.une ligne qui commence par un point\nFin"
LONG_HTML = "<p>" + "Montant dû : <strong>1\u202f247,29\u00a0€</strong> " * 60 + "</p>\n<p>Fin</p>"


def _reminder(**fields) -> EmailMultiAlternatives:
    values = {
        "subject": SUBJECT,
        "body": TEXT,
        "from_email": "Acme Recouvrement <relance@acme.example>",
        "to": ["compta@client.example", "dg@client.example"],
        "cc": ["billing@client.example", "copies@acme.example"],
        "reply_to": ["recouvrement+a42-1-abcdefghij@acme.example"],
        "headers": {"Message-ID": "<relance.action-42-1@acme.example>"},
    }
    message = EmailMultiAlternatives(**{**values, **fields})
    message.attach_alternative(LONG_HTML, "text/html")
    return message


def _parsed(raw: bytes):
    return email.message_from_bytes(raw, policy=policy.default)


HEADERS = ("Subject", "From", "To", "Cc", "Reply-To", "Message-ID", "MIME-Version")


def test_read_back_as_django_writes_it():
    message = _reminder()
    ours = _parsed(message_bytes(message))
    django = _parsed(message.message().as_bytes(linesep="\r\n"))
    for name in HEADERS:
        assert str(ours[name]).strip() == str(django[name]).strip(), name
    assert ours["Subject"] == SUBJECT
    assert ours.get_content_type() == django.get_content_type() == "multipart/alternative"
    for kind in ("plain", "html"):
        ours_part, django_part = ours.get_body((kind,)), django.get_body((kind,))
        assert ours_part.get_content() == django_part.get_content()
        assert ours_part["Content-Transfer-Encoding"] == django_part["Content-Transfer-Encoding"]
    # The HTML line is longer than SMTP allows: quoted-printable, as Django chose.
    assert ours.get_body(("html",))["Content-Transfer-Encoding"] == "quoted-printable"
    assert ours.get_body(("plain",))["Content-Transfer-Encoding"] == "8bit"


def test_every_line_within_smtp_limits_and_no_character_split():
    message = _reminder(subject="é" * 40 + "€" * 30 + " " + "x" * 50)
    raw = message_bytes(message)
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))
    assert b"\n" not in raw.replace(b"\r\n", b"")
    head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")  # headers in ASCII only
    subject_lines = head.split("Subject: ", 1)[1].split("\r\nFrom:", 1)[0].split("\r\n ")
    assert len(subject_lines) > 2 and all(len(line) <= 75 for line in subject_lines)
    assert _parsed(raw)["Subject"] == message.subject


def test_a_text_only_message_and_plain_ascii():
    message = EmailMultiAlternatives(
        subject="Reminder", body="Dear customer,\r\nline two\rline three", to=["a@b.example"]
    )
    raw = message_bytes(message)
    parsed = _parsed(raw)
    assert parsed.get_content_type() == "text/plain"
    assert parsed["Content-Transfer-Encoding"] == "7bit"
    assert raw.endswith(b"\r\n\r\nDear customer,\r\nline two\r\nline three")
    assert "Cc" not in parsed and "Reply-To" not in parsed
    assert parsed["Date"] and parsed["Message-ID"] is None


@pytest.mark.parametrize(
    "change",
    [
        lambda m: m.attach("a.pdf", b"%PDF", "application/pdf"),
        lambda m: setattr(m, "encoding", "iso-8859-1"),
        lambda m: m.extra_headers.update({"X-Campaign": "spring"}),
        lambda m: setattr(m, "subject", "two\nlines"),
        lambda m: m.attach_alternative("<p>again</p>", "text/html"),
    ],
    ids=["attachment", "charset", "other header", "line break", "two alternatives"],
)
def test_other_shapes_are_left_to_django(change):
    message = _reminder()
    change(message)
    assert message_bytes(message) is None


def test_the_envelope_is_the_bare_addresses():
    message = _reminder(to=["Jean Dupont <jean@client.example>"], cc=[], bcc=["bcc@acme.example"])
    assert envelope(message) == (
        "relance@acme.example",
        ["jean@client.example", "bcc@acme.example"],
    )


def test_through_a_real_server_with_django_s_envelope(settings):
    """The same message sent our way and Django's way arrives the same: the envelope, the
    headers and both parts (a line starting with a dot included)."""
    handler = Recorder()
    controller = _serve(settings, handler)
    try:
        mail = get_connection()
        mail.open()
        send_one(mail, _reminder())
        mail.send_messages([_reminder()])
        mail.close()
    finally:
        controller.stop()
    ours, django = handler.messages
    assert handler.envelopes[0].mail_from == handler.envelopes[1].mail_from
    assert handler.envelopes[0].rcpt_tos == handler.envelopes[1].rcpt_tos
    assert len(handler.envelopes[0].rcpt_tos) == 4
    for name in HEADERS:
        assert str(ours[name]).strip() == str(django[name]).strip(), name
    for kind in ("plain", "html"):
        assert ours.get_body((kind,)).get_content() == django.get_body((kind,)).get_content()
    assert ".une ligne qui commence par un point" in ours.get_body(("plain",)).get_content()


def test_refusals_raise_what_smtplib_raises(settings):
    class RefusingSome(Recorder):
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if address.startswith("dg@"):
                return "550 5.1.1 no such mailbox"
            return await super().handle_RCPT(server, session, envelope, address, rcpt_options)

    handler = RefusingSome()
    controller = _serve(settings, handler)
    mail = get_connection()
    try:
        mail.open()
        with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
            send_one(mail, _reminder(to=["dg@client.example"], cc=[]))  # its only recipient
        send_one(mail, _reminder(cc=[]))  # one of two refused: the other gets it
    finally:
        mail.close()
        controller.stop()
    assert refused.value.recipients == {"dg@client.example": (550, b"5.1.1 no such mailbox")}
    [message] = handler.messages
    assert handler.envelopes[0].rcpt_tos == ["compta@client.example"]
    assert message["To"] == "compta@client.example, dg@client.example"
