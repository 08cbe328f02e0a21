"""Letters, registered letters and electronic registered letters through fake providers on
127.0.0.1; print_mail_connector_configured follows the connectors."""

import pytest

from relance.agenda.models import Action
from relance.agenda.services import action_retry
from relance.customers.tests.factories import ContactFactory, CustomerFactory
from relance.delivery.adapters import adapter_for
from relance.delivery.models import Outbox
from relance.delivery.tests.conftest import connector, one_step_scenario
from relance.delivery.tests.providers import pdf_of
from relance.engine.runner import run_day
from relance.engine.tests.conftest import make_invoice
from relance.engine.tests.simulation import d
from relance.scenarios.services import print_mail_connector_configured

pytestmark = pytest.mark.django_db
SEND_DAY = d(2, 3)


def _customer(entity, **contact):
    customer = CustomerFactory(
        entity=entity,
        name="Client SA",
        country="FR",
        address_line1="1 rue de la Paix",
        postal_code="75002",
        city="Paris",
    )
    ContactFactory(customer=customer, is_collection=True, **contact)
    make_invoice(customer, "A1", d(1, 31))
    return customer


def _run(entity, channel, day=SEND_DAY) -> Action:
    run_day(entity=entity, day=day)
    return Action.objects.get(channel=channel)


@pytest.mark.parametrize("channel", ["letter", "registered_letter"])
def test_a_letter_is_posted_as_pdf_with_the_address(acme_daily, provider, channel):
    one_step_scenario(acme_daily, channel)
    connector(acme_daily, "letter", "print_mail", url=provider.url, api_key="k", sender="Acme")
    _customer(acme_daily, first_name="Jean", last_name="Dupont")
    provider.behaviour.initial_status = "accepted"
    action = _run(acme_daily, channel)
    assert (action.status, action.error_message) == ("sent", "")
    [(method, path, headers, data)] = provider.requests
    assert (method, path) == ("POST", "/letters")
    assert headers["Idempotency-Key"] == data["idempotency_key"] == f"action-{action.pk}-1"
    assert data["file"].startswith(b"%PDF")
    assert data["address_line1"] == "1 rue de la Paix"
    assert (data["address_postal_code"], data["address_city"]) == ("75002", "Paris")
    assert "Client SA" in data["address_name"]
    assert data["registered"] == ("true" if channel == "registered_letter" else "false")
    outbox = Outbox.objects.get()
    assert (outbox.status, outbox.provider_id, outbox.provider_status) == (
        "sent",
        "MSG1",
        "accepted",
    )


def test_letter_statuses_are_polled(acme_daily, provider):
    one_step_scenario(acme_daily, "letter")
    letters = connector(acme_daily, "letter", "print_mail", url=provider.url)
    _customer(acme_daily)
    _run(acme_daily, "letter")
    for status in ["printed", "posted", "delivered", "returned"]:
        provider.accepted[next(iter(provider.accepted))]["status"] = status
        assert adapter_for(letters).status("MSG1") == status


def test_a_letter_without_address_is_an_error(acme_daily, provider):
    one_step_scenario(acme_daily, "letter")
    connector(acme_daily, "letter", "print_mail", url=provider.url)
    customer = CustomerFactory(entity=acme_daily, address_line1="", city="")
    ContactFactory(customer=customer, is_collection=True, address_line1="")
    make_invoice(customer, "A1", d(1, 31))
    action = _run(acme_daily, "letter")
    assert (action.status, action.error_message) == ("error", "The contact has no postal address")


def test_a_refused_letter_and_a_timeout_retried_once(acme_daily, provider):
    one_step_scenario(acme_daily, "letter")
    connector(acme_daily, "letter", "print_mail", url=provider.url, timeout=0.5)
    _customer(acme_daily)
    provider.behaviour.refuse = "postal code does not match the city"
    action = _run(acme_daily, "letter")
    assert action.error_message == "The provider refused it: postal code does not match the city"
    provider.behaviour.refuse, provider.behaviour.slow = "", 1.5
    action_retry(action=action)
    action = _run(acme_daily, "letter", d(2, 4))
    assert action.error_message == "The provider did not answer in time"
    action_retry(action=action)
    action = _run(acme_daily, "letter", d(2, 5))
    assert action.status == "sent"
    assert len(provider.messages) == 1  # the timed-out letter, taken once
    assert provider.messages[0]["key"] == f"action-{action.pk}-2"


def test_the_letter_connector_unlocks_automatic_letters(acme_daily, acme_uk=None):
    from relance.core.tests.factories import EntityFactory

    other = EntityFactory(slug="acme-uk", name="Acme UK", country="GB")
    assert not print_mail_connector_configured(acme_daily)
    assert not print_mail_connector_configured()
    letters = connector(acme_daily, "letter", "console")
    connector(other, "sms", "console")
    assert print_mail_connector_configured(acme_daily)
    assert print_mail_connector_configured()
    assert not print_mail_connector_configured(other)
    letters.is_active = False
    letters.save()
    assert not print_mail_connector_configured(acme_daily)


def test_the_console_adapter_writes_files(acme_daily, tmp_path):
    one_step_scenario(acme_daily, "letter")
    connector(acme_daily, "letter", "console", path=str(tmp_path))
    _customer(acme_daily)
    action = _run(acme_daily, "letter")
    assert action.status == "sent"
    key = f"action-{action.pk}-1"
    assert (tmp_path / f"{key}.pdf").read_bytes().startswith(b"%PDF")
    assert '"line1": "1 rue de la Paix"' in (tmp_path / f"{key}.json").read_text()


def test_an_electronic_registered_letter_keeps_its_proof(acme_daily, provider):
    one_step_scenario(acme_daily, "e_registered_letter")
    ereg = connector(acme_daily, "e_registered_letter", "ereg", url=provider.url, sender="Acme")
    _customer(acme_daily, email="legal@client.example")
    provider.behaviour.initial_status = "sent"
    action = _run(acme_daily, "e_registered_letter")
    assert action.status == "sent"
    [record] = provider.messages
    assert record["path"] == "/messages" and record["data"]["to"] == "legal@client.example"
    assert pdf_of(record).startswith(b"%PDF")
    outbox = Outbox.objects.get()
    assert (outbox.provider_status, outbox.proof) == (
        "sent",
        {"receipt": "deposit-1", "sent_at": "now"},
    )
    for status in ["delivered", "signed", "refused"]:
        record["status"] = status
        assert adapter_for(ereg).status("MSG1") == status


def test_an_electronic_registered_letter_refused_by_the_provider(acme_daily, provider):
    one_step_scenario(acme_daily, "e_registered_letter")
    connector(acme_daily, "e_registered_letter", "ereg", url=provider.url)
    _customer(acme_daily, email="legal@client.example")
    provider.behaviour.fail = True
    action = _run(acme_daily, "e_registered_letter")
    assert action.error_message == "The provider failed: HTTP 500 internal error"


def test_polling_records_the_acknowledgement_then_a_return(acme_daily, provider):
    from relance.delivery.connectors import outbox_poll

    one_step_scenario(acme_daily, "registered_letter")
    connector(acme_daily, "letter", "print_mail", url=provider.url)
    _customer(acme_daily)
    _run(acme_daily, "registered_letter")
    [record] = provider.messages
    record |= {"status": "posted", "tracking_number": "1A00001", "acknowledgement": "pending"}
    assert outbox_poll() == 1
    outbox = Outbox.objects.get()
    assert outbox.provider_status == "posted"
    assert outbox.proof == {"tracking_number": "1A00001", "acknowledgement": "pending"}
    assert outbox_poll() == 0
    record |= {"status": "returned", "reason": "addressee unknown"}
    assert outbox_poll() == 1
    action = Action.objects.get()
    assert (action.status, action.error_message) == (
        "error",
        "The provider could not deliver it: addressee unknown",
    )
    assert outbox_poll() == 0  # final


def test_polling_an_electronic_registered_letter_keeps_the_signature_proof(acme_daily, provider):
    from relance.delivery.connectors import outbox_poll

    one_step_scenario(acme_daily, "e_registered_letter")
    connector(acme_daily, "e_registered_letter", "ereg", url=provider.url)
    _customer(acme_daily, email="legal@client.example")
    _run(acme_daily, "e_registered_letter")
    [record] = provider.messages
    record |= {"status": "signed", "proof": {**record["proof"], "signed_at": "2026-02-05"}}
    assert outbox_poll() == 1
    outbox = Outbox.objects.get()
    assert outbox.provider_status == "signed"
    assert outbox.proof["signed_at"] == "2026-02-05" and outbox.proof["receipt"] == "deposit-1"
    assert Action.objects.get().status == "sent"


def test_polling_skips_a_provider_that_does_not_answer(acme_daily, provider):
    from relance.delivery.connectors import outbox_poll

    one_step_scenario(acme_daily, "letter")
    connector(acme_daily, "letter", "print_mail", url=provider.url)
    _customer(acme_daily)
    _run(acme_daily, "letter")
    provider.accepted.clear()  # the provider answers 404: nothing changes
    assert outbox_poll() == 0
    assert Outbox.objects.get().provider_status == "accepted"
