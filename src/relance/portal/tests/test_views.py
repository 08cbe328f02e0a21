"""The public page: what a link shows, what it refuses, and the customer's answers."""

import subprocess
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from relance.agenda.models import CustomerResponse
from relance.portal.choices import DisputeReason
from relance.portal.models import PortalLink
from relance.portal.services import portal_links_revoke
from relance.portal.tests.conftest import page_url

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def _headers_ok(response):
    assert response["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response["X-Robots-Tag"]


def test_the_page_shows_the_open_items_with_totals_per_currency(
    client, customer, invoices, credit_and_dollars, token
):
    response = client.get(page_url(token))
    assert response.status_code == 200
    _headers_ok(response)
    html = response.content.decode()
    assert 'lang="fr"' in html
    for number in ("F-001", "F-002", "AV-9", "US-7"):
        assert number in html
    assert "1\u202f400,50\u00a0€" in html  # 1200 + 300.50 - 100, never added to dollars
    assert "50,00\u00a0$US" in html
    link = PortalLink.objects.get()
    assert link.open_count == 1 and link.first_opened_at is not None
    english = client.get(page_url(token) + "?lang=en").content.decode()
    assert 'lang="en"' in english and "Your open items" in english


@pytest.mark.parametrize("state", ["tampered", "expired", "revoked"])
def test_a_bad_link_shows_no_data(client, customer, invoices, token, state):
    if state == "tampered":
        token = token[:-2] + ("xx" if not token.endswith("xx") else "yy")
    elif state == "expired":
        PortalLink.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    else:
        portal_links_revoke(customer=customer)
    for suffix in ("", "statement.pdf", f"items/{invoices[0].pk}.pdf"):
        response = client.get(page_url(token, suffix))
        assert response.status_code in (404, 410)
        _headers_ok(response)
        body = response.content.decode(errors="replace")
        assert "F-001" not in body and "Dupont" not in body
    response = client.post(
        page_url(token, "answer/comment/"), {"body": "hello", "items": [invoices[0].pk]}
    )
    assert response.status_code == 404
    assert not CustomerResponse.objects.exists()


def test_an_expired_link_offers_a_fresh_one_by_email(
    client, customer, invoices, token, django_capture_on_commit_callbacks
):
    PortalLink.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get(page_url(token) + "?lang=en")
    assert response.status_code == 410 and "new link" in response.content.decode().lower()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page_url(token, "new-link/"), {"lang": "en"})
    assert response.status_code == 200
    [message] = mail.outbox
    assert message.to == ["compta@dupont.example"]
    fresh = message.body.split("/p/", 1)[1].split("/", 1)[0]
    assert client.get(page_url(fresh)).status_code == 200


def test_the_statement_is_a_pdf_listing_the_items(client, invoices, token, tmp_path):
    response = client.get(page_url(token, "statement.pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    _headers_ok(response)
    path = tmp_path / "statement.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "F-001" in text and "F-002" in text


def test_the_invoice_pdf_of_an_own_item_only(client, invoices, other_item, token):
    invoices[0].pdf.save("F-001.pdf", ContentFile(PDF))
    response = client.get(page_url(token, f"items/{invoices[0].pk}.pdf"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    _headers_ok(response)
    other_item.pdf.save("G-1.pdf", ContentFile(PDF))
    assert client.get(page_url(token, f"items/{other_item.pk}.pdf")).status_code == 404
    assert client.get(page_url(token, f"items/{invoices[1].pk}.pdf")).status_code == 404


ANSWERS = {
    "paid": {"paid_on": "{today}", "amount": "100", "reference": "VIR-1"},
    "promise": {"promise_date": "{soon}"},
    "dispute": {"reason": "quality", "text": "Broken"},
    "comment": {"body": "About this invoice"},
}


def _fill(data: dict, customer) -> dict:
    today = customer.entity.today()
    soon = today + timedelta(days=5)
    return {k: v.format(today=today.isoformat(), soon=soon.isoformat()) for k, v in data.items()}


@pytest.mark.parametrize("kind", sorted(ANSWERS))
def test_another_customers_item_is_refused(client, customer, other_item, token, kind):
    data = _fill(ANSWERS[kind], customer) | {"items": [other_item.pk]}
    response = client.post(page_url(token, f"answer/{kind}/"), data)
    assert response.status_code == 400
    _headers_ok(response)
    assert not CustomerResponse.objects.exists()
    other_item.refresh_from_db()
    assert not other_item.disputed and other_item.promise_date is None


def test_another_customers_item_cannot_be_paid_by_card(client, other_item, token):
    response = client.post(page_url(token, "pay/"), {"items": [other_item.pk]})
    assert response.status_code == 404


def _answer(client, token, kind, data, **files):
    response = client.post(page_url(token, f"answer/{kind}/"), {**data, **files})
    assert response.status_code == 302, response.content.decode()[:2000]
    return CustomerResponse.objects.get(kind=_KIND[kind])


_KIND = {
    "paid": "payment_announced",
    "promise": "promise",
    "dispute": "dispute",
    "comment": "comment",
    "callback": "callback",
    "contact": "contact_change",
}


def test_i_have_paid(client, customer, invoices, token):
    today = customer.entity.today()
    proof = SimpleUploadedFile("virement.pdf", PDF, content_type="application/pdf")
    data = _fill(ANSWERS["paid"], customer) | {"items": [i.pk for i in invoices]}
    response = _answer(client, token, "paid", data, proof=proof)
    assert response.channel == "portal"
    assert response.details["reference"] == "VIR-1" and Decimal(response.details["amount"]) == 100
    assert sorted(response.items.values_list("number", flat=True)) == ["F-001", "F-002"]
    assert response.attachment.name.startswith("responses/") and response.attachment.name.endswith(
        ".pdf"
    )
    for item in invoices:
        item.refresh_from_db()
        assert item.payment_announced_on == today and item.promise_date == today


def test_i_will_pay_on_a_date_within_the_horizon(client, customer, invoices, token):
    far = customer.entity.today() + timedelta(days=customer.entity.promise_max_days + 1)
    refused = client.post(
        page_url(token, "answer/promise/"),
        {"items": [invoices[0].pk], "promise_date": far.isoformat()},
    )
    assert refused.status_code == 400
    data = _fill(ANSWERS["promise"], customer) | {"items": [invoices[0].pk]}
    _answer(client, token, "promise", data)
    invoices[0].refresh_from_db()
    assert invoices[0].promise_date == customer.entity.today() + timedelta(days=5)


def test_i_dispute(client, customer, invoices, token):
    data = _fill(ANSWERS["dispute"], customer) | {"items": [invoices[1].pk]}
    response = _answer(client, token, "dispute", data)
    assert response.details == {"reason": "quality"} and response.body == "Broken"
    item = invoices[1]
    item.refresh_from_db()
    assert item.disputed and item.dispute_date == customer.entity.today()
    with translation.override(customer.entity.language):  # read by the entity's users
        assert item.dispute_reason == f"{DisputeReason.QUALITY.label}: Broken"


def test_a_comment_a_callback_and_new_contact_details(client, customer, invoices, token):
    _answer(client, token, "comment", {"body": "<script>alert(1)</script>"})
    day = customer.entity.today().isoformat()
    callback = _answer(
        client, token, "callback", {"day": day, "slot": "morning", "phone": "+33 1 23 45 67 89"}
    )
    assert callback.details["slot"] == "morning"
    contact = _answer(client, token, "contact", {"email": "new@dupont.example", "name": "Léa"})
    assert contact.details["contact"]["email"] == "new@dupont.example"
    assert not customer.contacts.filter(email="new@dupont.example").exists()  # proposed only


def test_a_renamed_executable_is_refused(client, customer, invoices, token):
    fake = SimpleUploadedFile("proof.pdf", EXE, content_type="application/pdf")
    data = _fill(ANSWERS["dispute"], customer) | {"items": [invoices[0].pk]}
    response = client.post(page_url(token, "answer/dispute/?lang=en"), {**data, "attachment": fake})
    assert response.status_code == 400
    assert "Only PDF, PNG and JPEG" in response.content.decode()
    assert not CustomerResponse.objects.exists()


def test_what_the_customer_typed_is_escaped(client, customer, invoices, token):
    response = client.post(
        page_url(token, "answer/comment/"), {"body": "x" * 5000, "items": [invoices[0].pk]}
    )
    assert response.status_code == 400
    response = client.post(
        page_url(token, "answer/contact/"), {"email": "<b>nope", "name": "<script>x</script>"}
    )
    html = response.content.decode()
    assert "<script>x</script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html


def test_the_21st_post_is_refused(client, customer, invoices, token):
    for _ in range(20):
        response = client.post(page_url(token, "answer/comment/"), {"body": "again"})
        assert response.status_code == 302
    response = client.post(page_url(token, "answer/comment/"), {"body": "again"})
    assert response.status_code == 429
    _headers_ok(response)
    assert CustomerResponse.objects.count() == 20


def test_forms_need_the_csrf_token(customer, invoices, token):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(page_url(token, "answer/comment/"), {"body": "hello"})
    assert response.status_code == 403


def test_a_same_origin_post_without_referrer_passes_the_csrf_check(customer, invoices, token):
    """`Referrer-Policy: no-referrer` makes browsers post the page's forms with `Origin:
    null`: accepted with the token when the browser says same-origin, refused otherwise."""
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.get(page_url(token))
    csrf = strict.cookies["csrftoken"].value
    url = page_url(token, "answer/comment/")
    data = {"body": "hello", "csrfmiddlewaretoken": csrf}
    forged = strict.post(url, data, HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE="cross-site")
    assert forged.status_code == 403
    _headers_ok(forged)
    no_token = strict.post(
        url, {"body": "x"}, HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE="same-origin"
    )
    assert no_token.status_code == 403
    ok = strict.post(url, data, HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE="same-origin")
    assert ok.status_code == 302
    assert CustomerResponse.objects.get().body == "hello"


def test_the_limit_is_per_address_too(client, customer, invoices, token):
    from relance.portal.services import portal_link_issue

    other = portal_link_issue(customer=customer).rstrip("/").rsplit("/", 1)[1]
    for n in range(20):
        response = client.post(page_url((token, other)[n % 2], "answer/comment/"), {"body": "x"})
        assert response.status_code == 302
    assert client.post(page_url(other, "answer/comment/"), {"body": "x"}).status_code == 429
    elsewhere = client.post(
        page_url(other, "answer/comment/"), {"body": "x"}, REMOTE_ADDR="198.51.100.7"
    )
    assert elsewhere.status_code == 302  # another address, a link below its own limit


def test_pay_now_shows_the_transfer_details(client, customer, invoices, token):
    entity = customer.entity
    entity.iban, entity.bic = "FR7630006000011234567890189", "AGRIFRPP"
    entity.save()
    html = client.get(page_url(token)).content.decode()
    assert "FR7630006000011234567890189" in html and "AGRIFRPP" in html
    assert "Pay by card" not in html  # no card provider configured


def test_the_page_settings_are_in_the_entity_admin(admin_client, acme):
    html = admin_client.get(f"/admin/core/entity/{acme.pk}/change/").content.decode()
    for name in ("brand_color", "legal_footer", "portal_link_days", "promise_max_days"):
        assert f'name="{name}"' in html


def test_an_upload_over_10_mb_is_refused(client, customer, invoices, token):
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024), "application/pdf")
    data = _fill(ANSWERS["paid"], customer) | {"items": [invoices[0].pk], "proof": big}
    response = client.post(page_url(token, "answer/paid/?lang=en"), data)
    assert response.status_code == 400 and "larger than 10 MB" in response.content.decode()
    assert not CustomerResponse.objects.exists()


def test_an_item_paid_online_reads_as_payment_in_progress(client, invoices, token):
    invoices[0].payment_pending_since = timezone.now()
    invoices[0].save()
    assert "payment in progress" in client.get(page_url(token) + "?lang=en").content.decode()


def test_the_page_reads_no_query_per_item(client, customer, invoices, token):
    """The query count does not grow with the items (a budget, as for the users' lists)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from relance.ledger.tests.factories import ItemFactory

    client.get(page_url(token))  # the visit's first view also writes its timeline event
    with CaptureQueriesContext(connection) as few:
        assert client.get(page_url(token)).status_code == 200
    for n in range(20):
        ItemFactory(customer=customer, number=f"M-{n:03d}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(page_url(token)).status_code == 200
    assert len(many) == len(few) <= 25


def test_an_answer_sent_back_keeps_the_ticked_items_and_writes_boxes_as_the_widget(
    client, customer, invoices, token
):
    """The item boxes are written in one pass (item_checkboxes), with the widget's names,
    ids and labels; a refused answer shows the customer's ticks again."""
    from django.template import Context, Template

    from relance.portal.forms import PaidForm

    second = invoices[1]
    response = client.post(page_url(token, "answer/paid/"), {"items": [second.pk]})

    assert response.status_code == 400  # no payment date
    html = response.content.decode()
    assert f'value="{second.pk}" class="form-check-input" id="id_paid_items_1" checked>' in html
    assert f'value="{invoices[0].pk}" class="form-check-input" id="id_paid_items_0">' in html
    widget = PaidForm(customer=customer, auto_id="id_paid_%s")["items"]
    rendered = Template("{% for box in f %}{{ box.tag }}{% endfor %}").render(
        Context({"f": widget})
    )
    assert f'name="items" value="{second.pk}" class="form-check-input" id="id_paid_items_1"' in (
        rendered
    )
