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
