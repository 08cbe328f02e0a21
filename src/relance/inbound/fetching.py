"""Polling an entity's mailbox over IMAP (its active `mailbox` connector of kind `imap`).

Each fetch asks only for the UIDs above the cursor (inbound.MailboxCursor; a new
UIDVALIDITY starts again from the first message, which dedupe makes harmless), takes the
raw bytes of each message in batches (`BODY.PEEK[]`: nothing is marked read before it is
stored), parses them, reads what matching them asks in a few queries for the batch
(services.inbound_known), stores each one (services.inbound_email_store; one database
transaction per batch, a savepoint per message), then marks the batch \\Seen (and moves it to
`processed_folder` when set) and advances the cursor. A message larger than
parsing.MAX_MESSAGE_BYTES is never downloaded: its headers are stored, refused with the
reason. A message whose storing fails (the database, not the message) holds the cursor
back: it is read again next time; those after it are stored all the same.

Connection, login or TLS failures are written on the cursor and in the summary, never
raised past `mailbox_fetch`.

Connector settings (JSON): host, port (993 for ssl, 143 otherwise), security
(ssl | starttls | none), username, password (sealed at rest), folder (INBOX),
processed_folder (optional), ca_file (optional: a CA bundle to trust, for a private
certificate), timeout (seconds, 30)."""

import imaplib
import logging
import re
import ssl
from dataclasses import dataclass, field

from django.db import DatabaseError, transaction
from django.utils import timezone
from imap_tools import MailBox, MailBoxStartTls, MailBoxUnencrypted
from imap_tools.errors import ImapToolsError

from relance.delivery.adapters import MissingSecret, resolved_settings
from relance.delivery.choices import ConnectorChannel, ConnectorKind
from relance.delivery.models import Connector
from relance.inbound import parsing
from relance.inbound.choices import InboundKind, InboundSource, InboundStatus
from relance.inbound.models import MailboxCursor
from relance.inbound.services import (
    inbound_email_read,
    inbound_email_store,
    inbound_email_too_large,
    inbound_known,
)
from relance.webhooks.services import subscriptions_read_once

logger = logging.getLogger(__name__)

BATCH = 100  # UIDs per round: stored, marked seen, cursor saved
BATCH_BYTES = 32 * 1024 * 1024  # at most this much downloaded in one FETCH
SECURITY = ("ssl", "starttls", "none")
FETCH_ITEM = re.compile(rb"UID (\d+)")
SIZE_ITEM = re.compile(rb"UID (\d+).*?RFC822\.SIZE (\d+)|RFC822\.SIZE (\d+).*?UID (\d+)")


class MailboxSettingsError(ValueError):
    """The connector's settings cannot describe a mailbox: said, never guessed."""


@dataclass
class FetchSummary:
    entity: str
    fetched: int = 0
    stored: int = 0
    duplicates: int = 0
    replies: int = 0
    auto_replies: int = 0
    bounces: int = 0
    unassigned: int = 0
    refused: int = 0
    failed: int = 0
    error: str = ""
    ids: list[int] = field(default_factory=list)  # the InboundEmail rows stored

    def count(self, email) -> None:
        self.fetched += 1
        if email is None:
            self.duplicates += 1
            return
        self.stored += 1
        self.ids.append(email.pk)
        self.replies += email.kind == InboundKind.REPLY
        self.auto_replies += email.kind == InboundKind.AUTO_REPLY
        self.bounces += email.kind == InboundKind.BOUNCE
        self.refused += email.kind == InboundKind.REFUSED
        self.unassigned += email.status == InboundStatus.UNASSIGNED


def imap_connectors(entity=None):
    rows = Connector.objects.filter(
        channel=ConnectorChannel.MAILBOX, kind=ConnectorKind.IMAP, is_active=True
    ).select_related("entity")
    if entity is not None:
        rows = rows.filter(entity=entity)
    return rows.order_by("entity__slug", "id")


def mailbox_settings(connector) -> dict:
    """The connector's settings in clear, checked; raises MailboxSettingsError naming the
    setting and what is wrong with it."""
    try:
        values = resolved_settings(connector.settings)
    except MissingSecret as exc:
        raise MailboxSettingsError(str(exc)) from None
    security = str(values.get("security") or "ssl").lower()
    if security not in SECURITY:
        raise MailboxSettingsError(f"security: {security!r} is not one of {', '.join(SECURITY)}")
    for name in ("host", "username", "password"):
        if not str(values.get(name) or "").strip():
            raise MailboxSettingsError(f"{name}: missing")
    try:
        port = int(values.get("port") or (993 if security == "ssl" else 143))
        timeout = float(values.get("timeout") or 30)
    except (TypeError, ValueError):
        raise MailboxSettingsError("port and timeout must be numbers") from None
    if not 0 < port < 65536:
        raise MailboxSettingsError(f"port: {port} is not a TCP port")
    return {
        **values,
        "security": security,
        "port": port,
        "timeout": timeout,
        "folder": str(values.get("folder") or "INBOX"),
        "processed_folder": str(values.get("processed_folder") or ""),
    }


def _open(values: dict):
    host, port, timeout = values["host"], values["port"], values["timeout"]
    if values["security"] == "none":
        box = MailBoxUnencrypted(host, port, timeout=timeout)
    else:
        context = ssl.create_default_context(cafile=values.get("ca_file") or None)
        if values["security"] == "ssl":
            box = MailBox(host, port, timeout=timeout, ssl_context=context)
        else:
            box = MailBoxStartTls(host, port, timeout=timeout, ssl_context=context)
    return box.login(values["username"], values["password"], initial_folder=values["folder"])


def _sizes(client, uids: list[int]) -> dict[int, int]:
    status, data = client.uid("FETCH", ",".join(map(str, uids)), "(UID RFC822.SIZE)")
    if status != "OK":
        raise imaplib.IMAP4.error(f"FETCH sizes: {data!r}")
    sizes = {}
    for line in data:
        line = line[0] if isinstance(line, tuple) else line
        found = SIZE_ITEM.search(line or b"")
        if found:
            uid, size = (found[1], found[2]) if found[1] else (found[4], found[3])
            sizes[int(uid)] = int(size)
    return sizes


def _bodies(client, uids: list[int], part: str) -> dict[int, bytes]:
    """{uid: bytes} of `part` (BODY.PEEK[] or BODY.PEEK[HEADER]) of these messages. The UID
    may come before or after the literal, depending on the server."""
    status, data = client.uid("FETCH", ",".join(map(str, uids)), f"(UID {part})")
    if status != "OK":
        raise imaplib.IMAP4.error(f"FETCH: {data!r}")
    found, pending = {}, None
    for item in data:
        if isinstance(item, tuple):
            uid = FETCH_ITEM.search(item[0])
            if uid:
                found[int(uid[1])] = item[1]
            else:
                pending = item[1]
        elif pending is not None and item:
            uid = FETCH_ITEM.search(item)
            if uid:
                found[int(uid[1])] = pending
            pending = None
    return found


def _groups(uids: list[int], sizes: dict[int, int]) -> list[list[int]]:
    """Consecutive groups of UIDs of at most BATCH_BYTES together (a larger message alone)."""
    groups, current, total = [], [], 0
    for uid in uids:
        size = sizes.get(uid, 0)
        if current and total + size > BATCH_BYTES:
            groups.append(current)
            current, total = [], 0
        current.append(uid)
        total += size
    return [*groups, current] if current else groups


def _store(connector, uid, raw: bytes, size: int, summary: FetchSummary, read, known) -> bool:
    """Store one message; False when it must be read again (the failure was ours)."""
    try:  # each in a savepoint of its own: a failure undoes that message only
        if size > parsing.MAX_MESSAGE_BYTES:
            email = inbound_email_too_large(
                entity=connector.entity, head=raw, size=size, source=InboundSource.IMAP
            )
        else:
            email = inbound_email_store(
                entity=connector.entity,
                raw=raw,
                source=InboundSource.IMAP,
                connector=connector,
                read=read,
                known=known,
            )
    except Exception:
        logger.exception("mailbox %s: message UID %s not stored", connector.pk, uid)
        summary.failed += 1
        return False
    summary.count(email)
    return True


def _batch(mailbox, connector, values, uids: list[int], summary: FetchSummary) -> int | None:
    """Store these UIDs; answers the highest UID below which everything is stored."""
    client = mailbox.client
    sizes = _sizes(client, uids)
    uids = [uid for uid in uids if uid in sizes]  # expunged meanwhile: gone
    large = [uid for uid in uids if sizes[uid] > parsing.MAX_MESSAGE_BYTES]
    raw = _bodies(client, large, "BODY.PEEK[HEADER]") if large else {}
    for group in _groups([u for u in uids if u not in large], sizes):
        raw.update(_bodies(client, group, "BODY.PEEK[]"))
    reads = {u: inbound_email_read(b) for u, b in raw.items() if u not in large}
    done, failed = [], []
    # One commit per batch, a savepoint per message; webhook subscriptions read once.
    with transaction.atomic(), subscriptions_read_once():
        try:  # the batch's senders, answered messages, customers: a few queries for all
            known = inbound_known(connector.entity, reads.values())
        except DatabaseError:  # each message reads its own, and fails alone if it must
            logger.exception("mailbox %s: the batch's lookups failed", connector.pk)
            known = None
        for uid in uids:
            if uid in raw:
                read = reads.pop(uid, None)
                stored = _store(connector, uid, raw.pop(uid), sizes[uid], summary, read, known)
                (done if stored else failed).append(uid)
    if done:  # marked read once stored for good
        mailbox.flag([str(u) for u in done], "\\Seen", True)
        if values["processed_folder"]:
            mailbox.move([str(u) for u in done], values["processed_folder"])
    return (min(failed) - 1) if failed else (max(uids) if uids else None)


def mailbox_fetch(connector) -> FetchSummary:
    """Read what is new in `connector`'s mailbox; the summary says what came of it, and
    `error` what stopped it (also kept on the cursor)."""
    summary = FetchSummary(entity=connector.entity.slug)
    cursor, _created = MailboxCursor.objects.get_or_create(connector=connector)
    try:
        values = mailbox_settings(connector)
        with _open(values) as mailbox:
            _fetch(mailbox, connector, values, cursor, summary)
    except (MailboxSettingsError, ImapToolsError, imaplib.IMAP4.error, OSError) as exc:
        summary.error = f"{type(exc).__name__}: {exc}"[:500]
        logger.warning("mailbox %s of %s: %s", connector.pk, summary.entity, summary.error)
    cursor.fetched_at, cursor.last_error = timezone.now(), summary.error
    cursor.save(update_fields=["fetched_at", "last_error"])
    return summary


def _fetch(mailbox, connector, values, cursor: MailboxCursor, summary: FetchSummary) -> None:
    status = mailbox.folder.status(values["folder"], ["UIDVALIDITY"])
    validity = int(status["UIDVALIDITY"])
    if validity != cursor.uid_validity:  # the folder was rebuilt: its UIDs mean other messages
        cursor.uid_validity, cursor.last_uid = validity, 0
        cursor.save(update_fields=["uid_validity", "last_uid"])
    # "n:*" also answers the last message when its UID is below n: filtered here.
    uids = sorted(int(u) for u in mailbox.uids(f"UID {cursor.last_uid + 1}:*"))
    uids = [uid for uid in uids if uid > cursor.last_uid]
    held = False  # a message will be read again: later ones are stored, the cursor waits
    for start in range(0, len(uids), BATCH):
        batch = uids[start : start + BATCH]
        reached = _batch(mailbox, connector, values, batch, summary)
        if reached is None:
            continue
        if not held and reached > cursor.last_uid:
            cursor.last_uid = reached
            # Only forward: a fetch running beside this one (the beat and the command) may
            # be further on already.
            MailboxCursor.objects.filter(
                pk=cursor.pk, uid_validity=cursor.uid_validity, last_uid__lt=reached
            ).update(last_uid=reached)
        held = held or reached < max(batch)


def mailboxes_fetch(entity=None) -> list[FetchSummary]:
    """Every active IMAP mailbox (of `entity`, or of all entities), one after the other."""
    return [mailbox_fetch(connector) for connector in imap_connectors(entity)]
