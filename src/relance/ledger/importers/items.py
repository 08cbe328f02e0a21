"""The items file: invoices, credit notes and payments, upserted by (entity, kind, number)."""

import os
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from relance.core.validators import validate_currency
from relance.customers.models import Customer
from relance.ledger.choices import ItemKind
from relance.ledger.importers.base import Row, TableImport, validation_reason
from relance.ledger.importers.history import AmountHistory
from relance.ledger.importers.readers import cell_text
from relance.ledger.importers.writers import BulkWriter
from relance.ledger.models import Item
from relance.webhooks import events as webhook_events

KIND_WORDS = {
    "invoice": ItemKind.INVOICE,
    "facture": ItemKind.INVOICE,
    "credit_note": ItemKind.CREDIT_NOTE,
    "credit note": ItemKind.CREDIT_NOTE,
    "credit-note": ItemKind.CREDIT_NOTE,
    "avoir": ItemKind.CREDIT_NOTE,
    "payment": ItemKind.PAYMENT,
    "paiement": ItemKind.PAYMENT,
    "règlement": ItemKind.PAYMENT,
}
# Fields a file may leave out: new items get these values, existing ones keep theirs.
DEFAULTS = {
    "due_date": None,
    "pdf": "",
    "disputed": False,
    "dispute_reason": "",
    "dispute_date": None,
    "promise_date": None,
    "blocked": False,
    "settled_on": None,
}
VALUE_FIELDS = [
    "customer_id",
    "issue_date",
    "due_date",
    "amount",
    "open_amount",
    "currency",
    "pdf",
    "disputed",
    "dispute_reason",
    "dispute_date",
    "promise_date",
    "blocked",
    "settled_on",
]
WRITE_FIELDS = ["entity_id", "kind", "number", *VALUE_FIELDS, "updated_at"]
# A customer's tally of the file, for its timeline event: items added by kind, items
# changed, invoices settled, then how many changed in each of these fields.
ADDED_AT = {ItemKind.INVOICE.value: 0, ItemKind.CREDIT_NOTE.value: 1, ItemKind.PAYMENT.value: 2}
CHANGED_AT, SETTLED_AT = 3, 4
TRACKED_FIELDS = ("amount", "open_amount", "due_date", "disputed", "promise_date")
TALLY_SIZE = 5 + len(TRACKED_FIELDS)


def number_in(numbers: list[str]) -> Q:
    """`number IN (…)`; on PostgreSQL `number = ANY(%s)`, one array parameter instead of
    thousands, which psycopg would otherwise splice into the SQL text one by one."""
    if connection.vendor != "postgresql":
        return Q(number__in=numbers)
    return Q(RawSQL('"ledger_item"."number" = ANY(%s)', (numbers,), output_field=BooleanField()))


class ItemImport(TableImport):
    kind = "items"
    required_columns = (
        "customer_external_id",
        "kind",
        "number",
        "issue_date",
        "amount",
        "open_amount",
    )
    optional_columns = (
        "due_date",
        "currency",
        "disputed",
        "dispute_reason",
        "dispute_date",
        "promise_date",
        "blocked",
        "pdf_path",
        "settled_on",
    )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.customers: dict[str, tuple[int, str]] = {}
        self.currencies: dict[int, str] = {}
        self.seen: dict[str, int] = {}
        self.today = self.entity.today()
        self.now = timezone.now()
        self.media_listing: dict[str, set[str]] = {}
        self.tallies: dict[int, list[int]] = {}
        self.writer = BulkWriter(
            Item,
            WRITE_FIELDS,
            unique_fields=["entity", "kind", "number"],
            update_fields=[*VALUE_FIELDS, "updated_at"],
        )
        self.history = AmountHistory(self.entity, self.today)
        self.settled: list[dict] = []  # items this file settles, for the webhooks

    def check_columns(self) -> bool:
        if not super().check_columns():
            return False
        customers = Customer.objects.filter(entity=self.entity).values_list(
            "external_id", "id", "currency"
        )
        for external_id, pk, currency in customers.iterator(chunk_size=10_000):
            self.customers[external_id] = (pk, currency)
            self.currencies[pk] = currency
        # A first import finds nothing to update: skip the lookups (the file's keys are unique).
        self.entity_has_items = Item.objects.filter(entity=self.entity).exists()
        return True

    def parse(self, row: Row) -> dict | None:
        word = row.text("kind", required=True).lower()
        kind = KIND_WORDS.get(word)
        if word and kind is None:
            row.error("kind", f"unknown kind {word!r}: invoice, credit_note or payment")
        number = row.text("number", required=True, max_length=50)
        record = {"kind": kind, "number": number}
        self._parse_customer(row, record)
        record["issue_date"] = row.date("issue_date", required=True)
        if self.has("due_date"):
            record["due_date"] = row.date("due_date")
        if kind == ItemKind.INVOICE and not cell_text(row.raw("due_date")):
            row.error("due_date", "a due date is required for an invoice")
        self._parse_amounts(row, record)
        self._parse_optional(row, record)
        if kind and number:
            self._check_duplicate(row, f"{kind}\x1f{number}")
        return record if row.ok else None

    def _parse_customer(self, row: Row, record: dict) -> None:
        external_id = row.text("customer_external_id", required=True)
        customer = self.customers.get(external_id)
        if customer is None:
            if external_id:
                row.error("customer_external_id", f"unknown customer {external_id!r}")
            return
        record["customer_id"] = customer[0]
        if self.has("currency"):
            currency = row.text("currency").upper()
            try:
                record["currency"] = validate_currency(currency) if currency else customer[1]
            except ValidationError as exc:
                row.error("currency", validation_reason(exc))

    def _parse_amounts(self, row: Row, record: dict) -> None:
        amount = record["amount"] = row.amount("amount", required=True)
        open_amount = record["open_amount"] = row.amount("open_amount", required=True)
        if amount is not None and open_amount is not None and open_amount > amount:
            row.error("open_amount", f"open amount {open_amount} is above the amount {amount}")
        if self.has("settled_on"):
            settled_on = record["settled_on"] = row.date("settled_on")
            if settled_on is None:
                return
            if open_amount:
                row.error(
                    "settled_on", f"a settlement date needs an open amount of 0, not {open_amount}"
                )
            elif settled_on > self.today:
                row.error("settled_on", f"{settled_on.isoformat()} is in the future")

    def _parse_optional(self, row: Row, record: dict) -> None:
        if self.has("disputed"):
            record["disputed"] = row.flag("disputed")
        if self.has("dispute_reason"):
            record["dispute_reason"] = row.text("dispute_reason", max_length=200)
        if self.has("dispute_date"):
            record["dispute_date"] = row.date("dispute_date")
        if self.has("promise_date"):
            record["promise_date"] = row.date("promise_date")
        if self.has("blocked"):
            record["blocked"] = row.flag("blocked")
        if self.has("pdf_path"):
            record["pdf"] = self._pdf_name(row)

    def _check_duplicate(self, row: Row, key: str) -> None:
        first = self.seen.setdefault(key, row.number)
        if first != row.number:
            row.error("number", f"duplicate number in the file (first at row {first})")

    def _pdf_name(self, row: Row) -> str:
        """The file's name relative to MEDIA_ROOT, found as given or under items/."""
        value = row.text("pdf_path", max_length=255).replace("\\", "/")
        if not value:
            return ""
        path = PurePosixPath(value)
        if path.is_absolute() or ".." in path.parts:
            row.error("pdf_path", "must be a path inside the media folder")
            return ""
        candidates = [path] if len(path.parts) > 1 else [path, PurePosixPath("items") / path]
        for candidate in candidates:
            if candidate.name in self._listing(str(candidate.parent)):
                return str(candidate)
        row.error("pdf_path", f"file not found: {value}")
        return ""

    def _listing(self, folder: str) -> set[str]:
        """File names of a media folder, read once: one stat per row would cost seconds."""
        if folder not in self.media_listing:
            directory = Path(settings.MEDIA_ROOT) / folder
            try:
                self.media_listing[folder] = {e.name for e in os.scandir(directory) if e.is_file()}
            except OSError:
                self.media_listing[folder] = set()
        return self.media_listing[folder]

    def apply(self, records: list[dict]) -> None:
        existing = self._existing(records)
        rows = []
        for record in records:
            old = existing.get((record["kind"], record["number"]))
            new = self._merge(record, old)
            self.history.note(old, new)
            if old is None:
                self.created += 1
                self._tally(new["customer_id"])[ADDED_AT[new["kind"]]] += 1
            elif new == old:
                self.unchanged += 1
                continue
            else:
                self.updated += 1
                self._count_change(old, new)
            rows.append(
                (
                    self.entity.pk,
                    new["kind"],
                    new["number"],
                    *(new[name] for name in VALUE_FIELDS),
                    self.now,
                )
            )
        if not self.dry_run:
            self.writer.upsert(rows)

    def _tally(self, customer_id: int) -> list[int]:
        tally = self.tallies.get(customer_id)
        if tally is None:
            tally = self.tallies[customer_id] = [0] * TALLY_SIZE
        return tally

    def _count_change(self, old: dict, new: dict) -> None:
        tally = self._tally(new["customer_id"])
        tally[CHANGED_AT] += 1
        if old["customer_id"] != new["customer_id"]:  # moved: the former customer's too
            self._tally(old["customer_id"])[CHANGED_AT] += 1
        settled = old["open_amount"] > 0 and new["open_amount"] == 0
        if settled and new["kind"] == ItemKind.INVOICE:
            tally[SETTLED_AT] += 1
        for index, name in enumerate(TRACKED_FIELDS, start=5):
            if old[name] != new[name]:
                tally[index] += 1

    def _existing(self, records: list[dict]) -> dict[tuple[str, str], dict]:
        """The stored items of a chunk, in one query that uses the (entity, kind, number) index."""
        if not self.entity_has_items:
            return {}
        numbers: dict[str, list[str]] = {}
        for record in records:
            numbers.setdefault(record["kind"], []).append(record["number"])
        condition = Q()
        for kind, kind_numbers in numbers.items():
            condition |= Q(kind=kind) & number_in(kind_numbers)
        stored = Item.objects.filter(condition, entity=self.entity)
        return {
            (values["kind"], values["number"]): values
            for values in stored.values(
                "id", "kind", "number", "payment_pending_since", *VALUE_FIELDS
            )
        }

    def _merge(self, record: dict, old: dict | None) -> dict:
        """The item as it will be: the stored values, or defaults, overlaid by the file's."""
        if old is None:
            new = {**DEFAULTS, "currency": self.currencies[record["customer_id"]]}
        else:
            new = dict(old)
        new.update(record)
        if old and old["payment_pending_since"] and not old["open_amount"]:
            # Paid online (settled by the payment): the ERP may not have booked it yet.
            new["open_amount"] = old["open_amount"]
        if record.get("disputed"):
            if record.get("dispute_date") is None:
                # Keep the date of a dispute already known; a new one starts today.
                kept = old["dispute_date"] if old and old["disputed"] else None
                new["dispute_date"] = kept or self.today
        elif "disputed" in record:
            new["dispute_reason"], new["dispute_date"] = "", None
        new["settled_on"] = self._settled_on(record, old, new)
        if old is not None and old["open_amount"] and new["settled_on"] is not None:
            self.settled.append({**new, "id": old["id"]})
        return new

    def _settled_on(self, record: dict, old: dict | None, new: dict):
        """The file's date if it gives one; else the day of the import for an item whose
        open amount reaches 0 now, the stored date for one already settled, and none for
        an open item or one that arrives settled (when it was paid is not known)."""
        if new["open_amount"]:
            return None
        if record.get("settled_on"):
            return record["settled_on"]
        if old is None:
            return None
        return self.today if old["open_amount"] else old["settled_on"]

    def finish(self) -> None:
        if not self.dry_run:
            written = self.writer.flush(returning=("kind", "number", "id"))
            self.history.write(written)
            self.write_events({pk: tally_data(tally) for pk, tally in self.tallies.items()})
            webhook_events.items_settled(self.entity.pk, self.settled, source="import")


def tally_data(tally: list[int]) -> dict:
    """A customer's tally as its event's data: only the counts that are not zero."""
    data = {}
    added = {kind: tally[index] for kind, index in ADDED_AT.items() if tally[index]}
    if added:
        data["added"] = added
    if tally[CHANGED_AT]:
        data["changed"] = tally[CHANGED_AT]
        fields = {name: tally[i] for i, name in enumerate(TRACKED_FIELDS, start=5) if tally[i]}
        if fields:
            data["fields"] = fields
    if tally[SETTLED_AT]:
        data["settled"] = tally[SETTLED_AT]
    return data
