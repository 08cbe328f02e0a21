"""The shape of API tokens: `rl_<prefix>_<secret>`, 32 random bytes of secret, a visible
prefix to find the row, and only the SHA-256 digest of the whole token at rest."""

import hashlib
import hmac
import secrets

SCHEME = "rl"
PREFIX_BYTES = 6  # 8 URL-safe characters: unique enough to find a row, shown in the UI
SECRET_BYTES = 32


def token_new() -> tuple[str, str, str]:
    """A new token as (whole token, prefix, digest)."""
    prefix = secrets.token_urlsafe(PREFIX_BYTES).replace("_", "x").replace("-", "y")
    token = f"{SCHEME}_{prefix}_{secrets.token_urlsafe(SECRET_BYTES)}"
    return token, prefix, token_digest(token)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_prefix(token: str) -> str | None:
    """The prefix a presented token claims, or None when it is not shaped as ours."""
    scheme, sep, rest = token.partition("_")
    prefix, sep2, secret = rest.partition("_")
    if scheme != SCHEME or not sep or not sep2 or not prefix or not secret:
        return None
    return prefix


def token_matches(token: str, digest: str) -> bool:
    return hmac.compare_digest(token_digest(token), digest)
