"""The contacts file, matched by (customer, external_id) or else (customer, email)."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from relance.core.validators import validate_country
from relance.customers.choices import ContactRole
from relance.customers.models import Contact, Customer
from relance.customers.phones import e164
from relance.ledger.importers.base import Row, TableImport, validation_reason
from relance.ledger.importers.writers import BulkWriter

TEXT_COLUMNS = {
    "first_name": 100,
    "last_name": 100,
    "job_title": 100,
    "address_line1": 200,
    "address_line2": 200,
    "postal_code": 20,
    "city": 100,
}
ROLE_FIELDS = [f"is_{role}" for role in ContactRole.values]
VALUE_FIELDS = [
    "customer_id",
    "external_id",
    *TEXT_COLUMNS,
    "email",
    "phone",
    "mobile",
    "country",
    *ROLE_FIELDS,
]
WRITE_FIELDS = [*VALUE_FIELDS, "updated_at"]


class ContactImport(TableImport):
    kind = "contacts"
    required_columns = ("customer_external_id",)
    optional_columns = (
        "external_id",
        "first_name",
        "last_name",
        "job_title",
        "email",
        "phone",
        "mobile",
        "address_line1",
        "address_line2",
        "postal_code",
        "city",
        "country",
        "roles",
    )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.customers: dict[str, tuple[int, str]] = {}
        self.seen: dict[tuple, int] = {}
        self.claimed: dict[int, int] = {}  # contact id -> the row that updates it
        self.tallies: dict[int, list[int]] = {}  # customer id -> [added, changed]
        self.now = timezone.now()
        self.writer = BulkWriter(Contact, WRITE_FIELDS)

    def check_columns(self) -> bool:
        if not super().check_columns():
            return False
        if not (self.has("external_id") or self.has("email")):
            self.errors.add(
                self.header_row, "external_id", "the file needs an external_id or an email column"
            )
            return False
        customers = Customer.objects.filter(entity=self.entity).values_list(
            "external_id", "id", "country"
        )
        self.customers = {ext: (pk, country) for ext, pk, country in customers.iterator(10_000)}
        return True

    def parse(self, row: Row) -> dict | None:
        customer_ext = row.text("customer_external_id", required=True)
        customer = self.customers.get(customer_ext)
        if customer is None and customer_ext:
            row.error("customer_external_id", f"unknown customer {customer_ext!r}")
        record = {"customer_id": customer[0] if customer else None, "row": row.number}
        for column, max_length in TEXT_COLUMNS.items():
            if self.has(column):
                record[column] = row.text(column, max_length=max_length)
        if self.has("external_id"):
            record["external_id"] = row.text("external_id", max_length=50)
        if self.has("email"):
            record["email"] = self._email(row)
        region = self._country(row, record) or (customer[1] if customer else None)
        for column in ("phone", "mobile"):
            if self.has(column):
                record[column] = self._phone(row, column, region)
        if self.has("roles"):
            record.update(self._roles(row))
        if customer:
            self._check_key(row, record)
        return record if row.ok else None

    def _email(self, row: Row) -> str:
        value = row.text("email", max_length=254)
        if value:
            try:
                validate_email(value)
            except ValidationError:
                row.error("email", f"{value!r} is not a valid email address")
        return value

    def _country(self, row: Row, record: dict) -> str | None:
        if not self.has("country"):
            return None
        value = row.text("country").upper()
        try:
            record["country"] = validate_country(value) if value else ""
        except ValidationError as exc:
            row.error("country", validation_reason(exc))
        return record.get("country") or None

    def _phone(self, row: Row, column: str, region: str | None) -> str:
        """The number in E.164, read in the contact's (or customer's) country if not +-prefixed."""
        value = row.text(column)
        number = e164(value, region)
        if number is None:
            where = f" for {region}" if region else ""
            row.error(column, f"{value!r} is not a valid phone number{where}")
            return ""
        return number

    def _roles(self, row: Row) -> dict[str, bool]:
        words = {word.strip().lower() for word in row.text("roles").replace(",", "|").split("|")}
        words.discard("")
        unknown = words - set(ContactRole.values)
        if unknown:
            accepted = ", ".join(ContactRole.values)
            row.error("roles", f"unknown role {sorted(unknown)[0]!r}: roles are {accepted}")
        return {f"is_{role}": role in words for role in ContactRole.values}

    def _check_key(self, row: Row, record: dict) -> None:
        external_id = record.get("external_id", "")
        email = record.get("email", "").lower()
        if not external_id and not email:
            if row.ok:  # else a bad key cell was already reported
                row.error(
                    "external_id", "an external_id or an email is required to find the contact"
                )
            return
        column, key = ("external_id", external_id) if external_id else ("email", email)
        first = self.seen.setdefault((record["customer_id"], column, key), row.number)
        if first != row.number:
            row.error(
                column, f"duplicate {column} for this customer in the file (first at row {first})"
            )

    def apply(self, records: list[dict]) -> None:
        by_external_id, by_email = self._existing(records)
        inserts, updates, new_addresses = [], [], []
        for record in records:
            old = self._match(record, by_external_id, by_email)
            if old is False:
                continue
            new = self._merge(record, old)
            if old is None:
                self.created += 1
                self.tallies.setdefault(new["customer_id"], [0, 0])[0] += 1
                inserts.append((*(new[name] for name in VALUE_FIELDS), self.now))
            elif new == old:
                self.unchanged += 1
            else:
                self.updated += 1
                self.tallies.setdefault(new["customer_id"], [0, 0])[1] += 1
                updates.append((old["id"], *(new[name] for name in VALUE_FIELDS), self.now))
                if new["email"].lower() != old["email"].lower():
                    new_addresses.append(old["id"])
        if not self.dry_run and not self.errors:
            self.writer.insert(inserts)
            self.writer.update(updates)
            # A changed address is a new one: nothing bounced from it yet (delivery/bounces.py).
            for start in range(0, len(new_addresses), 1000):
                Contact.objects.filter(
                    pk__in=new_addresses[start : start + 1000], email_invalid_at__isnull=False
                ).update(email_invalid_reason="", email_invalid_at=None)

    def finish(self) -> None:
        self.write_events(
            {
                customer_id: {
                    key: n for key, n in zip(("added", "changed"), tally, strict=True) if n
                }
                for customer_id, tally in self.tallies.items()
            }
        )

    def _existing(self, records: list[dict]):
        stored = Contact.objects.filter(
            customer_id__in={record["customer_id"] for record in records}
        )
        by_external_id, by_email = {}, {}
        for values in stored.order_by("id").values("id", *VALUE_FIELDS):
            if values["external_id"]:
                by_external_id[(values["customer_id"], values["external_id"])] = values
            if values["email"]:
                by_email.setdefault((values["customer_id"], values["email"].lower()), values)
        return by_external_id, by_email

    def _match(self, record: dict, by_external_id: dict, by_email: dict):
        """The stored contact the row updates, None for a new one, False if another row of the
        file already updates it (reported as an error)."""
        customer_id, external_id = record["customer_id"], record.get("external_id", "")
        email = record.get("email", "").lower()
        old = by_external_id.get((customer_id, external_id)) if external_id else None
        if old is None and email:
            # A contact first imported by email keeps its identity when an id appears later.
            candidate = by_email.get((customer_id, email))
            if candidate and (not external_id or not candidate["external_id"]):
                old = candidate
        if old is None:
            return None
        first = self.claimed.setdefault(old["id"], record["row"])
        if first != record["row"]:
            column = "external_id" if external_id else "email"
            self.errors.add(record["row"], column, f"updates the same contact as row {first}")
            return False
        return old

    def _merge(self, record: dict, old: dict | None) -> dict:
        if old is None:
            new = dict.fromkeys(VALUE_FIELDS, "") | dict.fromkeys(ROLE_FIELDS, False)
        else:
            new = dict(old)
        new.update((key, value) for key, value in record.items() if key != "row")
        return new
