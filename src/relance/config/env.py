"""Reading settings from the environment, failing with one line that names the setting."""

import importlib.util
import os
import re
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name}: expected true or false")


def env_int(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or value < minimum:
        raise ImproperlyConfigured(f"{name}: expected a whole number from {minimum}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def proxy_ssl_header() -> tuple[str, str] | None:
    """SECURE_PROXY_SSL_HEADER: the header by which the HTTPS proxy in front says a request
    came over HTTPS, e.g. `X-Forwarded-Proto` (its value then `https`); only behind a proxy
    that sets it on every request, else a client could claim HTTPS itself."""
    raw = os.environ.get("SECURE_PROXY_SSL_HEADER", "").strip()
    if not raw:
        return None
    name, _sep, value = raw.partition(":")
    if not re.fullmatch(r"[A-Za-z0-9-]+", name.strip()):
        raise ImproperlyConfigured(
            "SECURE_PROXY_SSL_HEADER: expected a header name such as X-Forwarded-Proto"
        )
    meta = "HTTP_" + name.strip().upper().replace("-", "_")
    return meta, value.strip() or "https"


def secret_key(debug: bool, var_dir: Path) -> str:
    """The SECRET_KEY: required in production, generated once into var/ for the demo."""
    key = os.environ.get("SECRET_KEY", "").strip()
    if key:
        if not debug and len(key) < 32:
            raise ImproperlyConfigured(
                "SECRET_KEY: must be at least 32 characters when DEBUG is off"
            )
        return key
    if not debug:
        raise ImproperlyConfigured("SECRET_KEY: required when DEBUG is off")
    key_file = var_dir / "secret_key"
    if not key_file.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


DATABASE_SCHEMES = ("sqlite", "postgres", "postgresql", "pgsql")


def database(default_url: str) -> dict:
    import dj_database_url

    url = os.environ.get("DATABASE_URL", default_url)
    # Neither the URL nor the parser's words (which may quote it) go into a message: the URL
    # holds the database password.
    if url.partition("://")[0] not in DATABASE_SCHEMES:
        raise ImproperlyConfigured(
            "DATABASE_URL: expected sqlite:///PATH or postgres://USER:PASSWORD@HOST:PORT/NAME"
        )
    try:
        config = dj_database_url.parse(url, conn_max_age=60)
    except Exception as exc:  # dj-database-url raises several kinds for a bad URL
        raise ImproperlyConfigured(
            f"DATABASE_URL: cannot be read ({type(exc).__name__}; check the port and that "
            "special characters in the user and password are percent-encoded)"
        ) from None
    if not config.get("ENGINE"):
        raise ImproperlyConfigured("DATABASE_URL: unsupported scheme")
    return config


EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "submission": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "memory": "django.core.mail.backends.locmem.EmailBackend",
}


# anymail+<esp>://CREDENTIALS@?param=value: for each ESP, the ANYMAIL settings that the user
# and password name, and the query parameters it takes (each one ANYMAIL["<ESP>_<PARAM>"]).
ANYMAIL_ESPS = {
    "amazon_ses": ((), ("region", "configuration_set_name")),
    "brevo": (("BREVO_API_KEY",), ("api_url",)),
    "mailgun": (("MAILGUN_API_KEY",), ("sender_domain", "api_url", "webhook_signing_key")),
    "mailjet": (("MAILJET_API_KEY", "MAILJET_SECRET_KEY"), ("api_url",)),
    "postmark": (("POSTMARK_SERVER_TOKEN",), ("message_stream", "api_url")),
    "sendgrid": (("SENDGRID_API_KEY",), ("api_url", "tracking_webhook_verification_key")),
    "sparkpost": (("SPARKPOST_API_KEY",), ("subaccount", "api_url")),
}
ANYMAIL_EXAMPLES = {
    "amazon_ses": "anymail+amazon-ses://?region=eu-west-1",
    "mailjet": "anymail+mailjet://API_KEY:SECRET_KEY@",
    "postmark": "anymail+postmark://SERVER_TOKEN@",
}


def email(default_url: str) -> dict:
    """Django email settings from EMAIL_URL: smtp://user:pass@host:port, console://, file:///dir,
    memory://; `?tls=1` or `smtps://` for TLS; anymail+<esp>://KEY@?… for an email service
    provider's API through django-anymail (with an `ANYMAIL` settings dict). Messages name
    EMAIL_URL and never repeat it: it holds a password."""
    from urllib.parse import unquote, urlsplit

    url = os.environ.get("EMAIL_URL", default_url)
    parts = urlsplit(url)
    if parts.scheme.startswith("anymail+"):
        return anymail(url)
    backend = EMAIL_BACKENDS.get(parts.scheme)
    if backend is None:
        known = ", ".join([*sorted(EMAIL_BACKENDS), "anymail+<esp>"])
        raise ImproperlyConfigured(f"EMAIL_URL: the scheme must be one of {known}")
    smtp = backend.endswith("smtp.EmailBackend")
    query = url_query(parts.query, f"{parts.scheme}://", ("tls",) if smtp else ())
    settings = {"EMAIL_BACKEND": backend}
    if parts.scheme == "file":
        settings["EMAIL_FILE_PATH"] = parts.path or "var/mail"
    if smtp:
        try:
            port = parts.port
        except ValueError:
            raise ImproperlyConfigured(
                "EMAIL_URL: the port must be a number from 0 to 65535"
            ) from None
        tls = _email_tls(query.get("tls"), parts.scheme)
        settings.update(
            EMAIL_HOST=parts.hostname or "localhost",
            EMAIL_PORT=port
            or (465 if parts.scheme == "smtps" else 587 if parts.scheme == "submission" else 25),
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_SSL=parts.scheme == "smtps",
            EMAIL_USE_TLS=tls or parts.scheme == "submission",
        )
    return settings


def url_query(query: str, scheme: str, allowed: tuple[str, ...]) -> dict[str, str]:
    """EMAIL_URL's query parameters: each one known, given once and not empty."""
    from urllib.parse import parse_qsl

    pairs = parse_qsl(query, keep_blank_values=True)
    names = [name for name, _value in pairs]
    for name, value in pairs:
        if name not in allowed:
            takes = f"takes {', '.join(allowed)}" if allowed else "takes no parameter"
            raise ImproperlyConfigured(f"EMAIL_URL: {scheme} {takes}, not {name!r}")
        if names.count(name) > 1:
            raise ImproperlyConfigured(f"EMAIL_URL: {name} is given more than once")
        if not value.strip():
            raise ImproperlyConfigured(f"EMAIL_URL: {name} is empty")
    return dict(pairs)


def _email_tls(raw: str | None, scheme: str) -> bool:
    if raw is None:
        return False
    word = raw.strip().lower()
    if word not in TRUE_WORDS | FALSE_WORDS:
        words = ", ".join(["1", "true", "yes", "on", "0", "false", "no", "off"])
        raise ImproperlyConfigured(f"EMAIL_URL: tls must be one of {words}")
    if word in TRUE_WORDS and scheme == "smtps":
        raise ImproperlyConfigured("EMAIL_URL: smtps:// is already TLS (no ?tls=1 with it)")
    return word in TRUE_WORDS


def anymail(url: str) -> dict:
    """EMAIL_BACKEND and ANYMAIL for anymail+<esp>://USER[:PASSWORD]@?param=value, e.g.
    anymail+postmark://SERVER_TOKEN@, anymail+mailgun://API_KEY@?sender_domain=mg.example.com,
    anymail+amazon-ses://?region=eu-west-1 (AWS credentials from the usual AWS variables; a
    URL scheme cannot hold "_", so ESP names take "-" there)."""
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    esp = parts.scheme.removeprefix("anymail+").replace("-", "_")
    if esp not in ANYMAIL_ESPS:
        known = ", ".join(f"anymail+{name.replace('_', '-')}" for name in ANYMAIL_ESPS)
        raise ImproperlyConfigured(f"EMAIL_URL: {esp!r} is not one of {known}")
    credentials, params = ANYMAIL_ESPS[esp]
    example = ANYMAIL_EXAMPLES.get(esp, f"anymail+{esp}://API_KEY@")
    scheme = example.partition(":")[0]
    if parts.netloc.rpartition("@")[2] or parts.path:
        raise ImproperlyConfigured(
            f"EMAIL_URL: {scheme} takes no host or path (e.g. {example}; "
            "another API address goes in ?api_url=)"
        )
    given = [unquote(value) for value in (parts.username, parts.password) if value]
    if len(given) != len(credentials):
        raise ImproperlyConfigured(f"EMAIL_URL: expected {example}")
    prefix = esp.upper()
    settings = dict(zip(credentials, given, strict=True))
    for param, value in url_query(parts.query, scheme, params).items():
        if param == "api_url" and not _is_web_address(value):
            raise ImproperlyConfigured("EMAIL_URL: api_url must be an https:// address")
        if param == "region":
            settings["AMAZON_SES_CLIENT_PARAMS"] = {"region_name": value}
        else:
            settings[f"{prefix}_{param.upper()}"] = value
    if esp == "amazon_ses" and importlib.util.find_spec("boto3") is None:
        raise ImproperlyConfigured(
            "EMAIL_URL: anymail+amazon-ses needs boto3 (pip install 'django-anymail[amazon-ses]')"
        )
    return {"EMAIL_BACKEND": f"anymail.backends.{esp}.EmailBackend", "ANYMAIL": settings}


def _is_web_address(value: str) -> bool:
    from urllib.parse import urlsplit

    parts = urlsplit(value)
    return parts.scheme in ("https", "http") and bool(parts.netloc)


def anymail_webhook_secret() -> list[str]:
    """ANYMAIL_WEBHOOK_SECRET: the user:password the provider's webhooks send as HTTP basic
    auth (several, comma-separated, while one is being rotated)."""
    secrets_ = env_list("ANYMAIL_WEBHOOK_SECRET", [])
    for secret in secrets_:
        user, colon, password = secret.partition(":")
        if not (user and colon and password):
            raise ImproperlyConfigured(
                "ANYMAIL_WEBHOOK_SECRET: expected user:password (random, both parts)"
            )
    return secrets_


def anymail_webhooks(backend: str, anymail_settings: dict) -> dict:
    """ANYMAIL's webhook settings: the basic-auth secret, only with an anymail provider in
    EMAIL_URL (the only one whose webhook is mounted), and Mailgun's signing key, without
    which anymail would check Mailgun's signatures against the API key and refuse them all."""
    secrets_ = anymail_webhook_secret()
    if not secrets_:
        return {}
    if not backend.startswith("anymail.backends."):
        raise ImproperlyConfigured(
            "ANYMAIL_WEBHOOK_SECRET: set, but EMAIL_URL names no anymail+<esp> provider"
        )
    if backend == "anymail.backends.mailgun.EmailBackend" and not anymail_settings.get(
        "MAILGUN_WEBHOOK_SIGNING_KEY"
    ):
        raise ImproperlyConfigured(
            "EMAIL_URL: Mailgun's webhooks need ?webhook_signing_key= (its HTTP webhook "
            "signing key, percent-encoded)"
        )
    return {"WEBHOOK_SECRET": secrets_}
