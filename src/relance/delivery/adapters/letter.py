"""The print-and-mail adapter: the letter's PDF and the postal address posted as multipart
to <url>/letters with the outbox key as idempotency key; GET <url>/letters/<id> answers its
status (accepted, printed, posted, delivered, returned; a registered letter also carries
its acknowledgement of receipt)."""

import json

from relance.delivery.adapters.base import Message, SendResult
from relance.delivery.adapters.http import BearerApi, call, multipart

ADDRESS_FIELDS = ("name", "line1", "line2", "postal_code", "city", "country")
# What the answers carry as proof: the acknowledgement's state, the tracking number, and the
# deposit receipt and signed acknowledgement as base64 PDFs (delivery/proofs.py keeps them).
PROOF_FIELDS = ("acknowledgement", "tracking_number", "deposit_receipt", "acknowledgement_receipt")


class PrintMailAdapter(BearerApi):
    """Settings: url, api_key (Bearer), sender (return address, free text), timeout."""

    def send(self, message: Message) -> SendResult:
        address = message.to or {}
        fields = {f"address_{name}": address.get(name, "") for name in ADDRESS_FIELDS}
        fields |= {
            "idempotency_key": message.key,
            "registered": "true" if message.registered else "false",
            "sender": message.sender,
        }
        if message.callback_url:
            fields["callback_url"] = message.callback_url
        files = {"file": (f"{message.key}.pdf", message.pdf or b"", "application/pdf")}
        body, content_type = multipart(fields, files)
        headers = {**self.headers, "Content-Type": content_type, "Idempotency-Key": message.key}
        answer = call(
            "POST", f"{self.url}/letters", body=body, headers=headers, timeout=self.timeout
        )
        proof = {k: answer[k] for k in PROOF_FIELDS if k in answer}
        return SendResult(str(answer.get("id", "")), answer.get("status", "accepted"), proof)

    def status(self, provider_id: str) -> str:
        return self.receipt(provider_id)["status"]

    def receipt(self, provider_id: str) -> dict:
        """{status, reason, proof}: a registered letter's proof carries its acknowledgement
        of receipt (`acknowledgement`: pending, signed, refused) and tracking number."""
        answer = call(
            "GET", f"{self.url}/letters/{provider_id}", headers=self.headers, timeout=self.timeout
        )
        proof = {k: answer[k] for k in PROOF_FIELDS if k in answer}
        return {
            "status": answer.get("status", ""),
            "reason": answer.get("reason", ""),
            "proof": proof,
        }


def address_json(address: dict) -> str:
    return json.dumps({name: address.get(name, "") for name in ADDRESS_FIELDS})
