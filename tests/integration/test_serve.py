"""The production stack of docs/deploy.md, for real: `relance serve` with DEBUG off on a
throwaway PostgreSQL database and Redis (db 7), gunicorn with a Celery worker and beat.
/healthz sees both, whitenoise serves the hashed and compressed static files, the access
log redacts callback tokens, and SIGTERM stops the three (make test-integration)."""

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psycopg
import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
RELANCE = [sys.executable, "-m", "relance"]
PG = "postgresql://postgres@127.0.0.1:5432"
START_TIMEOUT = 120  # seconds: a loaded CI machine starts Celery slowly


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def production_env(tmp_path):
    name = f"relance_serve_{os.getpid()}"
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    env = {
        **os.environ,
        "DATABASE_URL": f"{PG}/{name}",
        "DEBUG": "false",
        "SECRET_KEY": "integration-" + "s" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "false",
        "STATIC_MANIFEST": "true",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/7",
        "RELANCE_VAR": str(tmp_path / "var"),
        "EMAIL_URL": "memory://",
    }
    for command in (["migrate", "--no-input", "-v", "0"], ["collectstatic", "--no-input"]):
        subprocess.run([*RELANCE, *command], env=env, check=True, cwd=ROOT, capture_output=True)
    yield env
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@contextlib.contextmanager
def serving(env: dict, port: int, log: Path):
    with open(log, "w") as out:
        server = subprocess.Popen(
            [*RELANCE, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1",
             "--concurrency", "1"],
            env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            yield server
        finally:
            if server.poll() is None:
                server.terminate()  # stops its children too
                server.wait(90)


def wait_for(condition, what: str):
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.5)
    raise AssertionError(f"still waiting for {what} after {START_TIMEOUT} s")


def healthz(base: str):
    with contextlib.suppress(httpx.HTTPError):
        response = httpx.get(f"{base}/healthz", timeout=5)
        if response.status_code == 200:
            return response


def test_the_production_stack_serves_checks_and_stops(production_env, tmp_path):
    port, log = free_port(), tmp_path / "serve.log"
    base = f"http://127.0.0.1:{port}"
    with serving(production_env, port, log) as server:
        health = wait_for(lambda: healthz(base), "/healthz")
        assert health.json() == {"database": "ok", "broker": "ok"}
        wait_for(lambda: "ready." in log.read_text(), "the Celery worker")
        wait_for(lambda: "beat: Starting" in log.read_text(), "Celery beat")

        login = httpx.get(f"{base}/login/")
        assert login.status_code == 200
        stylesheet = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', login.text)
        assert stylesheet, "no hashed stylesheet: the manifest storage is not in use"
        static = httpx.get(base + stylesheet[1], headers={"Accept-Encoding": "gzip"})
        assert static.status_code == 200
        assert static.headers["Content-Encoding"] == "gzip"
        assert "immutable" in static.headers["Cache-Control"]

        httpx.post(f"{base}/delivery/callbacks/1/tok-s3cr3t-value/")
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=90) == 0

    output = log.read_text()
    assert "/delivery/callbacks/1/[redacted]/" in output
    assert "tok-s3cr3t-value" not in output
    with pytest.raises(httpx.ConnectError):  # gunicorn is gone, not only its parent
        httpx.get(f"{base}/healthz", timeout=5)
