"""Reading a real IMAP mailbox (Dovecot on 127.0.0.1): TLS and STARTTLS with the server's
certificate checked, only what is new each time, the UIDVALIDITY reset, hostile messages
that block nothing, failures reported on the cursor and by `relance mail fetch`."""

import io

import pytest
from django.core.management import CommandError, call_command

from relance.inbound import fetching, parsing, services
from relance.inbound.choices import InboundKind, InboundStatus
from relance.inbound.fetching import mailbox_fetch
from relance.inbound.models import InboundEmail, MailboxCursor
from relance.inbound.tasks import inbound_fetch_mailboxes
from relance.inbound.tests import mails

pytestmark = pytest.mark.django_db


def test_a_fetch_stores_what_is_new_and_marks_it_read(acme_daily, sent, mailbox, dovecot):
    dovecot.append(
        mails.reply(in_reply_to=sent.message_id),
        mails.auto_reply(in_reply_to=sent.message_id),
        mails.reply(sender="stranger@elsewhere.example", body="Who are you?\n"),
    )
    summary = mailbox_fetch(mailbox)

    assert (summary.fetched, summary.stored, summary.duplicates, summary.error) == (3, 3, 0, "")
    assert (summary.replies, summary.auto_replies, summary.unassigned) == (2, 1, 1)
    assert dovecot.count(criteria="UNSEEN") == 0 and dovecot.count() == 3
    cursor = MailboxCursor.objects.get(connector=mailbox)
    assert cursor.last_uid == 3 and cursor.uid_validity > 0 and cursor.last_error == ""
    assert InboundEmail.objects.filter(source="imap").count() == 3

    assert mailbox_fetch(mailbox).fetched == 0  # nothing new: nothing asked for
    dovecot.append(mails.reply(sender="compta@client.example", body="Et la suite.\n"))
    again = mailbox_fetch(mailbox)
    assert (again.fetched, again.stored) == (1, 1)
    assert MailboxCursor.objects.get(connector=mailbox).last_uid == 4


def test_starttls_with_the_certificate_checked(acme_daily, mailbox, dovecot):
    mailbox.settings = dovecot.settings(security="starttls")
    mailbox.save()
    dovecot.append(mails.reply())
    assert mailbox_fetch(mailbox).stored == 1


def test_a_certificate_not_trusted_is_refused_and_reported(acme_daily, mailbox, dovecot):
    settings = dovecot.settings()
    del settings["ca_file"]
    mailbox.settings = settings
    mailbox.save()
    dovecot.append(mails.reply())
    summary = mailbox_fetch(mailbox)
    assert "CERTIFICATE_VERIFY_FAILED" in summary.error and summary.fetched == 0
    assert "CERTIFICATE_VERIFY_FAILED" in MailboxCursor.objects.get().last_error
    assert dovecot.count(criteria="UNSEEN") == 1


def test_a_wrong_password_is_reported_and_the_password_is_sealed(acme_daily, mailbox, dovecot):
    assert mailbox.settings["password"].startswith("enc:")  # sealed at rest
    mailbox.settings = dovecot.settings(password="wrong")
    mailbox.save()
    summary = mailbox_fetch(mailbox)
    assert summary.error and "authentication" in summary.error.lower()


def test_bad_settings_name_the_setting(acme_daily, mailbox, dovecot):
    mailbox.settings = dovecot.settings(security="tls1.0")
    mailbox.save()
    assert mailbox_fetch(mailbox).error.startswith("MailboxSettingsError: security:")
    mailbox.settings = {**dovecot.settings(), "host": ""}
    mailbox.save()
    assert "host: missing" in mailbox_fetch(mailbox).error


def test_a_new_uidvalidity_reads_the_folder_again_and_stores_nothing_twice(
    acme_daily, mailbox, dovecot
):
    dovecot.append(mails.reply(), mails.reply())
    assert mailbox_fetch(mailbox).stored == 2
    MailboxCursor.objects.update(uid_validity=1, last_uid=999)  # as if the folder was rebuilt
    summary = mailbox_fetch(mailbox)
    assert (summary.fetched, summary.stored, summary.duplicates) == (2, 0, 2)
    assert MailboxCursor.objects.get().last_uid == 2


def test_hostile_messages_block_nothing(acme_daily, sent, mailbox, dovecot, monkeypatch):
    monkeypatch.setattr(parsing, "MAX_MESSAGE_BYTES", 200_000)
    nested = b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n" * 2000
    html = (
        b"From: x@elsewhere.example\r\nSubject: html\r\nContent-Type: text/html\r\n\r\n"
        b"<script>alert(1)</script><p>Bonjour</p>\r\n"
    )
    huge = mails.reply(body="y" * 300_000, subject="Huge")
    dovecot.append(
        b"garbage without any header at all\r\n",
        b"From: deep@elsewhere.example\r\nSubject: deep\r\n" + nested,
        huge,
        html,
        mails.reply(in_reply_to=sent.message_id),
    )
    summary = mailbox_fetch(mailbox)

    assert (summary.fetched, summary.stored, summary.failed, summary.error) == (5, 5, 0, "")
    emails = {e.subject: e for e in InboundEmail.objects.all()}
    assert emails["Huge"].kind == InboundKind.REFUSED and "too large" in emails["Huge"].refusal
    assert emails["Huge"].size >= 300_000 and emails["Huge"].raw.size < 5_000  # headers only
    assert "alert" not in emails["html"].full_text and "Bonjour" in emails["html"].full_text
    assert emails["Re: Relance"].status == InboundStatus.ASSIGNED
    assert MailboxCursor.objects.get().last_uid == 5


def test_a_message_not_stored_is_read_again_and_holds_the_cursor(
    acme_daily, mailbox, dovecot, monkeypatch
):
    dovecot.append(*(mails.reply(subject=f"n{n}") for n in range(1, 6)))
    real = services.inbound_email_store

    def database_down_for_n2(**kwargs):
        if b"Subject: n2" in kwargs["raw"]:
            raise RuntimeError("database away")
        return real(**kwargs)

    monkeypatch.setattr(fetching, "inbound_email_store", database_down_for_n2)
    first = mailbox_fetch(mailbox)
    assert (first.stored, first.failed) == (4, 1)  # those after it are stored
    assert MailboxCursor.objects.get().last_uid == 1
    assert dovecot.count(criteria="UNSEEN") == 1

    monkeypatch.setattr(fetching, "inbound_email_store", real)
    second = mailbox_fetch(mailbox)
    assert (second.stored, second.duplicates, second.failed) == (1, 3, 0)
    assert MailboxCursor.objects.get().last_uid == 5
    assert sorted(InboundEmail.objects.values_list("subject", flat=True)) == [
        f"n{n}" for n in range(1, 6)
    ]


def test_processed_messages_move_to_the_processed_folder(acme_daily, mailbox, dovecot):
    mailbox.settings = dovecot.settings(processed_folder="Processed")
    mailbox.save()
    dovecot.append(mails.reply(), mails.reply())
    assert mailbox_fetch(mailbox).stored == 2
    assert dovecot.count() == 0 and dovecot.count(folder="Processed") == 2


def test_large_batches(acme_daily, mailbox, dovecot, monkeypatch):
    monkeypatch.setattr(fetching, "BATCH", 3)
    monkeypatch.setattr(fetching, "BATCH_BYTES", 2_000)
    dovecot.append(*(mails.reply(subject=f"m{n}") for n in range(8)))
    summary = mailbox_fetch(mailbox)
    assert (summary.fetched, summary.stored) == (8, 8)
    assert MailboxCursor.objects.get().last_uid == 8


def test_the_command_prints_each_mailbox_and_fails_when_one_is_unreachable(
    acme_daily, sent, mailbox, dovecot
):
    dovecot.append(mails.reply(in_reply_to=sent.message_id), mails.reply())
    out = io.StringIO()
    call_command("mail", "fetch", "--entity", acme_daily.slug, stdout=out)
    assert out.getvalue().strip() == (
        "acme-fr: fetched 2, stored 2, duplicates 0, replies 2, auto-replies 0, bounces 0, "
        "unassigned 0, refused 0, failed 0"
    )
    with pytest.raises(CommandError, match="Unknown entity"):
        call_command("mail", "fetch", "--entity", "nope")

    mailbox.settings = dovecot.settings(port=_closed_port())
    mailbox.save()
    err = io.StringIO()
    with pytest.raises(CommandError, match="Mailbox not read for acme-fr"):
        call_command("mail", "fetch", stdout=io.StringIO(), stderr=err)
    assert "Connection refused" in err.getvalue() or "ConnectionRefused" in err.getvalue()


def test_the_beat_task_reads_every_mailbox(acme_daily, sent, mailbox, dovecot):
    dovecot.append(mails.reply(in_reply_to=sent.message_id))
    assert inbound_fetch_mailboxes.delay().get() == 1
    assert InboundEmail.objects.count() == 1


def _closed_port() -> int:
    from relance.inbound.tests.dovecot import free_port

    return free_port()
