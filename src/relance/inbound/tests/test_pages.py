"""The pages of received emails (M2.4): the Unassigned list and its tab, a received email's
page and its downloads, "Attach to a customer" and "Ignore" through the views, the response
page's email block, contacts whose address bounced, and the admin."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from relance.accounts.tests.factories import UserFactory
from relance.agenda.choices import ResponseChannel, ResponseKind
from relance.agenda.models import CustomerResponse
from relance.customers.models import Contact
from relance.customers.tests.factories import ContactFactory, CustomerFactory
from relance.delivery.models import Connector
from relance.inbound.choices import InboundKind, InboundSource, InboundStatus, MatchedBy
from relance.inbound.models import InboundAttachment, InboundEmail

pytestmark = pytest.mark.django_db
SCRIPT = "<script>alert(1)</script>"
LIST_URL = reverse("inbound:unassigned")
RAW = b"From: Claire <claire@dupont.fr>\r\nSubject: Paiement\r\n\r\nPaye hier.\r\n"


@pytest.fixture
def rita(acme):
    """Read-only, Acme France."""
    user = UserFactory(username="rita", role="read_only")
    user.entities.set([acme])
    return user


@pytest.fixture
def dupont(acme, bob):
    customer = CustomerFactory(entity=acme, name="Dupont SA", external_id="C-DUP", collector=bob)
    ContactFactory(customer=customer, first_name="Claire", last_name="Martin", email="c@dupont.fr")
    return customer


@pytest.fixture
def durand(acme):
    return CustomerFactory(entity=acme, name="Durand SARL", external_id="C-DUR")


_counter = iter(range(1, 1_000_000))


def received(entity, **fields) -> InboundEmail:
    """A received email as the capture stores it (raw file included)."""
    n = next(_counter)
    fields.setdefault("received_at", timezone.now() - timedelta(minutes=n))
    fields.setdefault("kind", InboundKind.REPLY)
    fields.setdefault("sender", "someone@unknown.example")
    fields.setdefault("subject", f"Message {n}")
    fields.setdefault("text", "Bonjour,\nnous avons payé hier.")
    raw = fields.pop("raw", RAW)
    email = InboundEmail(
        entity=entity,
        source=InboundSource.IMAP,
        message_id=f"<m{n}@example>",
        content_hash=f"{n:064x}",
        size=len(raw),
        **fields,
    )
    email.raw.save(f"m{n}.eml", ContentFile(raw), save=False)
    email.save()
    return email


def attach(email, name="remittance.pdf", content=b"%PDF-1.4 remittance") -> InboundAttachment:
    attachment = InboundAttachment(
        email=email, filename=name, content_type="application/pdf", size=len(content)
    )
    attachment.file.save(name, ContentFile(content), save=False)
    attachment.save()
    return attachment


def detail_url(email) -> str:
    return reverse("inbound:email-detail", args=[email.pk])


# The Unassigned list ---------------------------------------------------------------------


def test_the_list_shows_the_unassigned_emails_of_the_users_entities(client, bob, acme, globex):
    mine = received(acme, sender="x@nowhere.example", subject=f"Hello {SCRIPT}")
    received(globex, subject="Globex's")
    received(acme, subject="Set aside", status=InboundStatus.IGNORED)
    received(acme, subject="Attached", status=InboundStatus.ASSIGNED)
    client.force_login(bob)
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert [row.record for row in response.context["table"].page.object_list] == [mine]
    page = response.content.decode()
    assert SCRIPT not in page and "&lt;script&gt;" in page
    assert "nous avons payé hier." not in page  # the first line only
    assert "Bonjour," in page
    assert f'action="{reverse("inbound:email-assign", args=[mine.pk])}"' in page


def test_filters_by_entity_kind_date_and_search(client, alice, acme, globex):
    old = received(acme, sender="old@a.example", received_at=timezone.now() - timedelta(days=40))
    auto = received(acme, kind=InboundKind.AUTO_REPLY, subject="Absence")
    uk = received(globex, sender="ap@globex-customer.example")
    client.force_login(alice)

    def listed(**params):
        response = client.get(LIST_URL, params)
        assert response.status_code == 200
        return {row.record for row in response.context["table"].page.object_list}

    assert listed() == {old, auto, uk}
    assert listed(entity=globex.pk) == {uk}
    assert listed(kind="auto_reply") == {auto}
    since = (timezone.localdate() - timedelta(days=7)).isoformat()
    assert listed(received_at_after=since) == {auto, uk}
    assert listed(q="GLOBEX-customer") == {uk}
    assert listed(q="absence") == {auto}
    assert client.get(LIST_URL, {"kind": "spam"}).status_code == 400


def test_the_list_costs_the_same_queries_for_many_rows(
    client, bob, acme, django_assert_max_num_queries
):
    client.force_login(bob)
    received(acme)
    with django_assert_max_num_queries(12) as few:
        client.get(LIST_URL)
    for _ in range(30):
        received(acme)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST_URL)
    assert len(response.context["table"].page.object_list) == 31


def test_the_export_has_no_form_column(client, alice, acme):
    received(acme, sender="x@nowhere.example", subject="Paiement", text="\n\nPayé.\nMerci")
    client.force_login(alice)
    response = client.get(LIST_URL, {"export": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["Received", "Entity", "Kind", "From", "Subject", "Reply"]
    assert rows[1][1:] == ["Acme France", "Reply", "x@nowhere.example", "Paiement", "Payé."]


def test_the_agenda_tab_counts_them_for_users_who_edit(client, bob, rita, acme, globex):
    received(acme)
    received(acme)
    received(globex)
    received(acme, status=InboundStatus.ASSIGNED)
    client.force_login(bob)
    page = client.get(reverse("agenda:manual")).content.decode()
    assert "Unassigned emails" in page
    badge = 'class="badge text-bg-warning counter-unassigned" title="To attach to a customer">2<'
    assert badge in page
    client.force_login(rita)
    page = client.get(reverse("agenda:manual")).content.decode()
    assert "Unassigned emails" not in page
    # A read-only user may still read the list, without the forms.
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert "inbound:email-assign" not in page and "assign-form" not in response.content.decode()


# A received email's page -----------------------------------------------------------------


def test_the_page_shows_headers_match_text_and_files(client, bob, acme, dupont):
    response_row = CustomerResponse.objects.create(
        entity=acme,
        customer=dupont,
        kind=ResponseKind.REPLY,
        channel=ResponseChannel.EMAIL,
        body="Payé hier.",
        received_at=timezone.now(),
    )
    email = received(
        acme,
        sender="c@dupont.fr",
        sender_name="Claire Martin",
        recipients="relances+abc@acme.example",
        subject="Re: Facture F-0042",
        text="Payé hier.",
        full_text=f"Payé hier.\n\n> Le 3 déc., Acme a écrit :\n> {SCRIPT}",
        status=InboundStatus.ASSIGNED,
        matched_by=MatchedBy.IN_REPLY_TO,
        customer=dupont,
        response=response_row,
        problems=["an attachment of 30 MB was left out (limit 15 MB)"],
    )
    attachment = attach(email)
    client.force_login(bob)
    page = client.get(detail_url(email)).content.decode()
    assert "Claire Martin &lt;c@dupont.fr&gt;" in page
    assert email.message_id.replace("<", "&lt;").replace(">", "&gt;") in page
    assert "relances+abc@acme.example" in page
    assert "Found by the message it answers." in page
    assert f'href="{dupont.get_absolute_url()}"' in page
    assert f'href="{reverse("agenda:response-detail", args=[response_row.pk])}"' in page
    assert '<details class="mt-3 email-full-text">' in page
    assert SCRIPT not in page
    assert f'href="{reverse("inbound:attachment", args=[attachment.pk])}" download' in page
    assert f'href="{reverse("inbound:email-raw", args=[email.pk])}" download' in page
    assert "an attachment of 30 MB was left out (limit 15 MB)" in page
    assert "assign-form" not in page  # attached already


def test_a_refused_email_and_a_bounce_say_why(client, alice, acme):
    refused = received(
        acme, kind=InboundKind.REFUSED, refusal="larger than 25 MB", text="", subject=""
    )
    bounce = received(
        acme,
        kind=InboundKind.BOUNCE,
        sender="mailer-daemon@mx.example",
        details={
            "bounce": {
                "permanent": True,
                "original_message_id": "<sent-1@acme.example>",
                "recipients": [
                    {"address": "old@dupont.fr", "status": "5.1.1", "diagnostic": "User unknown"}
                ],
            }
        },
    )
    client.force_login(alice)
    page = client.get(detail_url(refused)).content.decode()
    assert "Refused:</strong> larger than 25 MB" in page
    assert "(no subject)" in page
    page = client.get(detail_url(bounce)).content.decode()
    assert "Bounced recipients" in page
    row = (
        '<td class="text-break ps-3">old@dupont.fr</td><td class="font-monospace">5.1.1</td>'
        '<td class="text-break">User unknown</td>'
    )
    assert row in page
    assert "permanent: the address is invalid" in page
    assert "&lt;sent-1@acme.example&gt;" in page


def test_another_entitys_email_and_files_answer_404(client, bob, globex):
    email = received(globex)
    attachment = attach(email)
    client.force_login(bob)
    for url in (
        detail_url(email),
        reverse("inbound:email-raw", args=[email.pk]),
        reverse("inbound:attachment", args=[attachment.pk]),
        reverse("inbound:email-customers", args=[email.pk]),
    ):
        assert client.get(url).status_code == 404, url
    for name in ("email-assign", "email-ignore"):
        assert client.post(reverse(f"inbound:{name}", args=[email.pk])).status_code == 404
    assert InboundEmail.objects.get(pk=email.pk).status == InboundStatus.UNASSIGNED


def test_downloads_are_attachments_never_shown_inline(client, rita, acme):
    email = received(acme, raw=RAW)
    attachment = attach(email, name="avis de virement.pdf", content=b"%PDF-1.4 <html>")
    client.force_login(rita)  # reading is enough
    for url, content, name in (
        (reverse("inbound:email-raw", args=[email.pk]), RAW, f"email-{email.pk}.eml"),
        (
            reverse("inbound:attachment", args=[attachment.pk]),
            b"%PDF-1.4 <html>",
            "avis de virement.pdf",
        ),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == content
        assert response["Content-Type"] == "application/octet-stream"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment;")
        assert name.split(".")[0].split(" ")[0] in response["Content-Disposition"]


def test_a_missing_file_answers_404(client, alice, acme):
    email = received(acme)
    email.raw.storage.delete(email.raw.name)
    client.force_login(alice)
    assert client.get(reverse("inbound:email-raw", args=[email.pk])).status_code == 404


# Attach to a customer, ignore ------------------------------------------------------------


def test_the_chooser_searches_the_customers_of_the_emails_entity(
    client, bob, acme, globex, dupont, durand
):
    CustomerFactory(entity=globex, name="Dupont Ltd")
    email = received(acme)
    client.force_login(bob)
    url = reverse("inbound:email-customers", args=[email.pk])
    page = client.get(url, {"q": "dup"}, HTTP_HX_REQUEST="true").content.decode()
    assert f'value="{dupont.pk}"' in page and "Dupont SA" in page
    assert "Dupont Ltd" not in page and "Durand" not in page
    assert "checked" in page  # a single match is chosen
    page = client.get(url, {"q": "C-DU"}).content.decode()
    assert "Dupont SA" in page and "Durand SARL" in page and "checked" not in page
    assert "No customer found." in client.get(url, {"q": "zzz"}).content.decode()


def test_the_page_suggests_customers_with_a_contact_at_the_senders_domain(
    client, bob, acme, dupont, durand
):
    email = received(acme, sender="compta@dupont.fr")
    webmail = received(acme, sender="someone@gmail.com")
    ContactFactory(customer=durand, email="x@gmail.com")
    client.force_login(bob)
    page = client.get(detail_url(email)).content.decode()
    assert "Customers with a contact at the sender's domain" in page
    assert f'value="{dupont.pk}"' in page and f'value="{durand.pk}"' not in page
    page = client.get(detail_url(webmail)).content.decode()
    assert f'value="{durand.pk}"' not in page


def test_attach_through_the_list_makes_a_response_and_a_contact(client, bob, acme, dupont):
    email = received(acme, sender="paul@dupont.fr", sender_name="Paul Durand", text="Payé.")
    client.force_login(bob)
    back = f"{LIST_URL}?kind=reply"
    response = client.post(
        reverse("inbound:email-assign", args=[email.pk]),
        {"customer": dupont.pk, "add_contact": "on", "next": back},
        follow=True,
    )
    assert response.redirect_chain == [(back, 302)]
    assert "The email from paul@dupont.fr is attached to Dupont SA." in response.content.decode()
    email.refresh_from_db()
    assert (email.status, email.customer, email.matched_by) == ("assigned", dupont, "user")
    assert email.response is not None
    assert (email.response.customer, email.response.channel) == (dupont, "email")
    contact = Contact.objects.get(customer=dupont, email="paul@dupont.fr")
    assert contact.is_collection
    assert email not in client.get(LIST_URL).context["table"].data.data


def test_attach_refusals_name_the_field(client, bob, acme, globex, dupont):
    email = received(acme, sender="not an address")
    other = CustomerFactory(entity=globex, name="Globex customer")
    client.force_login(bob)
    url = reverse("inbound:email-assign", args=[email.pk])
    page = client.post(url, {}, follow=True).content.decode()
    assert "Customer: Choose the customer who wrote (search by name or number)." in page
    page = client.post(url, {"customer": other.pk}, follow=True).content.decode()
    assert "Customer: Choose a customer of the email&#x27;s entity." in page
    page = client.post(url, {"customer": dupont.pk, "add_contact": "on"}, follow=True)
    assert "Add the sender as a contact: The sender&#x27;s address" in page.content.decode()
    email.refresh_from_db()
    assert (email.status, email.customer) == ("unassigned", None)
    assert client.get(url).status_code == 405
    # An unsafe "next" goes back to the list.
    for unsafe in ("https://evil.example/", "//evil.example/", "abc", "/\\evil.example"):
        assert client.post(url, {"next": unsafe})["Location"] == LIST_URL, unsafe


def test_a_read_only_user_may_not_attach_ignore_or_revalidate(client, rita, acme, dupont):
    email = received(acme)
    contact = dupont.contacts.get()
    client.force_login(rita)
    assert (
        client.post(
            reverse("inbound:email-assign", args=[email.pk]), {"customer": dupont.pk}
        ).status_code
        == 403
    )
    assert client.post(reverse("inbound:email-ignore", args=[email.pk])).status_code == 403
    assert client.post(reverse("inbound:contact-revalidate", args=[contact.pk])).status_code == 403
    assert InboundEmail.objects.get(pk=email.pk).status == InboundStatus.UNASSIGNED
    assert "assign-form" not in client.get(detail_url(email)).content.decode()


def test_ignore_takes_it_off_the_list(client, bob, acme):
    email = received(acme, subject="Newsletter")
    client.force_login(bob)
    response = client.post(reverse("inbound:email-ignore", args=[email.pk]), follow=True)
    assert response.redirect_chain == [(LIST_URL, 302)]
    assert "Email ignored" in response.content.decode()
    assert InboundEmail.objects.get(pk=email.pk).status == InboundStatus.IGNORED
    assert "Newsletter" not in response.content.decode()
    page = client.get(detail_url(email)).content.decode()
    assert "Ignored" in page and "assign-form" in page  # still attachable
    assert "ignore-form" not in page


# The response page -----------------------------------------------------------------------


def test_a_response_that_came_by_email_lists_its_files(client, bob, acme, dupont):
    reply = CustomerResponse.objects.create(
        entity=acme,
        customer=dupont,
        kind=ResponseKind.REPLY,
        channel=ResponseChannel.EMAIL,
        body="Voir l'avis ci-joint.",
        received_at=timezone.now(),
    )
    email = received(acme, customer=dupont, status=InboundStatus.ASSIGNED, response=reply)
    attachment = attach(email, name="avis.pdf")
    portal = CustomerResponse.objects.create(
        entity=acme,
        customer=dupont,
        kind=ResponseKind.REPLY,
        channel=ResponseChannel.PORTAL,
        body="Par le portail",
        received_at=timezone.now(),
    )
    client.force_login(bob)
    page = client.get(reverse("agenda:response-detail", args=[reply.pk])).content.decode()
    assert (
        f'href="{reverse("inbound:attachment", args=[attachment.pk])}" download>avis.pdf</a>'
        in page
    )
    assert f'href="{detail_url(email)}"' in page
    page = client.get(reverse("agenda:response-detail", args=[portal.pk])).content.decode()
    assert "response-email" not in page


# Contacts whose address bounced ----------------------------------------------------------


def _bounced(contact):
    contact.email_invalid_reason = "5.1.1 User unknown"
    contact.email_invalid_at = timezone.now()
    contact.save()
    return contact


def test_an_invalid_address_shows_on_the_customer_page_and_the_contact_form(client, bob, dupont):
    contact = _bounced(dupont.contacts.get())
    client.force_login(bob)
    page = client.get(dupont.get_absolute_url()).content.decode()
    assert "invalid address" in page
    assert f"Bounced on {date_format(timezone.localdate())}: 5.1.1 User unknown" in page
    assert f'action="{reverse("inbound:contact-revalidate", args=[contact.pk])}"' in page
    form = client.get(reverse("customers:contact-edit", args=[dupont.pk, contact.pk]))
    assert "contact-email-invalid" in form.content.decode()
    assert "Mark the address valid again" in form.content.decode()


def test_mark_valid_again(client, bob, dupont):
    contact = _bounced(dupont.contacts.get())
    client.force_login(bob)
    response = client.post(
        reverse("inbound:contact-revalidate", args=[contact.pk]),
        {"next": dupont.get_absolute_url()},
        follow=True,
    )
    assert response.redirect_chain == [(dupont.get_absolute_url(), 302)]
    assert "c@dupont.fr is valid again" in response.content.decode()
    contact.refresh_from_db()
    assert (contact.email_invalid_reason, contact.email_invalid_at) == ("", None)
    assert "invalid address" not in response.content.decode()


def test_mark_valid_again_for_another_entitys_contact_answers_404(client, bob, globex):
    contact = _bounced(ContactFactory(customer=CustomerFactory(entity=globex)))
    client.force_login(bob)
    assert client.post(reverse("inbound:contact-revalidate", args=[contact.pk])).status_code == 404


# Admin -----------------------------------------------------------------------------------


def test_admin_lists_received_emails_read_only_and_explains_mailbox_settings(client, acme):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    email = received(acme)
    attach(email)
    client.force_login(admin)
    assert client.get(reverse("admin:inbound_inboundemail_changelist")).status_code == 200
    change = client.get(reverse("admin:inbound_inboundemail_change", args=[email.pk]))
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
    assert client.get(reverse("admin:inbound_inboundemail_add")).status_code == 403
    page = client.get(reverse("admin:delivery_connector_add")).content.decode()
    assert "&quot;processed_folder&quot;" in page or '"processed_folder"' in page
    connector = Connector.objects.create(entity=acme, channel="mailbox", kind="imap", settings={})
    page = client.get(
        reverse("admin:delivery_connector_change", args=[connector.pk])
    ).content.decode()
    assert "kind IMAP" in page and "posts each received message" not in page
    entity_page = client.get(reverse("admin:core_entity_change", args=[acme.pk])).content.decode()
    for field in ("reply_plus_addressing", "pause_on_reply", "reply_pause_max_days"):
        assert f'name="{field}"' in entity_page


# The customer's timeline -----------------------------------------------------------------


def test_the_timeline_lists_the_emails_the_customer_sent(client, bob, acme, dupont):
    CustomerResponse.objects.create(
        entity=acme,
        customer=dupont,
        kind=ResponseKind.AUTO_REPLY,
        channel=ResponseChannel.EMAIL,
        author="Claire Martin <c@dupont.fr>",
        body=f"Absente jusqu'au 12. {SCRIPT}",
        received_at=timezone.now(),
        handled_at=timezone.now(),
    )
    CustomerResponse.objects.create(
        entity=acme,
        customer=dupont,
        kind=ResponseKind.REPLY,
        channel=ResponseChannel.PORTAL,
        body="Par le portail",
        received_at=timezone.now(),
    )
    client.force_login(bob)
    url = reverse("agenda:customer-timeline", args=[dupont.pk])
    page = client.get(url).content.decode()
    assert page.count("Email received") == 1
    assert "Automatic reply</a> · Claire Martin &lt;c@dupont.fr&gt;" in page
    assert "Absente jusqu&#x27;au 12." in page and SCRIPT not in page
    assert "Par le portail" not in page
