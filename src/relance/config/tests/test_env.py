"""Configuration errors name the variable and never repeat its value: DATABASE_URL and
EMAIL_URL hold passwords, and start-up messages end up in logs."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from relance.config import env

PASSWORD = "Hunter2-s3cret"
BASE_ENV = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}


@pytest.mark.parametrize(
    "url",
    [
        f"postgres://relance:{PASSWORD}@db.example:port/relance",
        f"postgres://relance:{PASSWORD}@db.example:99999/relance",
        f"mysqlx://relance:{PASSWORD}@db.example/relance",
        f"relance:{PASSWORD}@db.example/relance",
    ],
)
def test_a_bad_database_url_is_named_without_its_password(monkeypatch, url):
    monkeypatch.setenv("DATABASE_URL", url)

    with pytest.raises(ImproperlyConfigured) as caught:
        env.database("sqlite://")

    message = str(caught.value)
    assert message.startswith("DATABASE_URL: ")
    assert PASSWORD not in message
    assert caught.value.__cause__ is None  # nor in a chained exception's words


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"smtp://relance:{PASSWORD}@mail.example:port", "the port must be a number"),
        (f"smtp://relance:{PASSWORD}@mail.example?tls=maybe", "tls must be one of 1, true"),
        (f"smtp://relance:{PASSWORD}@mail.example?tsl=1", "smtp:// takes tls, not 'tsl'"),
        (f"smtp://relance:{PASSWORD}@mail.example?tls=1&tls=0", "tls is given more than once"),
        (f"smtp://relance:{PASSWORD}@mail.example?tls=", "tls is empty"),
        (f"smtps://relance:{PASSWORD}@mail.example?tls=1", "smtps:// is already TLS"),
        (f"console://?password={PASSWORD}", "console:// takes no parameter, not 'password'"),
        (f"pigeon://relance:{PASSWORD}@loft", "the scheme must be one of console, file"),
        (f"anymail+postmark://{PASSWORD}@?stream=outbound", "takes message_stream, api_url"),
        (f"anymail+postmark://{PASSWORD}@?api_url=ftp://x", "api_url must be an https://"),
        (f"anymail+postmark://{PASSWORD}@?message_stream=", "message_stream is empty"),
        (f"anymail+postmark://{PASSWORD}@host:port", "takes no host or path"),
        (f"anymail+mailjet://{PASSWORD}@", "expected anymail+mailjet://API_KEY:SECRET_KEY@"),
    ],
)
def test_a_bad_email_url_is_refused_naming_the_part_not_the_password(monkeypatch, url, expected):
    monkeypatch.setenv("EMAIL_URL", url)

    with pytest.raises(ImproperlyConfigured) as caught:
        env.email("console://")

    message = str(caught.value)
    assert message.startswith("EMAIL_URL: ")
    assert expected in message
    assert PASSWORD not in message


@pytest.mark.parametrize(("raw", "tls"), [("1", True), ("on", True), ("0", False), ("no", False)])
def test_tls_takes_the_words_of_a_boolean(monkeypatch, raw, tls):
    monkeypatch.setenv("EMAIL_URL", f"smtp://mail.example?tls={raw}")
    assert env.email("console://")["EMAIL_USE_TLS"] is tls


def test_the_start_up_error_names_the_variable_and_keeps_the_password_out(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "relance", "check"],
        env={
            **BASE_ENV,
            "RELANCE_VAR": str(tmp_path),
            "DATABASE_URL": f"postgres://relance:{PASSWORD}@db.example:port/relance",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr
    assert PASSWORD not in result.stdout + result.stderr


def test_the_webhook_secret_needs_an_anymail_provider_and_mailgun_its_signing_key(monkeypatch):
    monkeypatch.setenv("ANYMAIL_WEBHOOK_SECRET", "relance:s3cret")

    with pytest.raises(ImproperlyConfigured, match="ANYMAIL_WEBHOOK_SECRET: set, but EMAIL_URL"):
        env.anymail_webhooks("django.core.mail.backends.smtp.EmailBackend", {})
    with pytest.raises(ImproperlyConfigured, match="webhook_signing_key"):
        env.anymail_webhooks("anymail.backends.mailgun.EmailBackend", {"MAILGUN_API_KEY": "k"})
    signed = {"MAILGUN_API_KEY": "k", "MAILGUN_WEBHOOK_SIGNING_KEY": "s"}
    assert env.anymail_webhooks("anymail.backends.mailgun.EmailBackend", signed) == {
        "WEBHOOK_SECRET": ["relance:s3cret"]
    }
    monkeypatch.delenv("ANYMAIL_WEBHOOK_SECRET")
    assert env.anymail_webhooks("django.core.mail.backends.smtp.EmailBackend", {}) == {}


def test_sendgrid_takes_its_webhook_verification_key(monkeypatch):
    monkeypatch.setenv(
        "EMAIL_URL", "anymail+sendgrid://SG.key@?tracking_webhook_verification_key=MFkw%2BEw%3D"
    )
    assert env.email("console://")["ANYMAIL"] == {
        "SENDGRID_API_KEY": "SG.key",
        "SENDGRID_TRACKING_WEBHOOK_VERIFICATION_KEY": "MFkw+Ew=",
    }


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", None),
        ("X-Forwarded-Proto", ("HTTP_X_FORWARDED_PROTO", "https")),
        ("X-Forwarded-Ssl: on", ("HTTP_X_FORWARDED_SSL", "on")),
    ],
)
def test_the_proxy_ssl_header_is_read_from_its_name(monkeypatch, raw, expected):
    monkeypatch.setenv("SECURE_PROXY_SSL_HEADER", raw)
    assert env.proxy_ssl_header() == expected


def test_a_malformed_proxy_ssl_header_is_refused(monkeypatch):
    monkeypatch.setenv("SECURE_PROXY_SSL_HEADER", "X Forwarded Proto")
    with pytest.raises(ImproperlyConfigured, match="SECURE_PROXY_SSL_HEADER: expected"):
        env.proxy_ssl_header()
