"""Channel adapters behind one interface (`send(message) -> SendResult`,
`status(provider_id) -> str`), chosen by a connector's kind."""

import os

from relance.delivery.adapters.base import (
    Adapter,
    Message,
    ProviderError,
    SendResult,
)
from relance.delivery.adapters.console import ConsoleAdapter
from relance.delivery.adapters.ereg import EregAdapter
from relance.delivery.adapters.letter import PrintMailAdapter
from relance.delivery.adapters.sms import HttpJsonAdapter, TwilioAdapter
from relance.delivery.sealing import ENV_PREFIX, UnreadableSecret, unseal

ADAPTERS = {
    "console": ConsoleAdapter,
    "twilio": TwilioAdapter,
    "http_json": HttpJsonAdapter,
    "print_mail": PrintMailAdapter,
    "ereg": EregAdapter,
}


# A setting written "env:NAME" is read from the environment variable NAME when the adapter
# is built: credentials then live with the server's other secrets, not in the database. A
# secret typed in the connector is stored sealed (`enc:…`, delivery/sealing.py) and opened
# here.
MISSING_SECRET = (
    "the connector's setting {key} names the environment variable {name}, which is not set"
)


class MissingSecret(ProviderError):
    """Nothing was sent: a secret setting cannot be read on this server (its environment
    variable is not set, or it was sealed with another SECRET_KEY)."""


def resolved_settings(settings: dict) -> dict:
    resolved = {}
    for key, value in (settings or {}).items():
        if isinstance(value, str) and value.startswith(ENV_PREFIX):
            name = value.removeprefix(ENV_PREFIX).strip()
            if name not in os.environ:
                raise MissingSecret(MISSING_SECRET.format(key=key, name=name))
            value = os.environ[name]
        try:
            resolved[key] = unseal(key, value)
        except UnreadableSecret as exc:
            raise MissingSecret(str(exc)) from None
    return resolved


def adapter_for(connector) -> Adapter:
    return ADAPTERS[connector.kind](resolved_settings(connector.settings))


__all__ = [
    "ADAPTERS",
    "Adapter",
    "Message",
    "MissingSecret",
    "ProviderError",
    "SendResult",
    "adapter_for",
    "resolved_settings",
]
