"""Reads of the audit trail: which entries a list shows, and each entry's changes as
before/after rows, computed from the entry alone (no query per row)."""

import json
from dataclasses import dataclass

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from relance.audit.tracking import PARENTS

ACTION_LABELS = {
    LogEntry.Action.CREATE: gettext_lazy("Created"),
    LogEntry.Action.UPDATE: gettext_lazy("Changed"),
    LogEntry.Action.DELETE: gettext_lazy("Deleted"),
    LogEntry.Action.ACCESS: gettext_lazy("Accessed"),
}
EMPTY = "None"  # how auditlog writes an empty value


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


def log_entry_queryset() -> QuerySet:
    return LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")


def tracked_content_types() -> list[ContentType]:
    """The types the trail records, by name (for the type filter)."""
    types = ContentType.objects.get_for_models(*auditlog.get_models()).values()
    return sorted(types, key=type_label)


def type_label(content_type: ContentType) -> str:
    model = content_type.model_class()
    return str(model._meta.verbose_name).capitalize() if model else content_type.model


def object_entries(content_type: ContentType, pk: int) -> QuerySet:
    """The history of one object and of its children (a customer's contacts and items, a
    scenario's steps, a template's texts), deleted children included."""
    condition = Q(content_type=content_type, object_pk=str(pk))
    for label, field in PARENTS.get(f"{content_type.app_label}.{content_type.model}", ()):
        child = apps.get_model(label)
        current = child.objects.filter(**{field: pk}).values("pk")
        condition |= Q(content_type=ContentType.objects.get_for_model(child)) & (
            Q(**{f"serialized_data__fields__{field}": pk}) | Q(object_id__in=current)
        )
    return log_entry_queryset().filter(condition)


def user_entries(user) -> QuerySet:
    """What a user changed, and what happened to their account (role, entities, lockouts)."""
    user_type = ContentType.objects.get_for_model(user)
    return log_entry_queryset().filter(
        Q(actor=user) | Q(content_type=user_type, object_pk=str(user.pk))
    )


def entry_changes(entry: LogEntry) -> list[Change]:
    """The changed fields of `entry`, labelled and with choices shown by their labels."""
    model = entry.content_type.model_class()
    changes = []
    for name, values in (entry.changes or {}).items():
        field = _field(model, name)
        label = str(field.verbose_name) if field is not None else name
        if isinstance(values, dict):  # a many-to-many change: objects added or removed
            objects = ", ".join(str(item) for item in values.get("objects", []))
            added = values.get("operation") == "add"
            changes.append(Change(label, "" if added else objects, objects if added else ""))
        else:
            before, after = (_display(field, value) for value in values)
            if before or after:  # a creation lists empty fields as None → ""
                changes.append(Change(label, before, after))
    return changes


def entry_details(entry: LogEntry) -> str:
    """Extra data an entry carries (e.g. a lockout's address), as `key: value` text."""
    data = entry.additional_data
    if not data:
        return ""
    if not isinstance(data, dict):
        return json.dumps(data, ensure_ascii=False)
    return "; ".join(f"{key}: {value}" for key, value in data.items())


def _field(model, name: str):
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if hasattr(field, "verbose_name") else None  # not a reverse relation


def _display(field, value) -> str:
    if value is None or value == EMPTY:
        return ""
    value = str(value)
    if field is None:
        return value
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if field.get_internal_type() == "BooleanField":
        return _("Yes") if value == "True" else _("No")
    return value
