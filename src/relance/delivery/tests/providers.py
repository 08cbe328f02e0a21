"""A fake provider for the adapter tests: a real HTTP server on 127.0.0.1 and a free port
(http.server in a thread) that speaks the Twilio, generic JSON, print-and-mail and
electronic registered mail dialects, dedupes on the idempotency key, and can be told to
refuse, answer 500, or answer too late."""

import base64
import json
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


@dataclass
class Behaviour:
    refuse: str = ""  # answer 400 with this reason
    fail: bool = False  # answer 500
    slow: float = 0.0  # accept, then answer after this many seconds (once)
    initial_status: str = ""
    # Answer with proofs: a print-and-mail letter's deposit receipt (a registered one's
    # tracking number too), an e-registered letter's proof document (base64 PDFs).
    proofs: bool = False


# What the provider gives as proof documents when `Behaviour.proofs` is set.
DEPOSIT_PDF = b"%PDF-1.4\n% deposit receipt\n%%EOF\n"
EREG_PDF = b"%PDF-1.4\n% e-registered proof of deposit\n%%EOF\n"


def b64(content: bytes) -> str:
    return base64.b64encode(content).decode("ascii")


@dataclass
class Provider:
    server: ThreadingHTTPServer = None
    behaviour: Behaviour = field(default_factory=Behaviour)
    requests: list = field(default_factory=list)  # every request: (method, path, headers, body)
    accepted: dict = field(default_factory=dict)  # idempotency key -> message record
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def messages(self) -> list[dict]:
        return list(self.accepted.values())


def _parse(handler) -> dict:
    length = int(handler.headers.get("Content-Length") or 0)
    raw = handler.rfile.read(length)
    kind = handler.headers.get("Content-Type", "")
    if kind.startswith("application/json"):
        return json.loads(raw or b"{}")
    if kind.startswith("application/x-www-form-urlencoded"):
        return {k: v[0] for k, v in parse_qs(raw.decode()).items()}
    if kind.startswith("multipart/form-data"):
        head = f"Content-Type: {kind}\r\n\r\n".encode()
        parsed = message_from_bytes(head + raw, policy=policy.HTTP)
        data = {}
        for part in parsed.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if part.get_filename():
                data[name] = part.get_payload(decode=True)
            else:
                data[name] = part.get_payload(decode=True).decode()
        return data
    return {}


def make_handler(provider: Provider):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _answer(self, code: int, data: dict):
            body = json.dumps(data).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            provider.requests.append(("GET", self.path, dict(self.headers), None))
            wanted = self.path.rstrip("/").rsplit("/", 1)[-1].removesuffix(".json")
            for record in provider.messages:
                if wanted in (record["id"], record["sid"]):
                    return self._answer(200, {k: v for k, v in record.items() if k != "data"})
            return self._answer(404, {"message": "not found"})

        def do_POST(self):
            data = _parse(self)
            provider.requests.append(("POST", self.path, dict(self.headers), data))
            behaviour = provider.behaviour
            if behaviour.refuse:
                return self._answer(400, {"code": 21211, "message": behaviour.refuse})
            if behaviour.fail:
                return self._answer(500, {"error": "internal error"})
            key = self.headers.get("Idempotency-Key") or data.get("idempotency_key")
            with provider.lock:
                record = provider.accepted.get(key)
                replay = record is not None
                if not replay:
                    number = len(provider.accepted) + 1
                    record = {
                        "id": f"MSG{number}",
                        "sid": f"SM{number}",
                        "status": behaviour.initial_status or "accepted",
                        "key": key,
                        "path": self.path,
                        "data": data,
                    }
                    if self.path.endswith("/messages"):
                        record["proof"] = {"receipt": f"deposit-{number}", "sent_at": "now"}
                        if behaviour.proofs:
                            record["proof"]["document"] = b64(EREG_PDF)
                    elif self.path.endswith("/letters") and behaviour.proofs:
                        record["deposit_receipt"] = b64(DEPOSIT_PDF)
                        if data.get("registered") == "true":
                            record["tracking_number"] = f"1A{number:011d}"
                    provider.accepted[key] = record
            if behaviour.slow and not replay:
                delay, behaviour.slow = behaviour.slow, 0.0
                time.sleep(delay)
            public = {k: v for k, v in record.items() if k != "data"}
            return self._answer(200 if replay else 201, public)

    return Handler


def start_provider() -> Provider:
    provider = Provider()
    provider.server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(provider))
    provider.server.daemon_threads = True
    threading.Thread(target=provider.server.serve_forever, daemon=True).start()
    return provider


def stop_provider(provider: Provider) -> None:
    provider.server.shutdown()
    provider.server.server_close()


def pdf_of(record: dict) -> bytes:
    data = record["data"]
    if "document" in data:
        return base64.b64decode(data["document"])
    return data["file"]
