"""Channel adapters behind one interface (`send(message) -> SendResult`,
`status(provider_id) -> str`), chosen by a connector's kind."""

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

ADAPTERS = {
    "console": ConsoleAdapter,
    "twilio": TwilioAdapter,
    "http_json": HttpJsonAdapter,
    "print_mail": PrintMailAdapter,
    "ereg": EregAdapter,
}


def adapter_for(connector) -> Adapter:
    return ADAPTERS[connector.kind](connector.settings or {})


__all__ = ["ADAPTERS", "Adapter", "Message", "ProviderError", "SendResult", "adapter_for"]
