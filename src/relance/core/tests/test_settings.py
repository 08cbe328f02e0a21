"""Production settings refuse to start on a missing or malformed value, in one line naming it."""

import os
import subprocess
import sys

import pytest

BASE_ENV = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}


def run_check(tmp_path, **env):
    return subprocess.run(
        [sys.executable, "-m", "relance", "check"],
        env={**BASE_ENV, "RELANCE_VAR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DEBUG": "false", "ALLOWED_HOSTS": "example.com"}, "SECRET_KEY"),
        ({"DEBUG": "false", "SECRET_KEY": "x" * 40}, "ALLOWED_HOSTS"),
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"DATABASE_URL": "nosuchdb://x"}, "DATABASE_URL"),
        ({"EMAIL_URL": "pigeon://loft"}, "EMAIL_URL"),
        ({"EMAIL_URL": "anymail+postmark://"}, "EMAIL_URL"),
        ({"ANYMAIL_WEBHOOK_SECRET": "no-colon"}, "ANYMAIL_WEBHOOK_SECRET"),
        ({"RELANCE_ENGINE_PROCESSES": "two"}, "RELANCE_ENGINE_PROCESSES"),
        ({"RELANCE_ENGINE_PROCESSES": "-1"}, "RELANCE_ENGINE_PROCESSES"),
    ],
)
def test_a_bad_setting_stops_start_up_with_one_line_naming_it(tmp_path, env, named):
    result = run_check(tmp_path, **env)

    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert named in lines[0]


def test_the_demo_defaults_start_and_generate_a_secret_key_once(tmp_path):
    first = run_check(tmp_path)
    key = (tmp_path / "secret_key").read_text()
    second = run_check(tmp_path)

    assert first.returncode == 0, first.stderr
    assert second.returncode == 0
    assert len(key) >= 50
    assert (tmp_path / "secret_key").read_text() == key


def test_email_url_schemes_map_to_django_backends(monkeypatch):
    from relance.config import env

    monkeypatch.setenv("EMAIL_URL", "smtp://user:p%40ss@mail.example.com:2525?tls=1")
    smtp = env.email("console://")
    monkeypatch.setenv("EMAIL_URL", "memory://")
    memory = env.email("console://")

    assert smtp["EMAIL_HOST"] == "mail.example.com"
    assert smtp["EMAIL_PORT"] == 2525
    assert smtp["EMAIL_HOST_PASSWORD"] == "p@ss"
    assert smtp["EMAIL_USE_TLS"] is True
    assert memory["EMAIL_BACKEND"] == "django.core.mail.backends.locmem.EmailBackend"


@pytest.mark.parametrize(
    ("url", "backend", "anymail"),
    [
        ("anymail+postmark://server-token@", "postmark", {"POSTMARK_SERVER_TOKEN": "server-token"}),
        (
            "anymail+mailgun://key-123@?sender_domain=mg.acme.example&webhook_signing_key=s%2Bk",
            "mailgun",
            {
                "MAILGUN_API_KEY": "key-123",
                "MAILGUN_SENDER_DOMAIN": "mg.acme.example",
                "MAILGUN_WEBHOOK_SIGNING_KEY": "s+k",
            },
        ),
        ("anymail+sendgrid://SG.abc.def@", "sendgrid", {"SENDGRID_API_KEY": "SG.abc.def"}),
        ("anymail+brevo://xkeysib-1@", "brevo", {"BREVO_API_KEY": "xkeysib-1"}),
        (
            "anymail+mailjet://public:private@",
            "mailjet",
            {"MAILJET_API_KEY": "public", "MAILJET_SECRET_KEY": "private"},
        ),
    ],
)
def test_anymail_schemes_map_to_an_esp_backend(monkeypatch, url, backend, anymail):
    from relance.config import env

    monkeypatch.setenv("EMAIL_URL", url)
    assert env.email("console://") == {
        "EMAIL_BACKEND": f"anymail.backends.{backend}.EmailBackend",
        "ANYMAIL": anymail,
    }


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("anymail+pigeon://key@", "'pigeon' is not one of anymail+amazon-ses, anymail+brevo"),
        ("anymail+postmark://", "EMAIL_URL: expected anymail+postmark://SERVER_TOKEN@"),
        ("anymail+mailjet://public@", "EMAIL_URL: expected anymail+mailjet://API_KEY:SECRET_KEY@"),
        ("anymail+sendgrid://key@api.sendgrid.com", "takes no host or path"),
        ("anymail+mailgun://key@?domain=x", "takes sender_domain, api_url, webhook_signing_key"),
    ],
)
def test_a_malformed_anymail_url_names_email_url(monkeypatch, url, message):
    from django.core.exceptions import ImproperlyConfigured

    from relance.config import env

    monkeypatch.setenv("EMAIL_URL", url)
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL") as caught:
        env.email("console://")
    assert message in str(caught.value)


def test_amazon_ses_takes_its_region_or_asks_for_boto3(monkeypatch):
    import importlib.util

    from django.core.exceptions import ImproperlyConfigured

    from relance.config import env

    monkeypatch.setenv("EMAIL_URL", "anymail+amazon-ses://?region=eu-west-3")
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: object())
    assert env.email("console://") == {
        "EMAIL_BACKEND": "anymail.backends.amazon_ses.EmailBackend",
        "ANYMAIL": {"AMAZON_SES_CLIENT_PARAMS": {"region_name": "eu-west-3"}},
    }
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ImproperlyConfigured, match="needs boto3"):
        env.email("console://")


def test_an_esp_with_its_webhook_secret_starts(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'relance.config.settings';"
            "django.setup(); from django.conf import settings; from django.urls import reverse;"
            "print(settings.EMAIL_BACKEND, settings.ANYMAIL['WEBHOOK_SECRET'],"
            " reverse('anymail:postmark_tracking_webhook'))",
        ],
        env={
            **BASE_ENV,
            "RELANCE_VAR": str(tmp_path),
            "EMAIL_URL": "anymail+postmark://server-token@",
            "ANYMAIL_WEBHOOK_SECRET": "relance:s3cret,relance:n3xt",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "anymail.backends.postmark.EmailBackend",
        "['relance:s3cret',",
        "'relance:n3xt']",
        "/anymail/postmark/tracking/",
    ]
