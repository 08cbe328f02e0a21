"""Customers' responses on the collector's side (M2.3): the Responses tab (every kind, in
words, escaped), the unread counter, the operations on a response, its attachment, and the
internal comment of the customer page."""

import datetime

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from relance.accounts.tests.factories import UserFactory
from relance.activity.choices import EventKind
from relance.activity.models import CustomerEvent
from relance.agenda import services
from relance.agenda.choices import ResponseChannel, ResponseKind
from relance.agenda.context_processors import unhandled_responses
from relance.agenda.models import CustomerResponse
from relance.customers.models import Contact
from relance.customers.tests.factories import ContactFactory, CustomerFactory
from relance.ledger.tests.factories import ItemFactory
from relance.templating.tests.factories import MessageTemplateFactory

pytestmark = pytest.mark.django_db
SCRIPT = "<script>alert(1)</script>"
LIST_URL = reverse("agenda:responses")


@pytest.fixture
def bob(acme):
    """A collector limited to Acme France."""
    user = UserFactory(username="bob", role="collector", first_name="Bob", last_name="Leroy")
    user.entities.set([acme])
    return user


@pytest.fixture
def rita(acme):
    return UserFactory(username="rita", role="read_only", all_entities=True)


@pytest.fixture
def dupont(acme, bob):
    customer = CustomerFactory(entity=acme, name="Dupont SA", collector=bob)
    ContactFactory(customer=customer, first_name="Claire", last_name="Martin", email="c@dupont.fr")
    return customer


def respond(customer, kind=ResponseKind.REPLY, *, items=(), **fields) -> CustomerResponse:
    fields.setdefault("received_at", timezone.now())
    fields.setdefault("channel", ResponseChannel.PORTAL)
    fields.setdefault("body", "Hello")
    response = CustomerResponse.objects.create(
        entity=customer.entity, customer=customer, kind=kind, **fields
    )
    response.items.set(items)
    return response


def url(name: str, response) -> str:
    return reverse(f"agenda:response-{name}", args=[response.pk])


# The tab ---------------------------------------------------------------------------------


def test_the_tab_lists_every_kind_in_words_and_escaped(client, alice, dupont):
    invoice = ItemFactory(customer=dupont, number="F-0042")
    for kind in ResponseKind.values:
        respond(
            dupont,
            kind,
            items=[invoice],
            body=f"{kind} {SCRIPT}\nsecond line",
            details={
                "date": "2026-12-20",
                "amount": "120.00",
                "reason": SCRIPT,
                "slot": "9-12",
                "contact": {"name": "Paul Durand", "email": "paul@dupont.fr", "phone": SCRIPT},
            },
        )
    client.force_login(alice)
    html = client.get(LIST_URL).content.decode()
    for kind in ResponseKind:
        assert str(kind.label) in html
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "text-pre-wrap" in html  # line breaks kept
    assert "F-0042" in html
    assert "€120.00" in html  # the customer's currency (EUR), in English
    assert "20 Dec 2026" in html  # British English, not "Dec. 20, 2026"
    assert "Paul Durand" in html and "9-12" in html


def test_the_tab_filters_by_kind_and_state_and_lists_the_unhandled_first(client, alice, dupont):
    old = respond(dupont, ResponseKind.DISPUTE, body="old one")
    old.received_at -= datetime.timedelta(days=3)
    old.save()
    handled = respond(dupont, ResponseKind.PROMISE, body="handled one")
    services.response_handle(response=handled, acting_user=alice)
    client.force_login(alice)
    rows = client.get(LIST_URL).context["table"].rows
    assert [row.record.pk for row in rows] == [old.pk, handled.pk]
    html = client.get(LIST_URL, {"state": "unhandled"}).content.decode()
    assert "old one" in html and "handled one" not in html
    html = client.get(LIST_URL, {"state": "handled"}).content.decode()
    assert "old one" not in html and "handled one" in html and "alice" in html
    html = client.get(LIST_URL, {"kind": "dispute"}).content.decode()
    assert "old one" in html and "handled one" not in html


def test_the_tab_reads_its_items_in_one_query(client, alice, dupont, django_assert_num_queries):
    for _ in range(5):
        respond(dupont, items=[ItemFactory(customer=dupont), ItemFactory(customer=dupont)])
    client.force_login(alice)
    client.get(LIST_URL)
    # session, user, 2 counts, unassigned emails' count (its tab), page, items, entities
    with django_assert_num_queries(8):
        client.get(LIST_URL)


def test_the_export_has_labels_and_plain_text(client, alice, dupont):
    respond(dupont, ResponseKind.DISPUTE, body=f"a\n{SCRIPT}", details={"reason": "price"})
    client.force_login(alice)
    export = client.get(LIST_URL, {"export": "csv"})
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert ",Dispute," in text and f"a\n{SCRIPT}" in text and "<span" not in text


def test_the_response_page_shows_the_text_escaped(client, bob, dupont):
    response = respond(dupont, ResponseKind.DISPUTE, body=SCRIPT, details={"reason": SCRIPT})
    client.force_login(bob)
    html = client.get(url("detail", response)).content.decode()
    assert SCRIPT not in html and "&lt;script&gt;" in html
    assert url("undo", response) in html


def test_another_entitys_responses_are_not_listed(client, bob, globex):
    respond(CustomerFactory(entity=globex), body="not for bob")
    client.force_login(bob)
    assert "not for bob" not in client.get(LIST_URL).content.decode()


# The counter -----------------------------------------------------------------------------


def test_the_counter_of_a_collector_counts_their_customers_a_managers_all(
    client, rf, alice, bob, dupont, acme, globex
):
    first = respond(dupont)
    respond(dupont)
    respond(CustomerFactory(entity=acme, collector=None))  # nobody's: the managers'
    respond(CustomerFactory(entity=globex))  # not seen by bob
    respond(dupont, handled_at=timezone.now())

    def count(user):
        request = rf.get("/")
        request.user = user
        return int(str(unhandled_responses(request)["unhandled_responses"]))

    assert count(bob) == 2
    assert count(alice) == 4
    services.response_handle(response=first, acting_user=bob)
    assert count(bob) == 1 and count(alice) == 3
    client.force_login(bob)
    html = client.get(reverse("customers:list")).content.decode()
    assert 'menu-unhandled" title="Responses to handle">1</span>' in html
    html = client.get(LIST_URL).content.decode()
    assert 'counter-unhandled" title="To handle">1</span>' in html


def test_no_counter_when_logged_out(rf):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    assert unhandled_responses(request) == {}


# Operations ------------------------------------------------------------------------------


def test_mark_handled_records_who_and_when(client, bob, dupont):
    response = respond(dupont)
    client.force_login(bob)
    assert client.post(url("handle", response)).status_code == 302
    response.refresh_from_db()
    assert response.handled_at is not None and response.handled_by == bob
    assert "Handled by Bob Leroy" in client.get(url("detail", response)).content.decode()


def test_undo_a_dispute_clears_the_items_dispute(client, bob, dupont):
    invoice = ItemFactory(
        customer=dupont, disputed=True, dispute_reason="price", dispute_date=datetime.date.today()
    )
    response = respond(dupont, ResponseKind.DISPUTE, items=[invoice], details={"reason": "price"})
    client.force_login(bob)
    assert client.post(url("undo", response)).status_code == 302
    invoice.refresh_from_db()
    assert (invoice.disputed, invoice.dispute_reason, invoice.dispute_date) == (False, "", None)
    response.refresh_from_db()
    assert response.handled_by == bob and response.details["outcome"] == "undone"


@pytest.mark.parametrize("kind", [ResponseKind.PROMISE, ResponseKind.PAYMENT_ANNOUNCED])
def test_undo_a_promise_or_an_announced_payment(client, bob, dupont, kind):
    day = datetime.date(2026, 12, 20)
    invoice = ItemFactory(customer=dupont, promise_date=day, payment_announced_on=day)
    other = ItemFactory(customer=dupont, promise_date=day)
    response = respond(dupont, kind, items=[invoice], details={"date": day.isoformat()})
    client.force_login(bob)
    client.post(url("undo", response))
    invoice.refresh_from_db()
    other.refresh_from_db()
    assert (invoice.promise_date, invoice.payment_announced_on) == (None, None)
    assert other.promise_date == day  # not named by the response


def test_undo_refuses_a_reply(client, bob, dupont):
    response = respond(dupont, ResponseKind.REPLY)
    client.force_login(bob)
    client.post(url("undo", response))
    response.refresh_from_db()
    assert response.handled_at is None


def test_accepting_contact_details_updates_the_main_contact(client, bob, dupont):
    response = respond(
        dupont,
        ResponseKind.CONTACT_CHANGE,
        details={
            "contact": {"name": "Paul Durand", "email": "paul@dupont.fr", "phone": "0612345678"}
        },
    )
    client.force_login(bob)
    assert client.post(url("contact-accept", response)).status_code == 302
    contact = dupont.contacts.get()
    assert (contact.first_name, contact.last_name, contact.email, contact.phone) == (
        "Paul",
        "Durand",
        "paul@dupont.fr",
        "+33612345678",
    )
    event = CustomerEvent.objects.get(customer=dupont, kind=EventKind.CONTACT_CHANGED)
    assert event.user == bob and "email" in event.data["fields"]
    response.refresh_from_db()
    assert response.handled_by == bob and response.details["outcome"] == "accepted"


def test_accepting_contact_details_creates_a_contact_when_there_is_none(client, bob, acme):
    customer = CustomerFactory(entity=acme, collector=bob)
    response = respond(
        customer, ResponseKind.CONTACT_CHANGE, details={"contact": {"email": "new@x.fr"}}
    )
    client.force_login(bob)
    client.post(url("contact-accept", response))
    contact = Contact.objects.get(customer=customer)
    assert contact.email == "new@x.fr" and contact.is_collection


def test_invalid_contact_details_are_refused(client, bob, dupont):
    response = respond(
        dupont, ResponseKind.CONTACT_CHANGE, details={"contact": {"email": "not an email"}}
    )
    client.force_login(bob)
    page = client.post(url("contact-accept", response), follow=True).content.decode()
    assert "not a valid email address" in page
    assert dupont.contacts.get().email == "c@dupont.fr"
    response.refresh_from_db()
    assert response.handled_at is None


def test_rejecting_contact_details_changes_no_contact(client, bob, dupont):
    response = respond(
        dupont, ResponseKind.CONTACT_CHANGE, details={"contact": {"email": "paul@dupont.fr"}}
    )
    client.force_login(bob)
    client.post(url("contact-reject", response))
    assert dupont.contacts.get().email == "c@dupont.fr"
    response.refresh_from_db()
    assert response.handled_by == bob and response.details["outcome"] == "rejected"


def test_answer_by_email_sends_records_and_handles(client, bob, dupont, acme):
    template = MessageTemplateFactory(
        name="Thanks",
        entity=acme,
        variants={"fr": ("Merci #customer_name", "<p>Bien reçu, #user_name.</p>")},
    )
    MessageTemplateFactory(name="Elsewhere", entity=None, variants={"en": ("x", "<p>y</p>")})
    response = respond(dupont, ResponseKind.CALLBACK)
    client.force_login(bob)
    page = client.get(url("detail", response))
    assert [t.name for t in page.context["answer_form"].fields["template"].queryset] == ["Thanks"]
    assert client.post(url("answer", response), {"template": template.pk}).status_code == 302
    (message,) = mail.outbox
    assert message.to == ["c@dupont.fr"] and message.subject == "Merci Dupont SA"
    assert "Bien reçu, Bob Leroy." in message.body
    event = CustomerEvent.objects.get(customer=dupont, kind=EventKind.MESSAGE_SENT_BY_USER)
    assert event.data["subject"] == "Merci Dupont SA" and event.user == bob
    response.refresh_from_db()
    assert response.handled_by == bob and response.details["outcome"] == "answered"


def test_answer_without_a_collection_email_says_why(client, bob, acme):
    customer = CustomerFactory(entity=acme, collector=bob)
    template = MessageTemplateFactory(entity=acme, variants={"fr": ("Merci", "<p>ok</p>")})
    response = respond(customer)
    client.force_login(bob)
    page = client.post(url("answer", response), {"template": template.pk})
    assert page.status_code == 400
    assert "no collection contact with an email" in page.content.decode()
    assert mail.outbox == []


OPERATIONS = ("handle", "undo", "contact-accept", "contact-reject", "answer")


@pytest.mark.parametrize("name", OPERATIONS)
def test_read_only_users_get_403(client, rita, dupont, name):
    response = respond(dupont, ResponseKind.DISPUTE)
    client.force_login(rita)
    assert client.get(url("detail", response)).status_code == 200
    assert client.post(url(name, response)).status_code == 403
    response.refresh_from_db()
    assert response.handled_at is None


@pytest.mark.parametrize("name", OPERATIONS)
def test_another_entitys_response_is_404(client, bob, globex, name):
    response = respond(CustomerFactory(entity=globex), ResponseKind.CONTACT_CHANGE)
    client.force_login(bob)
    assert client.get(url("detail", response)).status_code == 404
    assert client.post(url(name, response)).status_code == 404


@pytest.mark.parametrize("name", OPERATIONS)
def test_operations_answer_post_only(client, bob, dupont, name):
    client.force_login(bob)
    assert client.get(url(name, respond(dupont))).status_code == 405


# The attachment --------------------------------------------------------------------------


def test_the_attachment_is_downloaded_by_a_user_of_its_entity(client, alice, bob, dupont, globex):
    response = respond(dupont, ResponseKind.DISPUTE)
    response.attachment.save("proof.html", ContentFile(b"<script>alert(1)</script>"))
    client.force_login(bob)
    download = client.get(url("attachment", response))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert "proof" in download["Content-Disposition"]
    assert download["Content-Type"] == "application/octet-stream"
    assert b"".join(download.streaming_content) == b"<script>alert(1)</script>"
    assert url("attachment", response) in client.get(LIST_URL).content.decode()
    # Another entity's user: the same 404 as a missing one.
    carol = UserFactory(username="carol", role="collector")
    carol.entities.set([globex])
    client.force_login(carol)
    assert client.get(url("attachment", response)).status_code == 404
    client.logout()
    assert client.get(url("attachment", response)).status_code == 302  # to the login page


def test_a_response_without_a_file_has_no_download(client, bob, dupont):
    client.force_login(bob)
    assert client.get(url("attachment", respond(dupont))).status_code == 404


# The internal comment --------------------------------------------------------------------


def test_the_customer_page_comment_creates_a_comment(client, bob, dupont):
    client.force_login(bob)
    page = client.get(dupont.get_absolute_url()).content.decode()
    comment_url = reverse("agenda:customer-comment", args=[dupont.pk])
    assert comment_url in page
    answer = client.post(comment_url, {"body": f"Called the CFO {SCRIPT}"})
    assert answer.status_code == 302 and answer["Location"] == dupont.get_absolute_url()
    comment = CustomerResponse.objects.get(customer=dupont)
    assert comment.kind == ResponseKind.COMMENT and comment.channel == ResponseChannel.TASK
    assert comment.author == "Bob Leroy" and comment.handled_by == bob
    html = client.get(LIST_URL, {"kind": "comment"}).content.decode()
    assert "Called the CFO &lt;script&gt;" in html
    page = client.get(reverse("agenda:response-detail", args=[comment.pk])).content.decode()
    assert "response-answer" not in page  # nobody to answer
    customers_comment = respond(dupont, ResponseKind.COMMENT, body="From the customer")
    page = client.get(reverse("agenda:response-detail", args=[customers_comment.pk]))
    assert "response-answer" in page.content.decode()


def test_the_comment_is_refused_to_read_only_users_and_other_entities(
    client, rita, bob, dupont, globex
):
    comment_url = reverse("agenda:customer-comment", args=[dupont.pk])
    client.force_login(rita)
    assert client.post(comment_url, {"body": "x"}).status_code == 403
    assert "customer-comment" not in client.get(dupont.get_absolute_url()).content.decode()
    client.force_login(bob)
    other = CustomerFactory(entity=globex)
    other_url = reverse("agenda:customer-comment", args=[other.pk])
    assert client.post(other_url, {"body": "x"}).status_code == 404
    client.post(comment_url, {"body": "   "})
    assert not CustomerResponse.objects.exists()


def test_details_as_the_customers_page_writes_them(dupont):
    from relance.agenda.tables import response_details

    payment = respond(dupont, ResponseKind.PAYMENT, details={"amount": "5", "currency": "GBP"})
    assert ("Amount", "£5.00") in response_details(payment)
    paid = respond(dupont, ResponseKind.PAYMENT_ANNOUNCED, details={"paid_on": "2026-12-01"})
    assert response_details(paid)[0][0] == "Paid on"
    dispute = respond(dupont, ResponseKind.DISPUTE, details={"reason": "not_received"})
    assert ("Reason", "Not received") in response_details(dispute)
    callback = respond(
        dupont, ResponseKind.CALLBACK, details={"day": "2026-12-08", "slot": "morning"}
    )
    assert ("Time slot", "Morning (9:00–12:00)") in response_details(callback)
    assert response_details(callback)[0][0] == "Call back on"
