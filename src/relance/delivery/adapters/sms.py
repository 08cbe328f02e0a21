"""SMS adapters: a Twilio-compatible REST API and a generic HTTP JSON API. Both carry the
outbox key as `Idempotency-Key`, so a retry after a timeout is not a second SMS."""

from urllib.parse import urlencode

from relance.delivery.adapters.base import Message, SendResult
from relance.delivery.adapters.http import DEFAULT_TIMEOUT, BearerApi, basic_auth, call, post_json

TWILIO_URL = "https://api.twilio.com"


class TwilioAdapter:
    """Settings: url (default api.twilio.com), account_sid, auth_token, sender, timeout."""

    def __init__(self, options: dict):
        self.base = (options.get("url") or TWILIO_URL).rstrip("/")
        self.sid = options.get("account_sid", "")
        self.auth = basic_auth(self.sid, options.get("auth_token", ""))
        self.timeout = float(options.get("timeout") or DEFAULT_TIMEOUT)

    def _url(self, tail: str = "") -> str:
        return f"{self.base}/2010-04-01/Accounts/{self.sid}/Messages{tail}.json"

    def send(self, message: Message) -> SendResult:
        form = {"To": message.to, "From": message.sender, "Body": message.text}
        if message.callback_url:
            form["StatusCallback"] = message.callback_url
        headers = {
            "Authorization": self.auth,
            "Content-Type": "application/x-www-form-urlencoded",
            "Idempotency-Key": message.key,
        }
        body = urlencode(form).encode()
        answer = call("POST", self._url(), body=body, headers=headers, timeout=self.timeout)
        return SendResult(provider_id=answer.get("sid", ""), status=answer.get("status", "queued"))

    def status(self, provider_id: str) -> str:
        headers = {"Authorization": self.auth}
        answer = call("GET", self._url(f"/{provider_id}"), headers=headers, timeout=self.timeout)
        return answer.get("status", "")


class HttpJsonAdapter(BearerApi):
    """Settings: url (POST target; GET <url>/<id> for the status), api_key (Bearer),
    sender, timeout. Body: {to, from, text, idempotency_key}; answer: {id, status}."""

    def send(self, message: Message) -> SendResult:
        data = {
            "to": message.to,
            "from": message.sender,
            "text": message.text,
            "idempotency_key": message.key,
        }
        if message.callback_url:
            data["callback_url"] = message.callback_url
        headers = {**self.headers, "Idempotency-Key": message.key}
        answer = post_json(self.url, data, headers=headers, timeout=self.timeout)
        return SendResult(provider_id=str(answer.get("id", "")), status=answer.get("status", ""))

    def status(self, provider_id: str) -> str:
        answer = call(
            "GET", f"{self.url}/{provider_id}", headers=self.headers, timeout=self.timeout
        )
        return answer.get("status", "")
