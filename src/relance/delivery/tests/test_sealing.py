"""Connector secrets are stored sealed, opened only to build the adapter; a rotated
SECRET_KEY kept in SECRET_KEY_FALLBACKS still opens them, a lost one says which setting to
type again and sends nothing."""

import importlib

import pytest
from django.apps import apps

from relance.delivery.models import Connector, Outbox
from relance.delivery.sealing import seal, unseal
from relance.delivery.tests.test_sms import _customer, _run, _twilio

pytestmark = pytest.mark.django_db
CLEAR = "secret"  # the auth_token _twilio sets; AC123:secret in Basic auth:
BASIC = "Basic QUMxMjM6c2VjcmV0"


def _stored(connector: Connector) -> dict:
    return Connector.objects.values_list("settings", flat=True).get(pk=connector.pk)


def test_a_secret_is_stored_sealed_and_the_rest_as_typed(acme_daily, provider):
    connector = _twilio(acme_daily, provider, password="p4ss", client_secret="s3cr3t")
    stored = _stored(connector)
    for name, clear in [("auth_token", CLEAR), ("password", "p4ss"), ("client_secret", "s3cr3t")]:
        assert stored[name].startswith("enc:") and clear not in stored[name]
        assert unseal(name, stored[name]) == clear
    assert (stored["account_sid"], stored["url"]) == ("AC123", provider.url)
    assert stored["sender"] == "+33700000000"


def test_a_sealed_secret_reaches_the_provider_in_clear(sms_scenario, acme_daily, provider):
    _twilio(acme_daily, provider)
    _customer(acme_daily)
    assert _run(acme_daily).status == "sent"
    [(_m, _p, headers, _d)] = provider.requests
    assert headers["Authorization"] == BASIC


def test_saving_again_keeps_one_layer_and_env_references_stay_references(acme_daily, provider):
    connector = _twilio(acme_daily, provider, api_key="env:RELANCE_TEST_KEY")
    connector.is_active = False
    connector.save()
    connector.save()
    stored = _stored(connector)
    assert unseal("auth_token", stored["auth_token"]) == CLEAR
    assert stored["api_key"] == "env:RELANCE_TEST_KEY"


def test_a_rotated_secret_key_still_opens_and_reseals(sms_scenario, acme_daily, provider, settings):
    connector = _twilio(acme_daily, provider)
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "n" * 50, [old_key]
    _customer(acme_daily)
    assert _run(acme_daily).status == "sent"
    [(_m, _p, headers, _d)] = provider.requests
    assert headers["Authorization"] == BASIC

    connector.save()  # sealed again with the new key: the old one can go
    settings.SECRET_KEY_FALLBACKS = []
    assert unseal("auth_token", _stored(connector)["auth_token"]) == CLEAR


def test_a_lost_key_names_the_setting_and_sends_nothing(
    sms_scenario, acme_daily, provider, settings
):
    _twilio(acme_daily, provider)
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "n" * 50, []
    _customer(acme_daily)
    action = _run(acme_daily)
    assert action.status == "error"
    assert action.error_message.startswith(
        "the connector's setting auth_token cannot be decrypted with this server's SECRET_KEY"
    )
    assert provider.requests == [] and Outbox.objects.get().status == "failed"


def test_the_migration_seals_what_was_stored_in_clear(acme_daily, provider):
    connector = _twilio(acme_daily, provider)
    Connector.objects.filter(pk=connector.pk).update(
        settings={"account_sid": "AC123", "auth_token": CLEAR}
    )  # as stored before sealing existed
    migration = importlib.import_module("relance.delivery.migrations.0005_connector_secrets_sealed")
    migration.seal_secrets(apps, None)
    stored = _stored(connector)
    assert stored["auth_token"].startswith("enc:") and stored["account_sid"] == "AC123"
    assert unseal("auth_token", stored["auth_token"]) == CLEAR
    assert seal({"url": "https://x.example"}) == {"url": "https://x.example"}
