"""The history of items' open amounts, kept by the item importer: one ItemAmountChange for
each item it creates and for each item whose open amount it changes, written set-based
(COPY on PostgreSQL, bulk_create elsewhere) once the items themselves are written."""

from datetime import date
from decimal import Decimal

from django.db.models import Q

from relance.ledger.importers.writers import BulkWriter
from relance.ledger.models import Item, ItemAmountChange

FIELDS = ["entity_id", "item_id", "day", "open_amount_after", "delta"]
LOOKUP_CHUNK = 5000
ZERO = Decimal("0.00")


class AmountHistory:
    """Collects the changes of one import (`note`), then writes them (`write`): the ids of
    the items it created are only known after their upsert: it answers them on PostgreSQL,
    elsewhere they are looked up then, a query per few thousand items, never one per item."""

    def __init__(self, entity, day: date):
        self.entity = entity
        self.day = day
        self.rows: list[tuple] = []
        self.created: dict[str, dict[str, Decimal]] = {}  # kind -> number -> open amount

    def note(self, old: dict | None, new: dict) -> None:
        """`old` (with its id) and `new`: the stored item and the item as it will be."""
        if old is None:
            self.created.setdefault(new["kind"], {})[new["number"]] = new["open_amount"]
        elif old["open_amount"] != new["open_amount"]:
            delta = new["open_amount"] - old["open_amount"]
            self.rows.append((self.entity.pk, old["id"], self.day, new["open_amount"], delta))

    def write(self, written: list[tuple] | None = None) -> None:
        """`written`: (kind, number, id) of every item the upsert wrote, where it answered
        them (PostgreSQL's RETURNING); without it, the created items' ids are looked up."""
        from relance.ledger.importers.items import number_in  # the importer imports us

        writer = BulkWriter(ItemAmountChange, FIELDS)
        writer.insert(self.rows)
        if written is not None:
            entity_id, day, created = self.entity.pk, self.day, self.created
            rows = []
            for kind, number, pk in written:
                amount = created.get(kind, {}).get(number)
                if amount is not None:
                    rows.append((entity_id, pk, day, amount, amount))
            writer.insert(rows)
            return
        for kind, amounts in self.created.items():
            numbers = list(amounts)
            for start in range(0, len(numbers), LOOKUP_CHUNK):
                part = numbers[start : start + LOOKUP_CHUNK]
                ids = Item.objects.filter(
                    Q(kind=kind) & number_in(part), entity=self.entity
                ).values_list("number", "id")
                writer.insert(
                    [
                        (self.entity.pk, pk, self.day, amounts[number], amounts[number])
                        for number, pk in ids
                    ]
                )
