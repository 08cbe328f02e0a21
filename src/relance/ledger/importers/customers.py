"""The customers file, upserted by (entity, external_id), with tags, custom fields and the
scenario set by hand."""

from difflib import get_close_matches

from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from relance.accounts.choices import Role
from relance.accounts.selectors import users_seeing
from relance.core.choices import Language
from relance.core.validators import validate_country, validate_currency, validate_legal_id
from relance.customers.choices import GuaranteeKind
from relance.customers.models import Customer, CustomField, Tag
from relance.customers.selectors import address_problems
from relance.ledger.importers.base import Row, TableImport, validation_reason
from relance.ledger.importers.writers import BulkWriter

TEXT_COLUMNS = {
    "address_line1": 200,
    "address_line2": 200,
    "postal_code": 20,
    "city": 100,
    "category": 50,
    "hold_reason": 200,
    "insurer": 100,
}
AMOUNT_COLUMNS = ("credit_limit", "insured_amount", "guarantee_amount")
VALUE_FIELDS = [
    "name",
    "legal_id",
    *TEXT_COLUMNS,
    "country",
    "language",
    "currency",
    "collector_id",
    "scenario_id",
    "custom_field_data",
    "credit_limit",
    "on_hold",
    "hold_until",
    "insured_amount",
    "insurance_expires_on",
    "guarantee_kind",
    "guarantee_amount",
]
WRITE_FIELDS = ["entity_id", "external_id", *VALUE_FIELDS, "created_at", "updated_at"]
CUSTOM_PREFIX = "cf_"
# The field an event names for a changed value (the model's field, for its verbose name).
EVENT_FIELD = {"collector_id": "collector", "scenario_id": "scenario"}


def guarantee_kind_names() -> dict[str, str]:
    """Guarantee kinds by lower-cased code and label, in English and French."""
    names = {}
    for language in ("en", "fr"):
        with translation.override(language):
            for code, label in GuaranteeKind.choices:
                names[str(label).lower()] = code
    names.update((code, code) for code in GuaranteeKind.values)
    return names


class CustomerImport(TableImport):
    kind = "customers"
    required_columns = ("external_id", "name")
    optional_columns = (
        "legal_id",
        "address_line1",
        "address_line2",
        "postal_code",
        "city",
        "country",
        "language",
        "currency",
        "collector",
        "category",
        "tags",
        "credit_limit",
        "on_hold",
        "hold_reason",
        "hold_until",
        "scenario",
        "insurer",
        "insured_amount",
        "insurance_expires_on",
        "guarantee_kind",
        "guarantee_amount",
    )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.custom_fields = {
            f"{CUSTOM_PREFIX}{field.name}": field for field in CustomField.objects.all()
        }
        self.seen: dict[str, int] = {}
        self.now = timezone.now()
        self.writer = BulkWriter(
            Customer,
            WRITE_FIELDS,
            unique_fields=["entity", "external_id"],
            update_fields=[*VALUE_FIELDS, "updated_at"],
        )
        self.tags: dict[str, int] = {}

    def accepted_columns(self) -> list[str]:
        return [*super().accepted_columns(), *self.custom_fields]

    def check_columns(self) -> bool:
        if not super().check_columns():
            return False
        if self.has("collector"):
            self.collectors = self._collectors()
        if self.has("tags"):
            self.tags = {name.lower(): pk for pk, name in Tag.objects.values_list("id", "name")}
        if self.has("scenario"):
            self._load_scenarios()
        if self.has("guarantee_kind"):
            self.guarantee_kinds = guarantee_kind_names()
        return True

    def _load_scenarios(self) -> None:
        """The scenarios by name, in one query; those restricted to another entity are kept
        apart to say why they are refused. Names match exactly, else case-insensitively."""
        # Through the app registry: scenarios sit above the ledger in the layers.
        scenario_model = apps.get_model("scenarios", "Scenario")
        self.scenarios: dict[str, int] = {}
        self.scenarios_folded: dict[str, int | None] = {}
        self.foreign_scenarios: dict[str, str] = {}
        rows = scenario_model.objects.values_list("id", "name", "entity_id", "entity__slug")
        for pk, name, entity_id, slug in rows:
            if entity_id is not None and entity_id != self.entity.pk:
                self.foreign_scenarios[name.lower()] = slug
                continue
            self.scenarios[name] = pk
            key = name.lower()
            # None marks names that differ only by case: they must be written exactly.
            self.scenarios_folded[key] = None if key in self.scenarios_folded else pk

    def _collectors(self) -> dict[str, int | None]:
        """Usernames and emails (lower-cased) of active users who may see the entity; None
        marks an email that several users share. Read-only users are kept apart (in
        `self.read_only`) to say why they cannot collect."""
        found: dict[str, int | None] = {}
        self.read_only: set[str] = set()
        users = users_seeing(self.entity)
        rows = users.values_list("id", "username", "email", "role", "is_superuser")
        for pk, username, email, role, is_superuser in rows:
            keys = [username.lower(), *([email.lower()] if email else [])]
            if role == Role.READ_ONLY and not is_superuser:
                self.read_only.update(keys)
                continue
            if email:
                key = email.lower()
                found[key] = None if key in found and found[key] != pk else pk
            found[username.lower()] = pk
        return found

    def parse(self, row: Row) -> dict | None:
        external_id = row.text("external_id", required=True, max_length=50)
        record = {
            "external_id": external_id,
            "name": row.text("name", required=True, max_length=200),
        }
        for column, max_length in TEXT_COLUMNS.items():
            if self.has(column):
                record[column] = row.text(column, max_length=max_length)
        self._parse_codes(row, record)
        if self.has("collector"):
            record["collector_id"] = self._collector(row)
        for column in AMOUNT_COLUMNS:
            if self.has(column):
                record[column] = row.amount(column)
        if self.has("insurance_expires_on"):
            record["insurance_expires_on"] = row.date("insurance_expires_on")
        if self.has("guarantee_kind"):
            record["guarantee_kind"] = self._guarantee_kind(row)
        if self.has("on_hold"):
            record["on_hold"] = row.flag("on_hold")
        if self.has("hold_until"):
            record["hold_until"] = row.date("hold_until")
        if self.has("scenario"):
            record["scenario_id"] = self._scenario(row)
        if self.has("tags"):
            record["tags"] = self._tags(row)
        self._check_cover(row, record)
        record["custom"] = self._custom(row)
        if external_id:
            first = self.seen.setdefault(external_id, row.number)
            if first != row.number:
                row.error(
                    "external_id", f"duplicate external_id in the file (first at row {first})"
                )
        return record if row.ok else None

    def _parse_codes(self, row: Row, record: dict) -> None:
        """Country, language and currency (empty: the entity's), then the legal id, checked
        against the country."""
        checks = {"country": validate_country, "currency": validate_currency}
        for column, check in checks.items():
            if self.has(column):
                value = row.text(column).upper() or getattr(self.entity, column)
                try:
                    record[column] = check(value)
                except ValidationError as exc:
                    row.error(column, validation_reason(exc))
        if self.has("language"):
            # "pt_BR" as well as "pt-br", the catalogues' spelling and Django's
            value = row.text("language").lower().replace("_", "-") or self.entity.language
            if value in Language.values:
                record["language"] = value
            else:
                row.error("language", f"{value!r} is not a language: {', '.join(Language.values)}")
        if record.get("postal_code"):
            country = record.get("country") or self.entity.country
            for problem in address_problems(country, record["postal_code"]):
                row.error("postal_code", problem)
        if self.has("legal_id"):
            value = row.text("legal_id", max_length=30)
            try:
                country = record.get("country") or self.entity.country
                record["legal_id"] = validate_legal_id(value, country) if value else ""
            except ValidationError as exc:
                row.error("legal_id", validation_reason(exc))

    @staticmethod
    def _check_cover(row: Row, record: dict) -> None:
        """An insured amount comes with its insurer, a guarantee amount with its kind."""
        pairs = (("insured_amount", "insurer"), ("guarantee_amount", "guarantee_kind"))
        for amount, name in pairs:
            if record.get(amount) is not None and not record.get(name):
                row.error(amount, f"an amount needs the column {name} filled in on the same row")

    def _guarantee_kind(self, row: Row) -> str:
        """A guarantee kind by its code or its label (in either language); empty: none."""
        value = row.text("guarantee_kind")
        if not value:
            return ""
        key = value.lower()
        if key in self.guarantee_kinds:
            return self.guarantee_kinds[key]
        codes = ", ".join(GuaranteeKind.values)
        row.error("guarantee_kind", f"unknown guarantee kind {value!r}: use {codes}")
        return ""

    def _collector(self, row: Row) -> int | None:
        value = row.text("collector")
        if not value:
            return None
        key = value.lower()
        if key in self.collectors and self.collectors[key] is None:
            row.error("collector", f"several users have the email {value!r}: use a username")
        elif key not in self.collectors and key in self.read_only:
            row.error("collector", f"{value!r} is read-only: a read-only user cannot collect")
        elif key not in self.collectors:
            row.error("collector", f"unknown collector {value!r}: no active user of this entity")
        return self.collectors.get(key)

    def _scenario(self, row: Row) -> int | None:
        """The scenario set by hand, by name; an empty cell clears it."""
        value = row.text("scenario")
        if not value:
            return None
        if value in self.scenarios:
            return self.scenarios[value]
        key = value.lower()
        if self.scenarios_folded.get(key) is not None:
            return self.scenarios_folded[key]
        if key in self.scenarios_folded:
            row.error(
                "scenario", f"several scenarios match {value!r} but for the case: write it exactly"
            )
        elif key in self.foreign_scenarios:
            slug = self.foreign_scenarios[key]
            row.error("scenario", f"scenario {value!r} is restricted to the entity {slug}")
        else:
            reason = f"unknown scenario {value!r}"
            names = {name.lower(): name for name in self.scenarios}
            close = get_close_matches(key, list(names), n=1, cutoff=0.6)
            row.error(
                "scenario", reason + (f": did you mean {names[close[0]]!r}?" if close else "")
            )
        return None

    def _tags(self, row: Row) -> list[str]:
        names = []
        for name in row.text("tags").split("|"):
            name = name.strip()
            if len(name) > 50:
                row.error("tags", f"tag {name[:20]!r}… is longer than 50 characters")
            elif name and name.lower() not in {known.lower() for known in names}:
                names.append(name)
        return names

    def _custom(self, row: Row) -> dict:
        values = {}
        for column, field in self.custom_fields.items():
            if self.has(column):
                try:
                    values[field.name] = field.to_python(row.text(column))
                except ValueError as exc:
                    row.error(column, str(exc))
        return values

    def apply(self, records: list[dict]) -> None:
        stored = Customer.objects.filter(
            entity=self.entity, external_id__in=[record["external_id"] for record in records]
        )
        existing = {
            values["external_id"]: values
            for values in stored.values("id", "external_id", *VALUE_FIELDS)
        }
        old_tags = self._stored_tags([values["id"] for values in existing.values()])
        rows, retag, changes = [], {}, {}
        for record in records:
            old = existing.get(record["external_id"])
            new = self._merge(record, old)
            tags_change = "tags" in record and (
                old is None or self._tag_keys(record["tags"]) != old_tags.get(old["id"], set())
            )
            if old is None:
                self.created += 1
            elif new == old and not tags_change:
                self.unchanged += 1
                continue
            else:
                self.updated += 1
            if tags_change:
                retag[record["external_id"]] = record["tags"]
            changes[record["external_id"]] = _change(old, new, tags_change)
            rows.append(
                (
                    self.entity.pk,
                    record["external_id"],
                    *(new[name] for name in VALUE_FIELDS),
                    self.now,
                    self.now,
                )
            )
        if not self.dry_run and rows:
            self.writer.upsert(rows)
            self.writer.flush()
            ids = dict(
                Customer.objects.filter(entity=self.entity, external_id__in=list(changes))
                .values_list("external_id", "id")
                .order_by()
            )
            self._write_tags(retag, ids)
            self.write_events({ids[external_id]: data for external_id, data in changes.items()})

    def _merge(self, record: dict, old: dict | None) -> dict:
        if old is None:
            new = {
                "external_id": record["external_id"],
                "legal_id": "",
                **dict.fromkeys(TEXT_COLUMNS, ""),
                "country": self.entity.country,
                "language": self.entity.language,
                "currency": self.entity.currency,
                "collector_id": None,
                "scenario_id": None,
                "custom_field_data": {},
                "credit_limit": None,
                "on_hold": False,
                "hold_until": None,
                "insurer": "",
                "insured_amount": None,
                "insurance_expires_on": None,
                "guarantee_kind": "",
                "guarantee_amount": None,
            }
        else:
            new = dict(old)
        custom = record.get("custom")
        new.update((key, value) for key, value in record.items() if key not in {"tags", "custom"})
        if custom:
            data = {**new["custom_field_data"], **custom}
            new["custom_field_data"] = {
                key: value for key, value in data.items() if value is not None
            }
        return new

    def _stored_tags(self, customer_ids: list[int]) -> dict[int, set[str]]:
        if not self.has("tags") or not customer_ids:
            return {}
        through = Customer.tags.through.objects.filter(customer_id__in=customer_ids)
        tags: dict[int, set[str]] = {}
        for customer_id, name in through.values_list("customer_id", "tag__name"):
            tags.setdefault(customer_id, set()).add(name.lower())
        return tags

    @staticmethod
    def _tag_keys(names: list[str]) -> set[str]:
        return {name.lower() for name in names}

    def _write_tags(self, retag: dict[str, list[str]], ids: dict[str, int]) -> None:
        """Replace the tags of the customers whose tags changed (`ids`: their ids by external
        id): two statements a chunk."""
        if not retag:
            return
        missing = {name.lower(): name for names in retag.values() for name in names}
        missing = {key: name for key, name in missing.items() if key not in self.tags}
        if missing:
            Tag.objects.bulk_create(
                [Tag(name=name) for name in missing.values()], ignore_conflicts=True
            )
            created = Tag.objects.filter(name__in=list(missing.values())).values_list("id", "name")
            self.tags.update((name.lower(), pk) for pk, name in created)
        through = Customer.tags.through
        through.objects.filter(customer_id__in=[ids[key] for key in retag]).delete()
        through.objects.bulk_create(
            [
                through(customer_id=ids[external_id], tag_id=self.tags[name.lower()])
                for external_id, names in retag.items()
                for name in names
            ],
            batch_size=2000,
        )


def _change(old: dict | None, new: dict, tags_change: bool) -> dict:
    """What the file did to one customer, for its timeline event."""
    if old is None:
        return {"created": True}
    fields = [EVENT_FIELD.get(name, name) for name in VALUE_FIELDS if old[name] != new[name]]
    return {"fields": [*fields, "tags"] if tags_change else fields}
