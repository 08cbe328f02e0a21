"""The development adapter: each message is written to var/outbox/<key>.json (and its PDF
to <key>.pdf); nothing leaves the machine."""

import json
from pathlib import Path

from django.conf import settings

from relance.delivery.adapters.base import Message, SendResult


class ConsoleAdapter:
    def __init__(self, options: dict):
        self.folder = Path(options.get("path") or settings.VAR_DIR / "outbox")

    def send(self, message: Message) -> SendResult:
        self.folder.mkdir(parents=True, exist_ok=True)
        record = {
            "key": message.key,
            "channel": message.channel,
            "to": message.to,
            "from": message.sender,
            "subject": message.subject,
            "text": message.text,
            "registered": message.registered,
        }
        if message.pdf:
            (self.folder / f"{message.key}.pdf").write_bytes(message.pdf)
            record["pdf"] = f"{message.key}.pdf"
        target = self.folder / f"{message.key}.json"
        target.write_text(json.dumps(record, indent=2, ensure_ascii=False), encoding="utf-8")
        return SendResult(provider_id=f"console:{message.key}", status="accepted")

    def status(self, provider_id: str) -> str:
        return "accepted"
