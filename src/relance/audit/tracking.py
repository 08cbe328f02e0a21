"""What the audit trail records: the models django-auditlog watches, and how.

Every save and delete of these models through the ORM (views, services, the admin, the
command line) writes a LogEntry with the changed fields before and after. Bulk writes
(`bulk_create`, `bulk_update`, `QuerySet.update`, COPY) send no signal and are not logged:
imports keep their own record (ImportBatch and the customer timeline).

Customers, contacts and items are deleted only in bulk (demo reset, imports), never one by
one in the UI: their deletions are not logged, so that such a delete stays one SQL statement
instead of loading and logging every row.
"""

import json
import re

from auditlog.receivers import log_delete
from auditlog.registry import auditlog
from django.apps import apps
from django.db.models.signals import post_delete

from relance.delivery.sealing import ENV_PREFIX, SEALED_PREFIX, is_secret

REDACTED = "***"
NOISE = ("created_at", "updated_at")  # a change already has its time
URL_CREDENTIALS = re.compile(r"(?<=://)[^/@\s]+@")

# Where a child's changes belong: the child model and its foreign key to the parent.
PARENTS = {
    "customers.customer": (("customers.Contact", "customer"), ("ledger.Item", "customer")),
    "scenarios.scenario": (("scenarios.Step", "scenario"),),
    "templating.messagetemplate": (("templating.TemplateVariant", "template"),),
}

TRACKED = {
    "core.Entity": {},
    "accounts.User": {
        "exclude_fields": ["password", "last_login"],
        "m2m_fields": {"entities", "groups"},
    },
    "customers.Customer": {"m2m_fields": {"tags"}, "deletes": False},
    "customers.Contact": {"deletes": False},
    "ledger.Item": {"deletes": False},
    "templating.MessageTemplate": {"exclude_fields": ["updated_by"]},
    "templating.TemplateVariant": {},
    "scenarios.Scenario": {},
    "scenarios.Step": {"m2m_fields": {"responsible_users", "responsible_groups", "cc_users"}},
    "segments.Segment": {"exclude_fields": ["computed_at"]},
    "delivery.Connector": {
        "mask_fields": ["settings", "callback_token"],
        "mask_callable": "relance.audit.tracking.mask_secret",
    },
}


def register_tracked_models() -> None:
    children = {child: field for links in PARENTS.values() for child, field in links}
    for label, options in TRACKED.items():
        options = dict(options)
        deletes = options.pop("deletes", True)
        model = apps.get_model(label)
        # Reverse relations (a customer's `items`) are no field of the row: auditlog would
        # list them on every creation as "customers.Item.None".
        reverse = [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]
        options["exclude_fields"] = [*NOISE, *reverse, *options.get("exclude_fields", [])]
        if label in children:
            # The parent's id kept with each entry: the parent's history finds the
            # changes of its children, deleted ones included.
            options["serialize_data"] = True
            options["serialize_kwargs"] = {"fields": [children[label]]}
        auditlog.register(model, **options)
        if not deletes:
            post_delete.disconnect(
                sender=model, dispatch_uid=auditlog._dispatch_uid(post_delete, log_delete)
            )


def mask_secret(value: str) -> str:
    """A connector's settings with every secret replaced by ***; any other masked value
    (the callback token) replaced whole. Only `env:NAME` references stay readable."""
    if value in ("", "None"):
        return value
    try:
        data = json.loads(value)
    except ValueError:
        return REDACTED
    if not isinstance(data, dict):
        return REDACTED
    return json.dumps(_redact(data), sort_keys=True, ensure_ascii=False)


def _redact(value, name: str = ""):
    if isinstance(value, str) and value.startswith(ENV_PREFIX):
        return value  # the name of an environment variable, not its value
    if value in ("", None):
        return value
    if is_secret(name) or (isinstance(value, str) and value.startswith(SEALED_PREFIX)):
        return REDACTED
    if isinstance(value, dict):
        return {key: _redact(item, key) for key, item in value.items()}
    if isinstance(value, list):
        return [_redact(item) for item in value]
    if isinstance(value, str):
        return URL_CREDENTIALS.sub(REDACTED + "@", value)  # https://user:password@host
    return value
