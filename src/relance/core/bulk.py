"""Inserting a batch of rows faster than bulk_create where it matters (sending: outbox rows,
page links): COPY on PostgreSQL, bulk_create elsewhere."""

import json
from operator import attrgetter

from django.db import connection
from django.db.models import JSONField


def copy_insert(objs: list, given: tuple[str, ...]) -> None:
    """Insert `objs` (new instances of one model) and give them their ids, as bulk_create
    does. `given` names the fields each instance sets itself: their values are written as
    they are (already of the column's Python type); every other field takes the first
    instance's default (an `auto_now` time: one for the batch), prepared once.

    On PostgreSQL the ids are taken from the sequence first, then the rows go by COPY:
    bulk_create spends most of its time in Django's SQL compiler and in psycopg's quoting
    of each value, a fifth of a batch of emails' CPU for its outbox rows."""
    if not objs:
        return
    model = type(objs[0])
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs)
        return
    meta = model._meta
    fields = [meta.get_field(name) for name in given]
    rest = [f for f in meta.concrete_fields if not f.primary_key and f not in fields]
    first = objs[0]
    read = attrgetter(*[f.attname for f in fields])  # one call per instance
    jsons = [n for n, f in enumerate(fields) if isinstance(f, JSONField)]

    def row(obj) -> list:
        values = list(read(obj)) if len(fields) > 1 else [read(obj)]
        for n in jsons:
            values[n] = json.dumps(values[n])
        return values

    ids = _copy(model, fields, map(row, objs), len(objs), first)
    # The others' values as written (the first instance's): plain attributes of a new row.
    written = {field.attname: getattr(first, field.attname) for field in rest}
    alias, pk_name = connection.alias, meta.pk.attname
    for pk, obj in zip(ids, objs, strict=True):
        obj.__dict__.update(written)
        obj.__dict__[pk_name] = pk
        obj._state.adding, obj._state.db = False, alias


def copy_rows(model, given: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert `rows`, tuples of the values of the fields `given` (attribute names: an
    `_id` for a foreign key), as plain rows: no model instance on PostgreSQL (COPY), the
    others' defaults as copy_insert takes them. Elsewhere through bulk_create. For rows
    nobody reads back in the same process (a batch's page links)."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**dict(zip(given, row, strict=True))) for row in rows])
        return
    meta = model._meta
    fields = [meta.get_field(name) for name in given]
    _copy(model, fields, rows, len(rows), model())


def _copy(model, fields: list, rows, count: int, first) -> list[int]:
    """COPY `count` rows of `fields` values (an iterable of sequences) into `model`'s table,
    the other fields at `first`'s defaults (prepared once); answers the ids given, in order."""
    meta = model._meta
    rest = [f for f in meta.concrete_fields if not f.primary_key and f not in fields]
    constants = tuple(f.get_db_prep_save(f.pre_save(first, add=True), connection) for f in rest)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in [meta.pk, *fields, *rest])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, count],
        )
        ids = sorted(pk for (pk,) in cursor.fetchall())
        with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for pk, row in zip(ids, rows, strict=True):
                copy.write_row((pk, *row, *constants))
    return ids
