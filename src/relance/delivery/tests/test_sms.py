"""SMS through a fake provider on 127.0.0.1: Twilio-compatible and generic JSON adapters,
E.164 numbers, refusals, timeouts, 500s, an unreachable provider, and retries that never
send twice."""

import pytest

from relance.agenda.models import Action
from relance.agenda.services import action_retry
from relance.customers.phones import e164
from relance.customers.tests.factories import ContactFactory, CustomerFactory
from relance.delivery.models import Outbox
from relance.delivery.tests.conftest import connector, free_port
from relance.engine.runner import run_day
from relance.engine.tests.conftest import make_invoice
from relance.engine.tests.simulation import d

pytestmark = pytest.mark.django_db
SEND_DAY = d(2, 3)  # the invoice is due 01-31, the SMS step is 3 days later


def _customer(entity, mobile="06 12 34 56 78"):
    customer = CustomerFactory(entity=entity, country="FR")
    ContactFactory(customer=customer, mobile=mobile, is_collection=True)
    make_invoice(customer, "A1", d(1, 31))
    return customer


def _twilio(entity, provider, **options):
    options = {
        "url": provider.url,
        "account_sid": "AC123",
        "auth_token": "secret",
        "sender": "+33700000000",
        **options,
    }
    return connector(entity, "sms", "twilio", **options)


def _run(entity, day=SEND_DAY) -> Action:
    run_day(entity=entity, day=day)
    return Action.objects.get(channel="sms")


def _retry(entity, action, day=None) -> Action:
    action_retry(action=action)
    run_day(entity=entity, day=day or d(2, 4))
    action.refresh_from_db()
    return action


def test_e164():
    assert e164("06 12 34 56 78", "FR") == "+33612345678"
    assert e164("+44 7911 123456", "FR") == "+447911123456"
    assert e164("12", "FR") is None
    assert e164("not a number", "") is None


def test_twilio_sends_with_basic_auth_and_the_idempotency_key(sms_scenario, acme_daily, provider):
    _twilio(acme_daily, provider)
    _customer(acme_daily)
    action = _run(acme_daily)
    assert (action.status, action.finished_on, action.error_message) == ("sent", SEND_DAY, "")
    [(method, path, headers, data)] = provider.requests
    assert (method, path) == ("POST", "/2010-04-01/Accounts/AC123/Messages.json")
    assert headers["Authorization"] == "Basic QUMxMjM6c2VjcmV0"  # AC123:secret
    assert headers["Idempotency-Key"] == f"action-{action.pk}-1"
    assert data["To"] == "+33612345678" and data["From"] == "+33700000000"
    assert data["Body"].startswith("Acme : vous devez")
    outbox = Outbox.objects.get()
    assert (outbox.status, outbox.provider_id, outbox.provider_status) == (
        "sent",
        "SM1",
        "accepted",
    )
    assert outbox.idempotency_key == outbox.key == f"action-{action.pk}-1"


def test_a_credential_read_from_the_environment(sms_scenario, acme_daily, provider, monkeypatch):
    monkeypatch.setenv("RELANCE_TEST_TWILIO_TOKEN", "from-env")
    _twilio(acme_daily, provider, auth_token="env:RELANCE_TEST_TWILIO_TOKEN")
    _customer(acme_daily)
    assert _run(acme_daily).status == "sent"
    [(_m, _p, headers, _d)] = provider.requests
    assert headers["Authorization"] == "Basic QUMxMjM6ZnJvbS1lbnY="  # AC123:from-env


def test_a_missing_environment_variable_sends_nothing(sms_scenario, acme_daily, provider):
    _twilio(acme_daily, provider, auth_token="env:RELANCE_TEST_NO_SUCH_VARIABLE")
    _customer(acme_daily)
    action = _run(acme_daily)
    assert action.status == "error"
    assert action.error_message == (
        "the connector's setting auth_token names the environment variable "
        "RELANCE_TEST_NO_SUCH_VARIABLE, which is not set"
    )
    assert provider.requests == []
    assert Outbox.objects.get().status == "failed"


def test_generic_json_adapter(sms_scenario, acme_daily, provider):
    connector(acme_daily, "sms", "http_json", url=f"{provider.url}/sms", api_key="k", sender="ACME")
    _customer(acme_daily)
    action = _run(acme_daily)
    assert action.status == "sent"
    [(_m, path, headers, data)] = provider.requests
    assert path == "/sms" and headers["Authorization"] == "Bearer k"
    assert data["to"] == "+33612345678" and data["from"] == "ACME"
    assert data["idempotency_key"] == f"action-{action.pk}-1"
    assert data["text"].startswith("Acme : vous devez")
    assert Outbox.objects.get().provider_id == "MSG1"


def test_no_connector_leaves_the_action_in_error(sms_scenario, acme_daily):
    _customer(acme_daily)
    action = _run(acme_daily)
    assert (action.status, action.error_message) == ("error", "No SMS connector configured")


@pytest.mark.parametrize(
    ("mobile", "error"),
    [("", "The contact has no mobile number"), ("12 34", "Invalid mobile number")],
)
def test_mobile_numbers_are_checked(sms_scenario, acme_daily, provider, mobile, error):
    _twilio(acme_daily, provider)
    _customer(acme_daily, mobile=mobile)
    action = _run(acme_daily)
    assert (action.status, action.error_message) == ("error", error)
    assert provider.requests == [] and not Outbox.objects.exists()


def test_a_refusal_is_an_error_with_the_reason(sms_scenario, acme_daily, provider):
    _twilio(acme_daily, provider)
    _customer(acme_daily)
    provider.behaviour.refuse = "The 'To' number is not a valid phone number."
    action = _run(acme_daily)
    assert action.status == "error"
    assert action.error_message == (
        "The provider refused it: The 'To' number is not a valid phone number."
    )
    assert Outbox.objects.get().status == "failed"
    # Fixed and retried: a new attempt with a new key (the refused one was never sent).
    provider.behaviour.refuse = ""
    action = _retry(acme_daily, action)
    assert action.status == "sent"
    assert [m["key"] for m in provider.messages] == [f"action-{action.pk}-2"]


def test_a_timeout_then_a_retry_sends_once(sms_scenario, acme_daily, provider):
    _twilio(acme_daily, provider, timeout=0.5)
    _customer(acme_daily)
    provider.behaviour.slow = 1.5  # the provider takes the message but answers too late
    action = _run(acme_daily)
    assert (action.status, action.error_message) == (
        "error",
        "The provider did not answer in time",
    )
    first = Outbox.objects.get()
    assert (first.status, first.uncertain) == ("failed", True)
    action = _retry(acme_daily, action)
    assert action.status == "sent"
    # Two calls, one message: the retry carried the first attempt's key.
    assert len(provider.requests) == 2
    assert len(provider.messages) == 1
    second = Outbox.objects.get(attempt=2)
    assert second.idempotency_key == first.key == f"action-{action.pk}-1"
    assert (second.status, second.provider_id) == ("sent", "SM1")


def test_the_default_timeout_is_about_two_seconds(sms_scenario, acme_daily, provider):
    _twilio(acme_daily, provider)
    _customer(acme_daily)
    provider.behaviour.slow = 2.6
    action = _run(acme_daily)
    assert action.error_message == "The provider did not answer in time"


def test_a_500_is_an_error_and_the_retry_reuses_the_key(sms_scenario, acme_daily, provider):
    _twilio(acme_daily, provider)
    _customer(acme_daily)
    provider.behaviour.fail = True
    action = _run(acme_daily)
    assert (action.status, action.error_message) == (
        "error",
        "The provider failed: HTTP 500 internal error",
    )
    provider.behaviour.fail = False
    action = _retry(acme_daily, action)
    assert action.status == "sent"
    assert [m["key"] for m in provider.messages] == [f"action-{action.pk}-1"]


def test_an_unreachable_provider_then_a_retry_sends_once(sms_scenario, acme_daily, provider):
    sms = _twilio(acme_daily, provider, url=f"http://127.0.0.1:{free_port()}")
    _customer(acme_daily)
    action = _run(acme_daily)
    assert action.status == "error"
    assert action.error_message.startswith("The provider could not be reached:")
    assert "refused" in action.error_message.lower()
    sms.settings["url"] = provider.url
    sms.save()
    action = _retry(acme_daily, action)
    assert action.status == "sent"
    assert len(provider.messages) == 1 and len(provider.requests) == 1


def test_a_run_stopped_after_the_hand_over_never_sends_again(
    sms_scenario, acme_daily, provider, monkeypatch
):
    from relance.delivery import protocol

    _twilio(acme_daily, provider)
    _customer(acme_daily)

    def die(outbox):
        raise SystemExit("killed")

    monkeypatch.setattr(protocol, "handed_over", die)
    with pytest.raises(SystemExit):
        run_day(entity=acme_daily, day=SEND_DAY)
    monkeypatch.undo()
    assert Outbox.objects.get().status == "sending"
    run_day(entity=acme_daily, day=d(2, 4))
    action = Action.objects.get(channel="sms")
    assert action.status == "sent" and "not confirmed" in action.note
    assert len(provider.requests) == 1


def test_status_is_polled_through_the_adapter(sms_scenario, acme_daily, provider):
    from relance.delivery.adapters import adapter_for

    sms = _twilio(acme_daily, provider)
    _customer(acme_daily)
    _run(acme_daily)
    provider.accepted[next(iter(provider.accepted))]["status"] = "delivered"
    assert adapter_for(sms).status("SM1") == "delivered"
    assert provider.requests[-1][1] == "/2010-04-01/Accounts/AC123/Messages/SM1.json"
