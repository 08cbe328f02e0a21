"""Bulk writes for imports, inside the caller's transaction.

On PostgreSQL rows are COPied into an unindexed temporary table and merged with one
`INSERT … SELECT … ON CONFLICT` or `UPDATE … FROM` statement (1M rows: seconds, where
bulk_create takes a minute). Elsewhere (SQLite) the ORM's bulk_create and bulk_update do it.
"""

import json
import sqlite3
import uuid

from django.db import connection

BATCH_SIZE = 2000


class BulkWriter:
    """Writes rows of `model`, each a tuple of values in the order of `fields` (attnames)."""

    def __init__(self, model, fields: list[str], *, unique_fields=(), update_fields=()):
        self.model = model
        self.fields = list(fields)
        self.unique_fields = list(unique_fields)
        self.update_fields = list(update_fields)
        self.postgres = connection.vendor == "postgresql"
        if connection.vendor == "sqlite":
            use_sqlite_variable_limit()
        self.stage = f"import_stage_{uuid.uuid4().hex[:12]}"
        self.staged = False
        self._json = [
            index
            for index, name in enumerate(self.fields)
            if model._meta.get_field(name).get_internal_type() == "JSONField"
        ]

    def _columns(self, fields) -> str:
        quote = connection.ops.quote_name
        return ", ".join(quote(self.model._meta.get_field(name).column) for name in fields)

    def _copy(self, table: str, fields, rows) -> None:
        """COPY rows into `table`; JSON values go as text, which PostgreSQL parses."""
        json_at = self._json if fields is self.fields else [i + 1 for i in self._json]
        with connection.cursor() as cursor:
            sql = f"COPY {table} ({self._columns(fields)}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                for row in rows:
                    if json_at:
                        row = list(row)
                        for index in json_at:
                            row[index] = json.dumps(row[index])
                    copy.write_row(row)

    def _create_stage(self, fields) -> None:
        table = connection.ops.quote_name(self.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.stage} AS "
                f"SELECT {self._columns(fields)} FROM {table} WITH NO DATA"
            )
        self.staged = True

    def _objects(self, rows, fields=None):
        names = fields or self.fields
        return [self.model(**dict(zip(names, row, strict=True))) for row in rows]

    def upsert(self, rows: list[tuple]) -> None:
        """Insert new rows and update those whose unique fields exist (on PostgreSQL, staged
        until `flush`)."""
        if not rows:
            return
        if not self.postgres:
            self.model.objects.bulk_create(
                self._objects(rows),
                batch_size=BATCH_SIZE,
                update_conflicts=True,
                unique_fields=self.unique_fields,
                update_fields=self.update_fields,
            )
            return
        if not self.staged:
            self._create_stage(self.fields)
        self._copy(self.stage, self.fields, rows)

    def flush(self, returning: tuple[str, ...] = ()) -> list[tuple] | None:
        """Merge the staged rows into the table with one statement; with `returning`
        (attnames), answers those values of every row written (None: nothing was staged, as
        on SQLite, where `upsert` wrote at once)."""
        if not self.staged:
            return None
        quote = connection.ops.quote_name
        columns = self._columns(self.fields)
        updates = ", ".join(
            f"{quote(column)} = EXCLUDED.{quote(column)}"
            for column in (self.model._meta.get_field(name).column for name in self.update_fields)
        )
        returned = f" RETURNING {self._columns(returning)}" if returning else ""
        # In the order of the unique key: two imports at once that share rows lock them in
        # the same order, so that one waits for the other rather than both deadlocking.
        unique = self._columns(self.unique_fields)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {quote(self.model._meta.db_table)} ({columns}) "
                f"SELECT {columns} FROM {self.stage} ORDER BY {unique} "
                f"ON CONFLICT ({unique}) DO UPDATE SET {updates}" + returned
            )
            written = cursor.fetchall() if returning else []
            cursor.execute(f"DROP TABLE {self.stage}")
        self.staged = False
        return written

    def insert(self, rows: list[tuple]) -> None:
        """Insert rows known to be new."""
        if not rows:
            return
        if self.postgres:
            self._copy(quote_table(self.model), self.fields, rows)
        else:
            self.model.objects.bulk_create(self._objects(rows), batch_size=BATCH_SIZE)

    def update(self, rows: list[tuple]) -> None:
        """Update existing rows; each tuple starts with the primary key, then `fields`."""
        if not rows:
            return
        if not self.postgres:
            objects = self._objects(rows, ["pk", *self.fields])
            self.model.objects.bulk_update(objects, self.fields, batch_size=BATCH_SIZE)
            return
        quote = connection.ops.quote_name
        with_pk = ["id", *self.fields]
        self._create_stage(with_pk)
        self._copy(self.stage, with_pk, rows)
        sets = ", ".join(
            f"{quote(column)} = s.{quote(column)}"
            for column in (self.model._meta.get_field(name).column for name in self.fields)
        )
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {self.stage}")
            cursor.execute(
                f"UPDATE {quote_table(self.model)} AS t SET {sets} "
                f"FROM {self.stage} AS s WHERE t.id = s.id"
            )
            cursor.execute(f"DROP TABLE {self.stage}")
        self.staged = False


def quote_table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def use_sqlite_variable_limit() -> None:
    """Let bulk_create and bulk_update send ~2,000 rows a statement on SQLite.

    Django 5.2 assumes SQLite's old limit of 999 variables a statement, so a 16-column
    bulk_create sends 62 rows at a time; the SQLite linked into Python allows 32,766 (Django
    6.0 reads it the same way)."""
    connection.ensure_connection()
    limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    if limit > connection.features.max_query_params:
        connection.features.max_query_params = limit
