"""Reading settings from the environment, failing with one line that names the setting."""

import os
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
    raise ImproperlyConfigured(f"{name}: expected true or false, got {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


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


def database(default_url: str) -> dict:
    import dj_database_url

    url = os.environ.get("DATABASE_URL", default_url)
    try:
        config = dj_database_url.parse(url, conn_max_age=60)
    except Exception as exc:  # dj-database-url raises several kinds for a bad URL
        raise ImproperlyConfigured(f"DATABASE_URL: cannot parse {url!r} ({exc})") from exc
    if not config.get("ENGINE"):
        raise ImproperlyConfigured(f"DATABASE_URL: unsupported scheme in {url!r}")
    return config


EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "submission": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "memory": "django.core.mail.backends.locmem.EmailBackend",
}


def email(default_url: str) -> dict:
    """Django email settings from EMAIL_URL: smtp://user:pass@host:port, console://, file:///dir,
    memory://; `?tls=1` or `smtps://` for TLS."""
    from urllib.parse import parse_qs, unquote, urlsplit

    url = os.environ.get("EMAIL_URL", default_url)
    parts = urlsplit(url)
    backend = EMAIL_BACKENDS.get(parts.scheme)
    if backend is None:
        known = ", ".join(sorted(EMAIL_BACKENDS))
        raise ImproperlyConfigured(f"EMAIL_URL: scheme {parts.scheme!r} is not one of {known}")
    settings = {"EMAIL_BACKEND": backend}
    if parts.scheme == "file":
        settings["EMAIL_FILE_PATH"] = parts.path or "var/mail"
    if backend.endswith("smtp.EmailBackend"):
        query = parse_qs(parts.query)
        try:
            port = parts.port
        except ValueError as exc:
            raise ImproperlyConfigured(f"EMAIL_URL: bad port in {url!r}") from exc
        settings.update(
            EMAIL_HOST=parts.hostname or "localhost",
            EMAIL_PORT=port
            or (465 if parts.scheme == "smtps" else 587 if parts.scheme == "submission" else 25),
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_SSL=parts.scheme == "smtps",
            EMAIL_USE_TLS=query.get("tls", ["0"])[0] in TRUE_WORDS or parts.scheme == "submission",
        )
    return settings
