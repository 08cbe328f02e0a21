"""The one small interface every channel adapter follows, and what it raises.

An adapter gets a `Message` whose `key` is the idempotency key (the outbox key, or the key of
an earlier attempt whose outcome is unknown); it answers a `SendResult` or raises a
`ProviderError` whose text is what the collector reads on the action."""

from dataclasses import dataclass, field
from typing import Protocol

from django.utils.translation import gettext_noop

REFUSED = gettext_noop("The provider refused it: {reason}")
TIMEOUT = gettext_noop("The provider did not answer in time")
UNREACHABLE = gettext_noop("The provider could not be reached: {reason}")
FAILED = gettext_noop("The provider failed: {reason}")


@dataclass
class Message:
    """One message for one recipient. `to` is an E.164 number (SMS), a postal address
    (letters: name, line1, line2, postal_code, city, country) or an email (e-registered)."""

    key: str
    channel: str
    to: object
    text: str = ""
    subject: str = ""
    pdf: bytes | None = None
    registered: bool = False
    sender: str = ""
    callback_url: str = ""


@dataclass
class SendResult:
    provider_id: str
    status: str
    proof: dict = field(default_factory=dict)


class ProviderError(Exception):
    """The message was not taken. `uncertain`: it may have reached the provider (a timeout,
    a 5xx), so a retry must carry the same idempotency key."""

    uncertain = False


class ProviderRefused(ProviderError):
    def __init__(self, reason: str):
        super().__init__(REFUSED.format(reason=reason))


class ProviderTimeout(ProviderError):
    uncertain = True

    def __init__(self):
        super().__init__(TIMEOUT)


class ProviderUnreachable(ProviderError):
    def __init__(self, reason: str):
        super().__init__(UNREACHABLE.format(reason=reason))


class ProviderFailed(ProviderError):
    uncertain = True

    def __init__(self, reason: str):
        super().__init__(FAILED.format(reason=reason))


class Adapter(Protocol):
    def send(self, message: Message) -> SendResult: ...

    def status(self, provider_id: str) -> str: ...
