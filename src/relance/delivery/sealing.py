"""Connector credentials sealed at rest.

A secret setting of a connector (its name says so: `auth_token`, `api_key`, `password`, …)
typed in clear is stored as `enc:<Fernet token>`, encrypted with a key derived from the
server's SECRET_KEY; the adapter gets it back in clear when it is built. Rotating SECRET_KEY
the Django way (the old key moved to SECRET_KEY_FALLBACKS) keeps old values readable, and
saving a connector again seals them with the new key. A value written `env:NAME` stays a
reference to the environment (delivery/adapters/__init__.py) and is not sealed.
"""

from cryptography.fernet import InvalidToken, MultiFernet

from relance.core import sealing
from relance.core.sealing import SEALED_PREFIX

PURPOSE = "delivery.connector-settings"
ENV_PREFIX = "env:"
SECRET_WORDS = ("token", "key", "password", "secret")
UNREADABLE = (
    "the connector's setting {key} cannot be decrypted with this server's SECRET_KEY "
    "(was it changed without keeping the old one in SECRET_KEY_FALLBACKS?): type it again"
)


class UnreadableSecret(ValueError):
    """A sealed value that none of the server's keys opens."""


def is_secret(name: str) -> bool:
    """`auth_token`, `api_key`, `password`, `client_secret`: yes; `account_sid`, `url`,
    `sender`, `callback_base_url`: no."""
    return any(word in name.lower() for word in SECRET_WORDS)


def _keys() -> MultiFernet:
    return sealing.keys(PURPOSE)


def seal(values: dict) -> dict:
    """`values` with every clear secret encrypted, and sealed ones re-sealed with the current
    key (a no-op unless SECRET_KEY was rotated); other settings untouched."""
    keys, sealed = _keys(), {}
    for name, value in (values or {}).items():
        if (
            is_secret(name)
            and isinstance(value, str)
            and value
            and not value.startswith(ENV_PREFIX)
        ):
            if value.startswith(SEALED_PREFIX):
                value = _rotate(keys, name, value)
            else:
                value = SEALED_PREFIX + keys.encrypt(value.encode()).decode()
        sealed[name] = value
    return sealed


def _rotate(keys: MultiFernet, name: str, value: str) -> str:
    token = value.removeprefix(SEALED_PREFIX).encode()
    try:
        return SEALED_PREFIX + keys.rotate(token).decode()
    except InvalidToken:
        return value  # unreadable now, still unreadable: said when the connector is used


def unseal(name: str, value):
    """The clear value of one setting (unchanged unless sealed)."""
    if not (isinstance(value, str) and value.startswith(SEALED_PREFIX)):
        return value
    try:
        return sealing.unseal_text(PURPOSE, value)
    except InvalidToken:
        raise UnreadableSecret(UNREADABLE.format(key=name)) from None
