"""The whole way, as the customer's page uses this app: the page offers the card, its form
opens a session at (fake) Stripe, Stripe's webhook completes it, the page asks no more."""

import datetime
import json
from decimal import Decimal
from urllib.parse import urlsplit

import pytest

from relance.customers.tests.factories import CustomerFactory
from relance.ledger.models import Item
from relance.ledger.tests.factories import ItemFactory
from relance.payments.choices import PaymentStatus
from relance.payments.models import Payment
from relance.payments.tests.conftest import WEBHOOK_SECRET
from relance.payments.tests.fake_stripe import sign
from relance.portal.services import portal_link_issue


@pytest.fixture
def dupont(acme):
    acme.iban, acme.bic = "FR7630006000011234567890189", "AGRIFRPP"
    acme.save()
    customer = CustomerFactory(entity=acme, name="Dupont SA", language="en")  # page in English
    issue = acme.today() - datetime.timedelta(days=60)
    ItemFactory(customer=customer, number="F-001", issue_date=issue, amount=Decimal("1200.00"))
    ItemFactory(customer=customer, number="F-002", issue_date=issue, amount=Decimal("300.50"))
    return customer


def test_pay_by_card_from_the_customer_page(fake_stripe, client, dupont):
    page = urlsplit(portal_link_issue(customer=dupont)).path
    html = client.get(page).content.decode()
    assert "Pay by card" in html
    assert 'class="epc-qr"' in html

    ids = list(Item.objects.filter(customer=dupont).values_list("pk", flat=True))
    response = client.post(page.rstrip("/") + "/pay/", {"items": ids})

    [session] = fake_stripe.sessions.values()
    assert response.status_code == 302
    assert response["Location"] == session["url"]
    assert session["amount_total"] == 150050

    payload = json.dumps(
        {
            "type": "checkout.session.completed",
            "data": {
                "object": {
                    "id": session["id"],
                    "payment_status": "paid",
                    "amount_total": session["amount_total"],
                    "currency": session["currency"],
                }
            },
        }
    )
    answer = client.post(
        "/payments/stripe/webhook/",
        data=payload,
        content_type="application/json",
        headers={"Stripe-Signature": sign(payload, WEBHOOK_SECRET)},
    )

    assert answer.status_code == 200
    assert Payment.objects.get().status == PaymentStatus.COMPLETED
    assert not Item.objects.filter(customer=dupont, payment_pending_since__isnull=True).exists()
    assert "Pay by card" not in client.get(page).content.decode()


def test_a_disputed_invoice_is_never_asked_for_by_transfer_or_card(fake_stripe, client, dupont):
    Item.objects.filter(customer=dupont, number="F-001").update(disputed=True)
    page = urlsplit(portal_link_issue(customer=dupont)).path

    html = client.get(page).content.decode()
    assert ">300.50 EUR<" in html and "1500.50 EUR" not in html  # the transfer block

    disputed = Item.objects.get(number="F-001").pk
    assert client.post(page.rstrip("/") + "/pay/", {"items": [disputed]}).status_code == 404
    assert fake_stripe.sessions == {}
