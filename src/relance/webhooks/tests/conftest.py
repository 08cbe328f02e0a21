"""A webhook receiver on 127.0.0.1 (a real HTTP server in a thread) that checks each
request's signature the way docs/webhooks.md tells integrators to, and answers with the
statuses it is given, then 200."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

# The engine's and delivery's fixtures: Acme working every day, scenario S, a real SMTP server.
from relance.delivery.tests.conftest import (  # noqa: F401
    provider,
    sms_scenario,
    smtp,
    smtp_refusing,
)
from relance.engine.tests.conftest import acme_daily, email_template, scenario_s  # noqa: F401


def verify(secret: str, header: str, body: bytes) -> bool:
    """The integrator's check, as docs/webhooks.md writes it."""
    parts = dict(part.split("=", 1) for part in header.split(","))
    expected = hmac.new(
        secret.encode(), parts["t"].encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])


class Receiver:
    def __init__(self):
        self.requests: list[dict] = []
        self.statuses: list[int] = []  # answered in turn, then 200
        self.secret = ""
        server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server = server
        self.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
        self.thread = threading.Thread(target=server.serve_forever, daemon=True)
        self.thread.start()

    def _handler(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append(
                    {
                        "headers": dict(self.headers),
                        "body": json.loads(body),
                        "signed": verify(receiver.secret, self.headers["Relance-Signature"], body),
                    }
                )
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"ok" if status == 200 else b"boom")

            def log_message(self, *args):
                pass

        return Handler

    def events(self, kind: str | None = None) -> list[dict]:
        return [r["body"] for r in self.requests if kind is None or r["body"]["type"] == kind]


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


@pytest.fixture
def subscribe(receiver):
    """Subscribe the receiver to `events` of `entity`; it learns the secret."""
    from relance.webhooks.services import subscription_create

    def subscribe(entity, events):
        subscription, secret = subscription_create(entity=entity, url=receiver.url, events=events)
        receiver.secret = secret
        return subscription

    return subscribe
