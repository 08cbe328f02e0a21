import json
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone

from relance.agenda.choices import ResponseChannel, ResponseKind
from relance.agenda.models import CustomerResponse
from relance.customers.tests.factories import CustomerFactory
from relance.ledger.models import Item
from relance.ledger.tests.factories import ItemFactory
from relance.payments import gateway, services
from relance.payments.choices import PaymentStatus
from relance.payments.models import Payment
from relance.payments.tests.conftest import WEBHOOK_SECRET
from relance.payments.tests.fake_stripe import sign

SUCCESS_URL = "https://relance.test/p/ok"
CANCEL_URL = "https://relance.test/p/cancel"


@pytest.fixture
def dupont(acme):
    return CustomerFactory(entity=acme, external_id="C042", name="Dupont SA")


@pytest.fixture
def invoices(dupont):
    return [
        ItemFactory(customer=dupont, number="F1", amount=Decimal("1200.00")),
        ItemFactory(customer=dupont, number="F2", amount=Decimal("34.50")),
    ]


def start(customer, items) -> str:
    return services.checkout_start(
        customer=customer, items=items, success_url=SUCCESS_URL, cancel_url=CANCEL_URL
    )


def completed_event(session_id: str, amount_total: int = 123450, currency: str = "eur") -> str:
    return json.dumps(
        {
            "id": "evt_test_1",
            "object": "event",
            "type": "checkout.session.completed",
            "data": {
                "object": {
                    "id": session_id,
                    "object": "checkout.session",
                    "status": "complete",
                    "payment_status": "paid",
                    "amount_total": amount_total,
                    "currency": currency,
                }
            },
        }
    )


def post_event(client, payload: str, signature: str | None = None):
    headers = {} if signature is None else {"Stripe-Signature": signature}
    return client.post(
        reverse("payments:stripe-webhook"),
        data=payload,
        content_type="application/json",
        headers=headers,
    )


def test_checkout_is_unavailable_without_a_key(settings):
    settings.STRIPE_SECRET_KEY = ""

    assert services.checkout_available() is False


def test_checkout_without_a_key_names_the_variable(settings, dupont, invoices):
    settings.STRIPE_SECRET_KEY = ""

    with pytest.raises(ImproperlyConfigured, match="STRIPE_SECRET_KEY"):
        start(dupont, invoices)


def test_checkout_creates_a_session_and_records_the_payment(fake_stripe, dupont, invoices):
    assert services.checkout_available() is True

    url = start(dupont, invoices)

    [request] = fake_stripe.requests
    assert request["path"] == "/v1/checkout/sessions"
    assert request["headers"]["Authorization"] == "Bearer sk_test_relance"
    assert request["headers"]["Idempotency-Key"].startswith("relance-checkout-")
    params = request["params"]
    assert params["mode"] == "payment"
    assert (params["success_url"], params["cancel_url"]) == (SUCCESS_URL, CANCEL_URL)
    assert [line["price_data"]["product_data"]["name"] for line in params["line_items"]] == [
        "Invoice F1",
        "Invoice F2",
    ]
    assert [line["price_data"]["unit_amount"] for line in params["line_items"]] == [
        "120000",
        "3450",
    ]
    assert {line["price_data"]["currency"] for line in params["line_items"]} == {"eur"}
    assert params["metadata"] == {
        "customer_id": str(dupont.pk),
        "entity_id": str(dupont.entity_id),
        "item_ids": f"{invoices[0].pk},{invoices[1].pk}",
    }
    [session] = fake_stripe.sessions.values()
    assert url == session["url"]
    payment = Payment.objects.get()
    assert payment.provider_session_id == session["id"]
    assert (payment.amount, payment.currency) == (Decimal("1234.50"), "EUR")
    assert payment.status == PaymentStatus.CREATED
    assert set(payment.items.all()) == set(invoices)
    assert (payment.entity, payment.customer) == (dupont.entity, dupont)


def test_credits_make_one_line_for_the_amount_due(fake_stripe, dupont, invoices):
    credit = ItemFactory(customer=dupont, kind="credit_note", number="AV1", amount=Decimal("200"))

    start(dupont, [*invoices, credit])

    [line] = fake_stripe.requests[0]["params"]["line_items"]
    assert line["price_data"]["unit_amount"] == "103450"
    assert line["price_data"]["product_data"]["name"] == "Invoices F1, F2, less AV1"


def test_a_double_click_opens_one_session(fake_stripe, dupont, invoices):
    first = start(dupont, invoices)
    second = start(dupont, list(reversed(invoices)))

    assert first == second
    assert len(fake_stripe.requests) == 2
    assert len(fake_stripe.sessions) == 1
    assert Payment.objects.count() == 1


def test_another_selection_opens_another_session(fake_stripe, dupont, invoices):
    start(dupont, invoices)
    start(dupont, invoices[:1])

    assert len(fake_stripe.sessions) == 2
    assert Payment.objects.count() == 2


def test_checkout_refuses_mixed_currencies_and_nothing_to_pay(fake_stripe, dupont, invoices):
    dollars = ItemFactory(customer=dupont, currency="USD")
    credit = ItemFactory(customer=dupont, kind="credit_note", amount=Decimal("5000"))

    with pytest.raises(ValueError, match="several currencies"):
        start(dupont, [*invoices, dollars])
    with pytest.raises(ValueError, match="Nothing to pay"):
        start(dupont, [*invoices, credit])
    assert fake_stripe.requests == []


def test_checkout_refuses_items_of_another_customer(fake_stripe, dupont, acme):
    other = CustomerFactory(entity=acme)

    with pytest.raises(ValueError, match="another customer"):
        start(dupont, [ItemFactory(customer=other)])


def test_a_provider_refusal_is_an_error_without_the_key(fake_stripe, dupont, invoices):
    fake_stripe.fail_with = (
        401,
        {"error": {"type": "invalid_request_error", "message": "Invalid API Key sk_test_relance"}},
    )

    with pytest.raises(gateway.ProviderError) as error:
        start(dupont, invoices)

    assert "sk_test" not in str(error.value)
    assert Payment.objects.count() == 0


def test_completed_session_marks_items_pending_and_tells_the_agenda(
    fake_stripe, client, dupont, invoices
):
    start(dupont, invoices)
    payment = Payment.objects.get()
    payload = completed_event(payment.provider_session_id)
    before = timezone.now()

    response = post_event(client, payload, sign(payload, WEBHOOK_SECRET))

    assert response.status_code == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.COMPLETED
    assert payment.completed_at >= before
    for item in Item.objects.filter(pk__in=[item.pk for item in invoices]):
        assert item.payment_pending_since == payment.completed_at
    answer = CustomerResponse.objects.get()
    assert answer.kind == ResponseKind.PAYMENT
    assert answer.channel == ResponseChannel.PORTAL
    assert (answer.entity, answer.customer) == (dupont.entity, dupont)
    assert set(answer.items.all()) == set(invoices)
    assert answer.details == {
        "amount": "1234.50",
        "currency": "EUR",
        "provider": "stripe",
        "session_id": payment.provider_session_id,
    }
    assert answer.received_at == payment.completed_at
    assert "1234.50 EUR" in answer.body


def test_a_replayed_event_changes_nothing_more(fake_stripe, client, dupont, invoices):
    start(dupont, invoices)
    payment = Payment.objects.get()
    payload = completed_event(payment.provider_session_id)
    post_event(client, payload, sign(payload, WEBHOOK_SECRET))
    payment.refresh_from_db()
    pending = list(Item.objects.values_list("payment_pending_since", flat=True))

    response = post_event(client, payload, sign(payload, WEBHOOK_SECRET))

    assert response.status_code == 200
    assert CustomerResponse.objects.count() == 1
    assert list(Item.objects.values_list("payment_pending_since", flat=True)) == pending
    assert Payment.objects.get().completed_at == payment.completed_at


@pytest.mark.parametrize(
    "signature",
    [
        None,
        "",
        "garbage",
        "t=1,v1=00",
        # A named id: the signature holds the time, and xdist's workers must collect alike.
        pytest.param(sign("another body", WEBHOOK_SECRET), id="signature-of-another-body"),
        "{forged}",  # replaced below by a signature with another secret
        "{old}",  # replaced below by a correct signature ten minutes old
    ],
)
def test_a_bad_signature_changes_nothing(fake_stripe, client, dupont, invoices, signature):
    start(dupont, invoices)
    payload = completed_event(Payment.objects.get().provider_session_id)
    if signature == "{forged}":
        signature = sign(payload, "whsec_forger")
    elif signature == "{old}":
        signature = sign(payload, WEBHOOK_SECRET, timestamp=int(time.time()) - 600)

    response = post_event(client, payload, signature)

    assert response.status_code == 400
    assert Payment.objects.get().status == PaymentStatus.CREATED
    assert not Item.objects.filter(payment_pending_since__isnull=False).exists()
    assert not CustomerResponse.objects.exists()


def test_no_webhook_secret_refuses_every_event(fake_stripe, settings, client, dupont, invoices):
    start(dupont, invoices)
    payload = completed_event(Payment.objects.get().provider_session_id)
    settings.STRIPE_WEBHOOK_SECRET = ""

    assert post_event(client, payload, sign(payload, "")).status_code == 400
    assert Payment.objects.get().status == PaymentStatus.CREATED


@pytest.mark.parametrize(
    ("payload", "signed_status"),
    [
        ("", 400),
        ("not json", 400),
        ("[1, 2]", 400),
        ("null", 400),
        ('{"type": 3}', 400),
        ("\u00e9t\u00e9 {", 400),
        # Signed and well-formed, but of no known session: acknowledged and ignored.
        ('{"type": "checkout.session.completed"}', 200),
        ('{"type": "checkout.session.completed", "data": []}', 200),
        ('{"type": "checkout.session.completed", "data": {"object": {"id": 7}}}', 200),
        ('{"type": "checkout.session.completed", "data": {"object": []}}', 200),
    ],
)
def test_a_malformed_body_is_never_a_500(fake_stripe, client, payload, signed_status):
    signed = post_event(client, payload, sign(payload, WEBHOOK_SECRET))
    unsigned = post_event(client, payload)

    assert signed.status_code == signed_status
    assert unsigned.status_code == 400


def test_a_body_that_is_not_utf8_is_a_400(fake_stripe, client):
    response = client.post(
        reverse("payments:stripe-webhook"),
        data=b"\xff\xfe{",
        content_type="application/json",
        headers={"Stripe-Signature": "t=1,v1=00"},
    )

    assert response.status_code == 400


def test_unknown_events_and_sessions_are_ignored(fake_stripe, client, dupont, invoices):
    start(dupont, invoices)
    session_id = Payment.objects.get().provider_session_id
    other_type = json.dumps({"type": "invoice.paid", "data": {"object": {"id": session_id}}})
    other_session = completed_event("cs_test_unknown")

    for payload in (other_type, other_session):
        assert post_event(client, payload, sign(payload, WEBHOOK_SECRET)).status_code == 200

    assert Payment.objects.get().status == PaymentStatus.CREATED
    assert not CustomerResponse.objects.exists()


def test_a_session_paid_for_another_amount_is_not_completed(fake_stripe, client, dupont, invoices):
    start(dupont, invoices)
    payment = Payment.objects.get()
    payload = completed_event(payment.provider_session_id, amount_total=100)

    assert post_event(client, payload, sign(payload, WEBHOOK_SECRET)).status_code == 200
    assert Payment.objects.get().status == PaymentStatus.CREATED


def test_an_expired_session_leaves_the_items_due(fake_stripe, client, dupont, invoices):
    start(dupont, invoices)
    payment = Payment.objects.get()
    payload = json.dumps(
        {
            "type": "checkout.session.expired",
            "data": {"object": {"id": payment.provider_session_id, "status": "expired"}},
        }
    )

    assert post_event(client, payload, sign(payload, WEBHOOK_SECRET)).status_code == 200
    assert Payment.objects.get().status == PaymentStatus.EXPIRED
    assert not Item.objects.filter(payment_pending_since__isnull=False).exists()


def test_items_paid_online_cannot_be_paid_again(fake_stripe, client, dupont, invoices):
    start(dupont, invoices)
    payload = completed_event(Payment.objects.get().provider_session_id)
    post_event(client, payload, sign(payload, WEBHOOK_SECRET))
    invoices = list(Item.objects.filter(pk__in=[item.pk for item in invoices]))

    with pytest.raises(ValueError, match="Nothing to pay"):
        start(dupont, invoices)
    assert len(fake_stripe.sessions) == 1


def test_a_bank_debit_completes_when_its_payment_succeeds(fake_stripe, client, dupont, invoices):
    start(dupont, invoices)
    session_id = Payment.objects.get().provider_session_id
    completed = json.loads(completed_event(session_id))
    completed["data"]["object"]["payment_status"] = "unpaid"
    succeeded = {**completed, "type": "checkout.session.async_payment_succeeded"}
    succeeded["data"] = {"object": {**completed["data"]["object"], "payment_status": "paid"}}

    payload = json.dumps(completed)
    post_event(client, payload, sign(payload, WEBHOOK_SECRET))
    assert Payment.objects.get().status == PaymentStatus.CREATED

    payload = json.dumps(succeeded)
    post_event(client, payload, sign(payload, WEBHOOK_SECRET))
    assert Payment.objects.get().status == PaymentStatus.COMPLETED
    assert CustomerResponse.objects.count() == 1


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [("1234.50", "EUR", 123450), ("1500", "JPY", 1500), ("1.25", "KWD", 1250)],
)
def test_amounts_go_to_stripe_in_minor_units(amount, currency, minor):
    assert services._minor_units(Decimal(amount), currency) == minor


def test_a_fraction_of_a_unit_cannot_go_to_stripe():
    with pytest.raises(ValueError, match="JPY"):
        services._minor_units(Decimal("10.50"), "JPY")


def test_the_webhook_answers_only_posts(client):
    assert client.get(reverse("payments:stripe-webhook")).status_code == 405
