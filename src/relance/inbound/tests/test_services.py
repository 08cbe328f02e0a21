"""Storing a received email: once, matched by the right rule, acted on by kind (reply,
automatic reply, bounce, refused), attached by hand when nothing matched."""

import pytest
from django.core.exceptions import ValidationError

from relance.agenda.choices import ActionStatus, ResponseKind
from relance.agenda.models import Action, CustomerResponse
from relance.customers.models import Contact
from relance.customers.tests.factories import ContactFactory, CustomerFactory
from relance.delivery.replyto import reply_address
from relance.inbound import parsing
from relance.inbound.choices import InboundKind, InboundStatus, MatchedBy
from relance.inbound.matching import Known, match
from relance.inbound.models import InboundAttachment, InboundEmail
from relance.inbound.services import (
    inbound_email_assign,
    inbound_email_ignore,
    inbound_email_store,
    inbound_email_too_large,
)
from relance.inbound.tests import mails

pytestmark = pytest.mark.django_db


def store(entity, raw: bytes):
    return inbound_email_store(entity=entity, raw=raw, source="imap")


def test_a_reply_to_a_sent_message_becomes_the_customers_response(acme_daily, sent):
    raw = mails.reply(
        in_reply_to=sent.message_id,
        body="Bonjour, nous avons payé hier.\n",
        quoted="Bonjour, vous devez 100,00 €.",
    )
    email = store(acme_daily, raw)

    assert email.kind == InboundKind.REPLY and email.status == InboundStatus.ASSIGNED
    assert email.matched_by == MatchedBy.IN_REPLY_TO
    assert (email.customer, email.action, email.outbox) == (
        sent.action.customer,
        sent.action,
        sent,
    )
    assert email.raw.read() == raw  # kept as received
    response = email.response
    assert response.kind == ResponseKind.REPLY and response.channel == "email"
    assert response.body.strip() == "Bonjour, nous avons payé hier."  # quoted history gone
    assert response.author == "Jeanne Compta <compta@client.example>"
    assert response.action == sent.action and response.handled_at is None


def test_the_same_message_is_stored_once(acme_daily, sent):
    raw = mails.reply(in_reply_to=sent.message_id, message_id="<once@client.example>")
    assert store(acme_daily, raw) is not None
    assert store(acme_daily, raw) is None  # the same bytes
    refolded = raw.replace(b"nous avons", b"nous  avons")  # same Message-ID, other bytes
    assert store(acme_daily, refolded) is None
    without_id = mails.reply(in_reply_to=sent.message_id).replace(b"Message-ID:", b"X-Old-ID:")
    assert store(acme_daily, without_id) is not None
    assert store(acme_daily, without_id) is None  # by the hash of its bytes
    assert InboundEmail.objects.count() == 2
    assert CustomerResponse.objects.count() == 2


def test_the_tag_of_the_reply_to_address_finds_the_message(acme_daily, sent):
    to = reply_address(acme_daily, sent.key)
    email = store(acme_daily, mails.reply(to=to, sender="someone@elsewhere.example"))
    assert email.matched_by == MatchedBy.TOKEN
    assert email.action == sent.action and email.outbox == sent


def test_a_forged_tag_matches_nothing(acme_daily, sent):
    forged = reply_address(acme_daily, sent.key)[:-16] + "aaaaa@acme.example"
    email = store(acme_daily, mails.reply(to=forged, sender="someone@elsewhere.example"))
    assert email.status == InboundStatus.UNASSIGNED and email.customer is None
    assert email.response is None


def test_the_sender_finds_the_customer_whatever_the_case(acme_daily, sent):
    email = store(acme_daily, mails.reply(sender="Compta@Client.EXAMPLE"))
    assert email.matched_by == MatchedBy.SENDER
    assert email.customer == sent.action.customer
    assert email.action == sent.action  # the last email sent to that customer


def test_a_sender_of_several_customers_is_settled_by_the_invoice_number(acme_daily, dupont, martin):
    ContactFactory(customer=martin, email="compta@client.example", is_collection=True)
    email = store(acme_daily, mails.reply(body="About invoice F-2026-0200: paid.\n"))
    assert email.matched_by == MatchedBy.INVOICE and email.customer == martin
    assert email.details["invoice_numbers"] == ["F-2026-0200"]

    alone = store(acme_daily, mails.reply(body="We paid everything.\n"))
    assert alone.status == InboundStatus.UNASSIGNED  # two customers, no number


def test_invoice_numbers_match_as_whole_tokens_only(acme_daily, dupont, martin):
    stranger = "someone@elsewhere.example"
    email = store(acme_daily, mails.reply(sender=stranger, subject="Facture f-2026-0142,"))
    assert email.matched_by == MatchedBy.INVOICE and email.customer == dupont

    longer = store(acme_daily, mails.reply(sender=stranger, body="ref XF-2026-01420 paid\n"))
    assert longer.status == InboundStatus.UNASSIGNED

    both = store(acme_daily, mails.reply(sender=stranger, body="F-2026-0142/F-2026-0200\n"))
    assert both.status == InboundStatus.UNASSIGNED  # two customers: a collector decides


def test_matching_costs_a_few_queries_whatever_the_ledger(
    acme_daily, dupont, django_assert_max_num_queries
):
    from relance.ledger.tests.factories import ItemFactory

    other = CustomerFactory(entity=acme_daily)
    ItemFactory.create_batch(300, customer=other)
    body = " ".join(f"INV-{n}" for n in range(2000)) + " F-2026-0142\n"
    raw = mails.reply(sender="someone@elsewhere.example", body=body)
    parsed = parsing.parse(raw)
    with django_assert_max_num_queries(5):  # sender (none), invoices, the last email sent
        found = match(acme_daily, parsed)
    assert found.customer_id == dupont.pk and found.matched_by == MatchedBy.INVOICE


def test_a_batch_of_emails_is_matched_in_a_few_queries_for_all(
    acme_daily, sent, django_assert_num_queries
):
    """The mailbox's batch reads its senders, answered messages and customers once: the
    emails of ten customers cost the queries of one."""
    customers = [
        CustomerFactory(entity=acme_daily, name=f"Client {n}") for n in range(10)
    ]  # no email sent to them yet: their customer row is read, for their response
    for n, customer in enumerate(customers):
        ContactFactory(customer=customer, email=f"ap{n}@client{n}.example")
    emails = [
        parsing.parse(mails.reply(sender=f"AP{n}@client{n}.example", subject=f"n{n}"))
        for n in range(10)
    ]
    emails.append(parsing.parse(mails.reply(in_reply_to=sent.message_id)))
    emails.append(parsing.parse(mails.reply(sender="x@elsewhere.example", body="About ZZ-999\n")))
    # the answered messages, the tags (none here: no query), the senders, their customers'
    # last emailed actions, the customers with none
    with django_assert_num_queries(4):
        known = Known(acme_daily, emails)
    with django_assert_num_queries(0):
        found = [match(acme_daily, parsed, known) for parsed in emails[:11]]
        owners = [known.customer(f.customer_id) for f in found]
    assert [f.customer_id for f in found] == [*(c.pk for c in customers), sent.action.customer_id]
    assert found[-1].matched_by == MatchedBy.IN_REPLY_TO and found[-1].outbox == sent
    assert {f.matched_by for f in found[:10]} == {MatchedBy.SENDER}
    assert [o.name for o in owners[:10]] == [c.name for c in customers]
    with django_assert_num_queries(1):  # the stranger: rule 4 asks the ledger, alone
        assert match(acme_daily, emails[-1], known).customer_id is None


def test_an_automatic_reply_is_kept_handled_and_pauses_nothing(acme_daily, sent):
    email = store(acme_daily, mails.auto_reply(in_reply_to=sent.message_id))
    assert email.kind == InboundKind.AUTO_REPLY and email.status == InboundStatus.ASSIGNED
    assert email.response.kind == ResponseKind.AUTO_REPLY
    assert email.response.handled_at is not None

    stray = store(acme_daily, mails.auto_reply(sender="nobody@elsewhere.example"))
    assert stray.status == InboundStatus.IGNORED and stray.response is None


def test_a_bounce_marks_the_message_the_contact_and_the_action(acme_daily, sent):
    raw = mails.dsn(recipient="compta@client.example", original_message_id=sent.message_id)
    email = store(acme_daily, raw)

    assert email.kind == InboundKind.BOUNCE and email.outbox == sent
    assert email.matched_by == MatchedBy.IN_REPLY_TO and email.response is None
    [recipient] = email.details["bounce"]["recipients"]
    assert recipient["address"] == "compta@client.example" and recipient["status"] == "5.1.1"
    sent.refresh_from_db()
    assert sent.provider_status == "bounced"
    action = Action.objects.get(pk=sent.action_id)
    assert action.status == ActionStatus.ERROR
    assert action.error_message == "Email sending error (invalid or blocked address)"
    contact = Contact.objects.get(email="compta@client.example")
    assert "5.1.1" in contact.email_invalid_reason and contact.email_invalid_at


def test_a_bounce_without_the_message_id_is_found_by_the_bounced_address(acme_daily, sent):
    raw = mails.dsn(recipient="compta@client.example", original_message_id="<lost@x>")
    email = store(acme_daily, raw)
    assert email.matched_by == MatchedBy.RECIPIENT and email.outbox == sent


def test_a_delay_notice_changes_nothing(acme_daily, sent):
    raw = mails.dsn(
        recipient="compta@client.example", original_message_id=sent.message_id, status="4.4.1"
    )
    email = store(acme_daily, raw)
    assert email.kind == InboundKind.BOUNCE and email.details["bounce"]["permanent"] is False
    assert Action.objects.get(pk=sent.action_id).status == ActionStatus.SENT
    assert not Contact.objects.get(email="compta@client.example").email_invalid_reason


def test_a_recipient_only_delayed_in_a_bounce_stays_valid(acme_daily, sent):
    ContactFactory(customer=sent.action.customer, email="copy@client.example")
    raw = mails.dsn(recipient="compta@client.example", original_message_id=sent.message_id)
    delayed = (
        b"Final-Recipient: rfc822; copy@client.example\r\n"
        b"Action: delayed\r\nStatus: 4.4.1\r\n"
        b"Diagnostic-Code: smtp; 451 4.4.1 try again later\r\n\r\n--BOUNDARY-relance-dsn\r\n"
        b"Content-Type: text/rfc822-headers"
    )
    raw = raw.replace(
        b"--BOUNDARY-relance-dsn\r\nContent-Type: text/rfc822-headers", b"\r\n" + delayed, 1
    )
    email = store(acme_daily, raw)

    assert len(email.details["bounce"]["recipients"]) == 2
    assert Contact.objects.get(email="compta@client.example").email_invalid_reason
    assert not Contact.objects.get(email="copy@client.example").email_invalid_reason


def test_attachments_are_kept(acme_daily, sent):
    pdf = b"%PDF-1.4 remittance advice " + b"x" * 2000
    raw = mails.reply(
        in_reply_to=sent.message_id,
        attachments=[("../../avis de virement.pdf", pdf, "application/pdf")],
    )
    email = store(acme_daily, raw)
    [attachment] = InboundAttachment.objects.filter(email=email)
    assert attachment.file.read() == pdf and attachment.size == len(pdf)
    assert "/" not in attachment.filename and attachment.filename.endswith(".pdf")
    assert attachment.content_type == "application/pdf"


def test_what_is_not_an_email_is_kept_refused_with_the_reason(acme_daily):
    email = store(acme_daily, b"\x00\x01 this is not an email at all")
    assert email.kind == InboundKind.REFUSED and email.status == InboundStatus.UNASSIGNED
    assert "not an email" in email.refusal
    assert email.raw.read() == b"\x00\x01 this is not an email at all"
    assert store(acme_daily, b"\x00\x01 this is not an email at all") is None


def test_a_message_too_large_keeps_its_headers_only(acme_daily, monkeypatch):
    monkeypatch.setattr(parsing, "MAX_MESSAGE_BYTES", 5_000)
    raw = mails.reply(body="x" * 10_000, subject="Huge", message_id="<huge@client.example>")
    email = store(acme_daily, raw)
    assert email.kind == InboundKind.REFUSED and "too large" in email.refusal
    assert email.subject == "Huge" and email.message_id == "<huge@client.example>"
    assert email.size == len(raw)
    kept = email.raw.read()
    assert b"Subject: Huge" in kept and b"xxxx" not in kept
    assert store(acme_daily, raw) is None  # same Message-ID

    head = raw.split(b"\n\n")[0]
    other = inbound_email_too_large(entity=acme_daily, head=head, size=10**9, source="imap")
    assert other is None  # the mailbox's header-only copy: stored already by Message-ID

    hostile = b"From: x\x00y@z.example\r\nSubject: a\x00b\r\nMessage-ID: <n\x00ul@z>\r\n"
    email = inbound_email_too_large(entity=acme_daily, head=hostile, size=10**9, source="imap")
    assert (email.subject, email.message_id, email.sender) == ("ab", "<nul@z>", "xy@z.example")


def test_the_assistant_reads_a_reply_once_it_is_committed(
    acme_daily, sent, django_capture_on_commit_callbacks
):
    from relance.assistant.models import Proposal

    with django_capture_on_commit_callbacks(execute=True):
        email = store(acme_daily, mails.reply(in_reply_to=sent.message_id))
        assert not Proposal.objects.exists()  # not while the email is being stored
    proposal = Proposal.objects.get(response=email.response)
    assert proposal.intent == "payment_made"  # "nous avons payé hier"


def test_a_failing_assistant_never_loses_the_email(
    acme_daily, sent, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    from relance.assistant import services as assistant

    def broken(**kwargs):
        raise RuntimeError("model file missing")

    monkeypatch.setattr(assistant, "proposal_create", broken)
    with django_capture_on_commit_callbacks(execute=True):
        email = store(acme_daily, mails.reply(in_reply_to=sent.message_id))
    email.refresh_from_db()
    assert email.status == InboundStatus.ASSIGNED and email.response is not None
    assert "no proposal for response" in caplog.text


def test_a_failing_response_leaves_the_email_unassigned_with_the_problem(
    acme_daily, sent, monkeypatch
):
    from relance.agenda import services as agenda

    def broken(**kwargs):
        raise RuntimeError("database said no")

    monkeypatch.setattr(agenda, "response_email_record", broken)
    email = store(acme_daily, mails.reply(in_reply_to=sent.message_id))
    email.refresh_from_db()
    assert email.status == InboundStatus.UNASSIGNED and email.customer is None
    assert any("database said no" in p for p in email.problems)


# --- attaching by hand -----------------------------------------------------------------


@pytest.fixture
def stray(acme_daily, dupont):
    raw = mails.reply(sender="nouvelle@client.example", body="Nous paierons le 15.\n")
    email = store(acme_daily, raw)
    assert email.status == InboundStatus.UNASSIGNED
    return email


def test_an_unassigned_email_is_attached_to_a_customer_with_its_sender(stray, dupont, bob):
    email = inbound_email_assign(email=stray, customer=dupont, add_contact=True, acting_user=bob)

    assert email.status == InboundStatus.ASSIGNED and email.matched_by == MatchedBy.USER
    assert email.customer == dupont
    assert email.response.customer == dupont and email.response.body.startswith("Nous paierons")
    contact = Contact.objects.get(customer=dupont, email="nouvelle@client.example")
    assert contact.is_collection and contact.last_name == "Compta"
    assert dupont.events.filter(kind="contact_changed").exists()

    with pytest.raises(ValidationError, match="already attached"):
        inbound_email_assign(email=stray, customer=dupont, acting_user=bob)


def test_the_sender_is_not_added_twice(stray, dupont):
    ContactFactory(customer=dupont, email="Nouvelle@client.example")
    inbound_email_assign(email=stray, customer=dupont, add_contact=True)
    assert Contact.objects.filter(customer=dupont, email__iexact=stray.sender).count() == 1


def test_an_email_is_not_attached_to_another_entitys_customer(stray, globex):
    other = CustomerFactory(entity=globex)
    with pytest.raises(ValidationError) as error:
        inbound_email_assign(email=stray, customer=other)
    assert "customer" in error.value.message_dict
    stray.refresh_from_db()
    assert stray.status == InboundStatus.UNASSIGNED


def test_a_sender_without_a_valid_address_is_not_added(acme_daily, dupont):
    email = store(acme_daily, mails.reply(sender="", body="hello\n"))
    with pytest.raises(ValidationError) as error:
        inbound_email_assign(email=email, customer=dupont, add_contact=True)
    assert "add_contact" in error.value.message_dict
    inbound_email_assign(email=email, customer=dupont)  # without the contact: fine


def test_an_email_ignored_leaves_the_list(stray):
    assert inbound_email_ignore(email=stray).status == InboundStatus.IGNORED


@pytest.mark.parametrize(
    "name", ["100% payé.pdf", "..", "a\\..\\..\\evil<script>.pdf", "." * 300 + "x.pdf"]
)
def test_any_attachment_name_is_stored_safely(acme_daily, sent, name):
    from relance.inbound.services import _storage_name

    stored = _storage_name(name)
    assert stored and "/" not in stored and "\\" not in stored and "%" not in stored
    assert not stored.startswith(".") and len(stored) <= 100
    raw = mails.reply(attachments=[(name, b"%PDF-1.4 " + b"z" * 3000, "application/pdf")])
    email = store(acme_daily, raw)
    [attachment] = email.attachments.all()
    assert attachment.file.read().startswith(b"%PDF-1.4")
