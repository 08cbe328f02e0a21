"""A small HTTP client over urllib for the provider adapters: JSON and multipart bodies,
a short timeout, and the provider's failures turned into `ProviderError`s."""

import base64
import json
import uuid
from urllib import error, request

from relance.delivery.adapters.base import (
    ProviderFailed,
    ProviderRefused,
    ProviderTimeout,
    ProviderUnreachable,
)

DEFAULT_TIMEOUT = 2.0


class BearerApi:
    """What the adapters of JSON APIs with a Bearer key read from their settings: url,
    api_key, timeout (seconds)."""

    def __init__(self, options: dict):
        self.url = options.get("url", "").rstrip("/")
        self.headers = (
            {"Authorization": f"Bearer {options['api_key']}"} if options.get("api_key") else {}
        )
        self.timeout = float(options.get("timeout") or DEFAULT_TIMEOUT)


def basic_auth(user: str, password: str) -> str:
    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return f"Basic {token}"


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]) -> tuple:
    """(body, content type) of a multipart/form-data request."""
    boundary = uuid.uuid4().hex
    lines = []
    for name, value in fields.items():
        lines += [
            f"--{boundary}".encode(),
            f'Content-Disposition: form-data; name="{name}"'.encode(),
            b"",
            str(value).encode(),
        ]
    for name, (filename, content, content_type) in files.items():
        lines += [
            f"--{boundary}".encode(),
            f'Content-Disposition: form-data; name="{name}"; filename="{filename}"'.encode(),
            f"Content-Type: {content_type}".encode(),
            b"",
            content,
        ]
    lines += [f"--{boundary}--".encode(), b""]
    return b"\r\n".join(lines), f"multipart/form-data; boundary={boundary}"


def _reason(body: bytes) -> str:
    try:
        data = json.loads(body)
    except ValueError:
        return body.decode("utf-8", "replace").strip()[:300]
    if isinstance(data, dict):
        found = data.get("message") or data.get("error") or data.get("detail")
        if isinstance(found, dict):
            found = found.get("message")
        if found:
            return str(found)
    return json.dumps(data)[:300]


def call(
    method: str,
    url: str,
    *,
    body: bytes | None = None,
    headers: dict | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> dict:
    """The provider's JSON answer; raises ProviderRefused (4xx), ProviderFailed (5xx),
    ProviderTimeout, ProviderUnreachable."""
    req = request.Request(url, data=body, method=method, headers=headers or {})
    req.add_header("Accept", "application/json")
    try:
        with request.urlopen(req, timeout=timeout) as response:
            raw = response.read()
    except error.HTTPError as exc:
        raw = exc.read()
        reason = _reason(raw) or exc.reason
        if exc.code < 500:
            raise ProviderRefused(reason) from exc
        raise ProviderFailed(f"HTTP {exc.code} {reason}".strip()) from exc
    except TimeoutError as exc:
        raise ProviderTimeout() from exc
    except error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise ProviderTimeout() from exc
        raise ProviderUnreachable(str(exc.reason)) from exc
    except OSError as exc:  # a connection reset while reading the answer
        raise ProviderFailed(str(exc) or type(exc).__name__) from exc
    try:
        return json.loads(raw) if raw else {}
    except ValueError as exc:
        raise ProviderFailed("the answer is not JSON") from exc


def post_json(url: str, data: dict, *, headers: dict | None = None, timeout: float) -> dict:
    headers = {"Content-Type": "application/json", **(headers or {})}
    return call("POST", url, body=json.dumps(data).encode(), headers=headers, timeout=timeout)
