"""Secrets sealed at rest with keys derived from the server's SECRET_KEY.

Each use names its purpose (connector settings, webhook signing secrets), so one key never
opens another use's values. The current SECRET_KEY seals; the fallbacks (SECRET_KEY_FALLBACKS,
Django's way to rotate it) still open, and re-sealing moves a value to the current key.
"""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

SEALED_PREFIX = "enc:"

__all__ = ["SEALED_PREFIX", "InvalidToken", "keys", "seal_text", "unseal_text"]


def _fernet(purpose: str, secret_key: str) -> Fernet:
    digest = hashlib.sha256(f"relance.{purpose}:".encode() + secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(digest.digest()))


def keys(purpose: str) -> MultiFernet:
    """The current key first (it seals), then the fallbacks (they still open)."""
    secret_keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(purpose, key) for key in secret_keys])


def seal_text(purpose: str, text: str) -> str:
    return SEALED_PREFIX + keys(purpose).encrypt(text.encode()).decode()


def unseal_text(purpose: str, value: str) -> str:
    """The clear text of a sealed value; InvalidToken when no key of the server opens it."""
    return keys(purpose).decrypt(value.removeprefix(SEALED_PREFIX).encode()).decode()
