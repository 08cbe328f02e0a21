"""The electronic registered mail adapter (a qualified LRE provider's HTTP API): the letter
as a PDF (base64) to <url>/messages with the recipient's email and the idempotency key;
statuses sent, delivered, signed (accepted by the recipient), refused. The provider's proof
(a JSON receipt, possibly with a base64 document) is kept on the outbox row."""

import base64

from relance.delivery.adapters.base import Message, SendResult
from relance.delivery.adapters.http import BearerApi, call, post_json


class EregAdapter(BearerApi):
    """Settings: url, api_key (Bearer), sender (the sender's identity), timeout."""

    def send(self, message: Message) -> SendResult:
        data = {
            "to": message.to,
            "from": message.sender,
            "subject": message.subject,
            "text": message.text,
            "document": base64.b64encode(message.pdf or b"").decode("ascii"),
            "idempotency_key": message.key,
        }
        if message.callback_url:
            data["callback_url"] = message.callback_url
        headers = {**self.headers, "Idempotency-Key": message.key}
        answer = post_json(f"{self.url}/messages", data, headers=headers, timeout=self.timeout)
        return SendResult(
            str(answer.get("id", "")), answer.get("status", "sent"), answer.get("proof") or {}
        )

    def status(self, provider_id: str) -> str:
        return self.receipt(provider_id)["status"]

    def receipt(self, provider_id: str) -> dict:
        """{status, reason, proof}: the proof of deposit, delivery or signature."""
        answer = call(
            "GET", f"{self.url}/messages/{provider_id}", headers=self.headers, timeout=self.timeout
        )
        return {
            "status": answer.get("status", ""),
            "reason": answer.get("reason", ""),
            "proof": answer.get("proof") or {},
        }
