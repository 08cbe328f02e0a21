"""A fake Stripe API on 127.0.0.1 for the tests: it speaks the little the adapter uses
(POST /v1/checkout/sessions, form-encoded, with an Idempotency-Key) and records what it
received, so the tests go through the real SDK and its HTTP client. Also signs webhook
bodies exactly as Stripe does."""

import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl


def form_decode(body: str) -> dict:
    """Stripe's form encoding (`line_items[0][price_data][currency]=eur`) back to nested
    dicts and lists."""
    root: dict = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        parts = re.findall(r"[^\[\]]+", key)
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return _listify(root)


def _listify(node):
    if not isinstance(node, dict):
        return node
    if node and all(key.isdigit() for key in node):
        return [_listify(node[key]) for key in sorted(node, key=int)]
    return {key: _listify(value) for key, value in node.items()}


def sign(payload: str, secret: str, timestamp: int | None = None) -> str:
    """A Stripe-Signature header: t=<timestamp>,v1=HMAC-SHA256(secret, "<t>.<payload>")."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(
        secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256
    ).hexdigest()
    return f"t={timestamp},v1={digest}"


class FakeStripe:
    """Runs in a thread; `requests` holds what it received, `sessions` what it answered."""

    def __init__(self):
        self.requests: list[dict] = []
        self.sessions: dict[str, dict] = {}
        self.by_idempotency_key: dict[str, str] = {}
        self.fail_with: tuple[int, dict] | None = None
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "FakeStripe":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def _session_create(self, params: dict, idempotency_key: str | None) -> tuple[int, dict]:
        with self._lock:
            if self.fail_with:
                return self.fail_with
            if idempotency_key and idempotency_key in self.by_idempotency_key:
                return 200, self.sessions[self.by_idempotency_key[idempotency_key]]
            session_id = "cs_test_" + secrets.token_hex(12)
            lines = params.get("line_items", [])
            session = {
                "id": session_id,
                "object": "checkout.session",
                "url": f"https://checkout.stripe.test/c/pay/{session_id}",
                "status": "open",
                "payment_status": "unpaid",
                "mode": params.get("mode"),
                "amount_total": sum(
                    int(line["price_data"]["unit_amount"]) * int(line.get("quantity", 1))
                    for line in lines
                ),
                "currency": lines[0]["price_data"]["currency"] if lines else None,
                "metadata": params.get("metadata", {}),
                "client_reference_id": params.get("client_reference_id"),
                "success_url": params.get("success_url"),
                "cancel_url": params.get("cancel_url"),
            }
            self.sessions[session_id] = session
            if idempotency_key:
                self.by_idempotency_key[idempotency_key] = session_id
            return 200, session

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                params = form_decode(body)
                fake.requests.append(
                    {
                        "path": self.path,
                        "headers": dict(self.headers),
                        "params": params,
                    }
                )
                if self.path == "/v1/checkout/sessions":
                    status, answer = fake._session_create(
                        params, self.headers.get("Idempotency-Key")
                    )
                else:
                    status, answer = 404, {"error": {"type": "invalid_request_error"}}
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Request-Id", "req_fake")
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format, *args):
                pass

        return Handler
