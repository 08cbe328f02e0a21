"""Inserting a batch of rows faster than bulk_create where it matters (sending: outbox rows,
page links): COPY on PostgreSQL, bulk_create elsewhere."""

import json
import uuid
from operator import attrgetter

from django.db import connection, transaction
from django.db.models import JSONField

# Fewer rows than this go the plain way (a statement each, or bulk_create): a temporary
# table costs four statements of its own, more than it saves on a handful of rows.
STAGE_AFTER_ROWS = 200


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


def rows_update(model, fields: tuple[str, ...], rows: list[tuple], **constants) -> int:
    """Set `fields` of many rows of `model` at once: `rows` are (pk, *values) in the order
    of `fields`, each value of the field's Python type; `constants` (field name → value) are
    set on every one of them (`updated_at=now`). Answers the number of rows given.

    One UPDATE joined on the primary key to the new values. On PostgreSQL, from
    STAGE_AFTER_ROWS rows, the values are COPied into a temporary table (analysed, so that
    the join probes the primary key); on SQLite 3.33 and later, `WITH v(...) AS (VALUES
    ...) UPDATE ... FROM v` per batch; otherwise one UPDATE per row. bulk_update and CASE
    WHEN chains compare each row with every value of its batch, quadratic work in the
    database, and spend seconds in Django's compiler and the driver's quoting at ten
    thousand rows."""
    if not rows:
        return 0
    meta = model._meta
    targets = [meta.get_field(name) for name in fields]
    fixed = [(meta.get_field(name), value) for name, value in constants.items()]
    fixed_params = [f.get_db_prep_save(value, connection) for f, value in fixed]
    if connection.vendor == "postgresql" and len(rows) >= STAGE_AFTER_ROWS:
        _update_from_copy(meta, targets, rows, fixed, fixed_params)
        return len(rows)
    prepared = [
        (pk, *(f.get_db_prep_save(v, connection) for f, v in zip(targets, values, strict=True)))
        for pk, *values in rows
    ]
    if connection.vendor == "sqlite" and connection.Database.sqlite_version_info >= (3, 33):
        _update_from_values(meta, targets, prepared, fixed, fixed_params)
        return len(rows)
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(f.column)} = %s" for f in [*targets, *(f for f, _v in fixed)])
    sql = f"UPDATE {quote(meta.db_table)} SET {sets} WHERE {quote(meta.pk.column)} = %s"
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(*row[1:], *fixed_params, row[0]) for row in prepared])
    return len(rows)


def _sets(targets, fixed, source: str) -> str:
    quote = connection.ops.quote_name
    return ", ".join(
        [f"{quote(f.column)} = {source}.v{index}" for index, f in enumerate(targets)]
        + [f"{quote(f.column)} = %s" for f, _v in fixed]
    )


def _update_from_copy(meta, targets, rows, fixed, fixed_params) -> None:
    quote = connection.ops.quote_name
    table, stage = quote(meta.db_table), f"rows_update_{uuid.uuid4().hex[:12]}"
    columns = [f"pk {meta.pk.db_type(connection)}"] + [
        f"v{index} {f.db_type(connection)}" for index, f in enumerate(targets)
    ]
    jsons = [index for index, f in enumerate(targets) if isinstance(f, JSONField)]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {stage} ({', '.join(columns)})")
        with cursor.cursor.copy(f"COPY {stage} FROM STDIN") as copy:
            for pk, *values in rows:
                for index in jsons:
                    values[index] = json.dumps(values[index])
                copy.write_row((pk, *values))
        cursor.execute(f"ANALYZE {stage}")
        cursor.execute(
            f"UPDATE {table} SET {_sets(targets, fixed, 's')} FROM {stage} s "
            f"WHERE {table}.{quote(meta.pk.column)} = s.pk",
            fixed_params,
        )
        cursor.execute(f"DROP TABLE {stage}")


def _update_from_values(meta, targets, prepared, fixed, fixed_params) -> None:
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    names = ["pk", *(f"v{index}" for index in range(len(targets)))]
    width = len(names)
    size = 1000
    if connection.features.max_query_params:
        size = max(1, (connection.features.max_query_params - len(fixed)) // width)
    with connection.cursor() as cursor:
        for start in range(0, len(prepared), size):
            batch = prepared[start : start + size]
            values = ", ".join(["(" + ", ".join(["%s"] * width) + ")"] * len(batch))
            cursor.execute(
                f"WITH v ({', '.join(names)}) AS (VALUES {values}) "
                f"UPDATE {table} SET {_sets(targets, fixed, 'v')} FROM v "
                f"WHERE {table}.{quote(meta.pk.column)} = v.pk",
                [*(value for row in batch for value in row), *fixed_params],
            )


def insert_new(objs: list, given: tuple[str, ...], *, batch_size: int = 1000) -> None:
    """Insert `objs` (new instances of one model), skipping those a unique constraint
    refuses, as bulk_create(ignore_conflicts=True) does (their ids are not set); `given`
    as for copy_insert. On PostgreSQL, from STAGE_AFTER_ROWS rows, they go by COPY into a
    temporary table, then one INSERT … SELECT … ON CONFLICT DO NOTHING: bulk_create's
    compiler and quoting cost more than the insert itself at thousands of rows (the
    item.settled deliveries of a statement: 3.2 s for 6,932 rows, measured)."""
    if not objs:
        return
    model = type(objs[0])
    if connection.vendor != "postgresql" or len(objs) < STAGE_AFTER_ROWS:
        model.objects.bulk_create(objs, ignore_conflicts=True, batch_size=batch_size)
        return
    meta = model._meta
    fields = [meta.get_field(name) for name in given]
    rest = [f for f in meta.concrete_fields if not f.primary_key and f not in fields]
    first = objs[0]
    constants = tuple(f.get_db_prep_save(f.pre_save(first, add=True), connection) for f in rest)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in [*fields, *rest])
    stage = f"insert_new_{uuid.uuid4().hex[:12]}"
    definition = ", ".join(f"{quote(f.column)} {f.db_type(connection)}" for f in [*fields, *rest])
    readers = [
        (lambda obj, name=f.attname, encoder=f.encoder: json.dumps(getattr(obj, name), cls=encoder))
        if isinstance(f, JSONField)
        else (lambda obj, name=f.attname: getattr(obj, name))
        for f in fields
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {stage} ({definition})")
        with cursor.cursor.copy(f"COPY {stage} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row((*[read(obj) for read in readers], *constants))
        cursor.execute(
            f"INSERT INTO {quote(meta.db_table)} ({columns}) SELECT {columns} FROM {stage} "
            "ON CONFLICT DO NOTHING"
        )
        cursor.execute(f"DROP TABLE {stage}")
