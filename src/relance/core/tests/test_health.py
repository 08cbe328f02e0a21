"""`/healthz` answers a probe without a login, checks the real database and the real Redis
broker on 127.0.0.1, and names what failed without leaking its address or password."""

import json
import os
import socket
import subprocess
import sys

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/0"


def closed_port() -> int:
    """A port nothing listens on: bound by us to find it free, then released."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_healthy_without_a_broker_and_without_a_login(client, settings):
    settings.CELERY_BROKER_URL = ""
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "not configured"}
    assert "no-cache" in response["Cache-Control"]


def test_healthy_with_the_redis_broker(client, settings):
    settings.CELERY_BROKER_URL = REDIS_URL
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}


def test_an_unreachable_broker_answers_503_without_its_address_or_password(client, settings):
    port = closed_port()
    settings.CELERY_BROKER_URL = f"redis://:hunter2-secret@127.0.0.1:{port}/0"
    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "unreachable"}
    body = response.content.decode()
    assert "hunter2" not in body and str(port) not in body


def test_a_post_is_refused(client):
    assert client.post(reverse("healthz")).status_code == 405


def test_an_unreachable_database_answers_503_without_its_password(tmp_path):
    """A real process whose DATABASE_URL points at a closed PostgreSQL port."""
    port = closed_port()
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "response = Client().get('/healthz')\n"
        "print(response.status_code, response.content.decode())\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "relance.config.settings",
        "DATABASE_URL": f"postgres://relance:hunter2-secret@127.0.0.1:{port}/relance",
        "CELERY_BROKER_URL": "",
        "RELANCE_VAR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stderr
    status, body = result.stdout.strip().split(" ", 1)
    assert status == "503"
    assert json.loads(body) == {"database": "unreachable", "broker": "not configured"}
    assert "hunter2" not in result.stdout + result.stderr
