"""Callback tokens and other URL secrets never reach a log line: runserver's and gunicorn's
access logs and Django's request log, on real servers on 127.0.0.1."""

import os
import socket
import subprocess
import sys
import time

import httpx
import pytest

from relance.config.logging import redact

TOKEN = "Zq3-callback-t0ken_Xy"
URL = f"/delivery/callbacks/7/{TOKEN}/?token={TOKEN}Q&status=sent"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            f'"POST /delivery/callbacks/7/{TOKEN}/ HTTP/1.1" 204 0',
            '"POST /delivery/callbacks/7/[redacted]/ HTTP/1.1" 204 0',
        ),
        (
            "GET /portal/?access_token=abc&page=2&Signature=x%2By HTTP/1.1",
            "GET /portal/?access_token=[redacted]&page=2&Signature=[redacted] HTTP/1.1",
        ),
        ("GET /customers/?q=token HTTP/1.1", "GET /customers/?q=token HTTP/1.1"),
    ],
)
def test_redact_hides_the_secret_and_keeps_the_rest(line, expected):
    assert redact(line) == expected


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve_and_call(command: list[str], port: int, tmp_path) -> str:
    """Start the server, send it a callback GET (answered 405, logged by Django as a
    warning), stop it, and answer everything it wrote."""
    log = tmp_path / "server.log"
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "RELANCE_VAR": str(tmp_path),
        "PYTHONUNBUFFERED": "1",
    }
    with log.open("w") as out:
        server = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            answer = _get_when_up(f"http://127.0.0.1:{port}{URL}", server)
        finally:
            server.terminate()
            server.wait(timeout=30)
    assert answer == 405
    return log.read_text()


def _get_when_up(url: str, server: subprocess.Popen) -> int:
    for _attempt in range(300):
        if server.poll() is not None:
            break
        try:
            return httpx.get(url, timeout=10).status_code
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("the server did not answer")


def test_runserver_logs_no_callback_token(tmp_path):
    port = _free_port()
    command = [sys.executable, "-m", "relance", "runserver", "--noreload", f"127.0.0.1:{port}"]

    output = _serve_and_call(command, port, tmp_path)

    assert "/delivery/callbacks/7/[redacted]/" in output  # the access line and the warning
    assert "Method Not Allowed" in output
    assert TOKEN not in output


def test_gunicorn_access_log_shows_no_callback_token(tmp_path):
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--logger-class",
        "relance.config.logging.GunicornLogger",
        "--access-logfile",
        "-",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
        "relance.config.wsgi:application",
    ]

    output = _serve_and_call(command, port, tmp_path)

    assert '"GET /delivery/callbacks/7/[redacted]/?token=[redacted]&status=sent' in output
    assert TOKEN not in output
