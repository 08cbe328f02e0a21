"""Writes of the ledger: imports of customers, contacts and items; disputes and promises
recorded on items from the customer page; items settled by a payment received outside
the imports (a confirmed online payment)."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from relance.activity.choices import EventKind
from relance.activity.services import customer_event_record
from relance.core.bulk import copy_insert, rows_update
from relance.core.models import Entity
from relance.ledger.choices import ImportKind, ImportStatus
from relance.ledger.importers import IMPORTERS, import_records, run_import
from relance.ledger.importers.mapping import ColumnMapping as Mapping
from relance.ledger.importers.mapping import header_signature
from relance.ledger.models import ColumnMapping, ImportBatch, Item, ItemAmountChange
from relance.webhooks import events as webhook_events


def import_file(
    *,
    kind: str,
    path: Path,
    entity: Entity,
    acting_user=None,
    dry_run: bool = False,
    file_name: str | None = None,
    batch: ImportBatch | None = None,
    progress: Callable[[int, int], None] | None = None,
    mapping: dict | None = None,
) -> ImportBatch:
    """Import a file of `kind` (CSV or XLSX; a FEC; an e-invoice) for `entity`, all or
    nothing, and record the run
    in an ImportBatch (the one given, or a new one). Bad data never raises: the batch is
    FAILED with its errors and nothing else is written; a dry run writes nothing either."""
    if kind not in ImportKind.values:
        raise ValueError(f"unknown import kind {kind!r}: {', '.join(ImportKind.values)}")
    path = Path(path)
    batch = batch or ImportBatch(entity=entity)
    batch.entity, batch.kind, batch.dry_run = entity, kind, dry_run
    batch.file_name = file_name or batch.file_name or path.name
    batch.status, batch.started_by, batch.finished_at = ImportStatus.RUNNING, acting_user, None
    batch.save()

    outcome = run_import(
        kind=kind,
        path=path,
        entity=entity,
        dry_run=dry_run,
        file_name=batch.file_name,
        progress=progress,
        acting_user=acting_user,
        batch_id=batch.pk,
        mapping=mapping,
    )
    batch.rows, batch.errors = outcome.rows, outcome.errors
    batch.created, batch.updated, batch.unchanged = (
        outcome.created,
        outcome.updated,
        outcome.unchanged,
    )
    if outcome.errors:
        batch.status = ImportStatus.FAILED
    else:
        batch.status = ImportStatus.PREVIEWED if dry_run else ImportStatus.DONE
    batch.finished_at = timezone.now()
    batch.save()
    return batch


def import_mapping_confirm(
    *, batch: ImportBatch, headers: list[str], mapping: Mapping, acting_user
) -> ImportBatch | None:
    """Confirm a smart upload's mapping: save it for the entity's next file with the same
    headers, and set the batch to be checked through it (the caller starts the dry run).
    None if the batch was confirmed meanwhile: a mapping is confirmed once."""
    with transaction.atomic():
        updated = ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.MAPPING).update(
            status=ImportStatus.RUNNING,
            dry_run=True,
            mapping=mapping.as_data(),
            started_by=acting_user,
        )
        if not updated:
            return None
        ColumnMapping.objects.update_or_create(
            entity=batch.entity,
            kind=batch.kind,
            signature=header_signature(headers),
            defaults={
                "headers": headers,
                "fields": mapping.fields,
                "date_order": mapping.date_order,
                "decimal_separator": mapping.decimal_separator,
                "updated_by": acting_user,
            },
        )
    batch.refresh_from_db()
    return batch


def import_summary(batch: ImportBatch) -> str:
    """One line of counts, worded for a dry run or a real import."""
    if batch.dry_run:
        return (
            f"Would create {batch.created}, update {batch.updated}, "
            f"leave {batch.unchanged} unchanged"
        )
    return f"Created {batch.created}, updated {batch.updated}, unchanged {batch.unchanged}"


def import_summary_display(batch: ImportBatch) -> str:
    """The same counts in the user's language, for the import pages (the command line keeps
    the fixed English line that scripts read)."""
    counts = {"created": batch.created, "updated": batch.updated, "unchanged": batch.unchanged}
    if batch.dry_run:
        return (
            gettext("Would create %(created)s, update %(updated)s, leave %(unchanged)s unchanged")
            % counts
        )
    return gettext("Created %(created)s, updated %(updated)s, unchanged %(unchanged)s") % counts


# How an error's place is worded, by kind of file: a FEC has lines and fields, an XML lines
# and elements, a table rows and columns.
PLACE_WORDS = {
    ImportKind.FEC: ("line", "field"),
    ImportKind.EINVOICE: ("line", "element"),
}


def import_error_lines(batch: ImportBatch) -> list[str]:
    """`row N, column C: reason` for each stored error (`line N, field F` in a FEC, `line N,
    element E` in an e-invoice); file-level errors name no row."""
    row_word, column_word = PLACE_WORDS.get(batch.kind, ("row", "column"))
    lines = []
    for error in batch.errors or []:
        place = []
        if error.get("row") is not None:
            place.append(f"{row_word} {error['row']}")
        if error.get("column"):
            place.append(f"{column_word} {error['column']}")
        lines.append(f"{', '.join(place)}: {error['reason']}" if place else error["reason"])
    return lines


# What an ItemAmountChange is written with (core/bulk.py: copy_insert).
CHANGE_FIELDS = ("entity", "item", "day", "open_amount_after", "delta")


@transaction.atomic
def items_settle(*, entity, item_ids, day: date, source: str = "payment") -> list[int]:
    """Settle the entity's items `item_ids` still open on `day`, as an import that saw them
    at 0 would: their open amount to 0, `settled_on` = `day`, and one ItemAmountChange each
    (the amount paid, dated `day`), so that their open amount on any past day stays known.
    Set-based (a few queries whatever the number of items); answers the ids settled."""
    rows = list(
        Item.objects.select_for_update()
        .filter(entity=entity, pk__in=list(item_ids), open_amount__gt=0)
        .order_by("pk")
        .values("id", "open_amount", "customer_id", "number", "amount", "currency")
    )
    copy_insert(
        [
            ItemAmountChange(
                entity=entity,
                item_id=row["id"],
                day=day,
                open_amount_after=Decimal("0.00"),
                delta=-row["open_amount"],
            )
            for row in rows
        ],
        CHANGE_FIELDS,
    )
    settled = [row["id"] for row in rows]
    Item.objects.filter(pk__in=settled).update(
        open_amount=0, settled_on=day, updated_at=timezone.now()
    )
    rows = [{**row, "settled_on": day} for row in rows]
    webhook_events.items_settled(entity.pk, rows, source=source)
    return settled


@transaction.atomic
def items_pay_partially(*, entity, amounts: dict, day: date, source: str = "payment") -> dict:
    """Reduce the open amount of the entity's items by `amounts` (item id → Decimal paid,
    each more than 0), as a bank payment received on `day`: one ItemAmountChange each; an
    item paid in full is settled through `items_settle` (settled_on, webhook). Amounts
    above an item's open amount are capped to it. Set-based; answers item id → amount
    applied."""
    amounts = {int(pk): amount for pk, amount in amounts.items() if amount > 0}
    rows = list(
        Item.objects.select_for_update()
        .filter(entity=entity, pk__in=list(amounts), open_amount__gt=0)
        .order_by("pk")
        .values_list("id", "open_amount")
    )
    applied = {pk: min(amounts[pk], open_amount) for pk, open_amount in rows}
    settled = [pk for pk, open_amount in rows if applied[pk] == open_amount]
    partial = {pk: open_amount - applied[pk] for pk, open_amount in rows if pk not in settled}
    if settled:
        items_settle(entity=entity, item_ids=settled, day=day, source=source)
    if partial:
        copy_insert(
            [
                ItemAmountChange(
                    entity=entity, item_id=pk, day=day, open_amount_after=after, delta=-applied[pk]
                )
                for pk, after in partial.items()
            ],
            CHANGE_FIELDS,
        )
        rows_update(Item, ("open_amount",), list(partial.items()), updated_at=timezone.now())
    return applied


# The customer page: disputes and promises on items -----------------------------------------


def _items_of(customer, item_ids) -> list[Item]:
    """The items `item_ids` locked, if every one is an item of `customer`; else the field
    error that names the first that is not."""
    ids = sorted({int(pk) for pk in item_ids})
    if not ids:
        raise ValidationError({"items": gettext("Choose at least one item.")})
    items = list(
        Item.objects.select_for_update().filter(pk__in=ids, customer=customer).order_by("pk")
    )
    if len(items) != len(ids):
        raise ValidationError(
            {"items": gettext("Some of the chosen items are not this customer's.")}
        )
    return items


def _numbers(items: list[Item]) -> list[str]:
    return [item.number for item in items]


def _save_each(items: list[Item], fields: list[str]) -> None:
    """One save per item, not a bulk update: the audit trail (django-auditlog) hears of
    saves only, and a user ticks a few items of one customer, not thousands."""
    for item in items:
        item.save(update_fields=[*fields, "updated_at"])


@transaction.atomic
def items_dispute_open(*, customer, item_ids, reason: str, acting_user=None) -> list[Item]:
    """Mark items of `customer` disputed on the entity's today: the engine no longer
    reminds of them (a disputed invoice is never the reference) until it is cleared."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": gettext("A dispute needs a reason.")})
    if len(reason) > Item._meta.get_field("dispute_reason").max_length:
        raise ValidationError(
            {"reason": gettext("The reason is too long (200 characters at most).")}
        )
    items = _items_of(customer, item_ids)
    today = customer.entity.today()
    for item in items:
        item.disputed, item.dispute_reason, item.dispute_date = True, reason, today
    _save_each(items, ["disputed", "dispute_reason", "dispute_date"])
    customer_event_record(
        customer=customer,
        kind=EventKind.DISPUTE_OPENED,
        acting_user=acting_user,
        items=_numbers(items),
        reason=reason,
    )
    webhook_events.dispute_opened(customer=customer, items=items, reason=reason, source="user")
    return items


@transaction.atomic
def items_dispute_clear(*, customer, item_ids, acting_user=None) -> list[Item]:
    """The dispute on items of `customer` settled: they are reminded of again."""
    items = _items_of(customer, item_ids)
    if not any(item.disputed for item in items):
        raise ValidationError({"items": gettext("None of the chosen items is disputed.")})
    items = [item for item in items if item.disputed]
    for item in items:
        item.disputed, item.dispute_reason, item.dispute_date = False, "", None
    _save_each(items, ["disputed", "dispute_reason", "dispute_date"])
    customer_event_record(
        customer=customer,
        kind=EventKind.DISPUTE_CLEARED,
        acting_user=acting_user,
        items=_numbers(items),
    )
    webhook_events.dispute_closed(customer=customer, items=items, source="user")
    return items


@transaction.atomic
def items_promise_record(
    *, customer, item_ids, promise_date: date | None, acting_user=None
) -> list[Item]:
    """The customer promised to pay items by `promise_date` (today or later): the engine
    leaves them alone until that day plus the scenario's grace days."""
    if promise_date is None:
        raise ValidationError({"promise_date": gettext("A promise needs a date.")})
    if promise_date < customer.entity.today():
        raise ValidationError({"promise_date": gettext("The promised date cannot be in the past.")})
    items = _items_of(customer, item_ids)
    for item in items:
        item.promise_date = promise_date
    _save_each(items, ["promise_date"])
    customer_event_record(
        customer=customer,
        kind=EventKind.PROMISE_RECORDED,
        acting_user=acting_user,
        items=_numbers(items),
        promise_date=promise_date.isoformat(),
    )
    webhook_events.promise_recorded(
        customer=customer, items=items, promise_date=promise_date, source="user"
    )
    return items


def records_import(
    *, kind: str, records: list[dict], entity: Entity, acting_user=None, dry_run=False, via=""
):
    """The API's bulk upsert: `records` (one mapping of column to value per row) checked and
    written exactly as a file of `kind` is (ledger/importers), all or nothing. Returns the
    importers' Outcome; bad data never raises."""
    if kind not in IMPORTERS:
        raise ValueError(f"unknown import kind {kind!r}: {', '.join(IMPORTERS)}")
    return import_records(
        kind=kind,
        records=records,
        entity=entity,
        dry_run=dry_run,
        acting_user=acting_user,
        source={"file": via or "API"},
    )
