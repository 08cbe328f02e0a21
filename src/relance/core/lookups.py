"""A lookup the ORM lacks: `field__among=ids`, for filters on thousands of ids.

`pk__in` writes one placeholder per value, and Django compiles then psycopg quotes each of
them: for a batch of 1,000 to 2,000 ids, a noticeable share of a batch's CPU and a statement
of many kilobytes that PostgreSQL parses and plans each time. `__among` sends the values as
one array parameter on PostgreSQL (`col = ANY(%s::bigint[])`, the same plan as IN: an index
scan), and is IN everywhere else (SQLite has no arrays)."""

from django.core.exceptions import EmptyResultSet
from django.db.models import Field, ForeignKey
from django.db.models.lookups import In

# Integer columns: a list of plain ints needs no preparation value by value.
INTEGER_TYPES = {"AutoField", "BigAutoField", "SmallAutoField", "IntegerField"}
INTEGER_TYPES |= {"BigIntegerField", "SmallIntegerField", "PositiveIntegerField"}
INTEGER_TYPES |= {"PositiveBigIntegerField", "PositiveSmallIntegerField"}


def _plain_ids(lookup) -> bool:
    """The values are plain ints for an integer column: prepared as they are (a batch's
    thousands of ids otherwise go through the field's preparation one by one)."""
    field = getattr(lookup.lhs, "output_field", None)
    if field is None or not isinstance(lookup.rhs, list | tuple | set | frozenset):
        return False
    if isinstance(field, ForeignKey):
        field = field.target_field
    return field.get_internal_type() in INTEGER_TYPES and _only_ints(lookup.rhs)


def _only_ints(values) -> bool:
    return set(map(type, values)) <= {int, type(None)}


@Field.register_lookup
class Among(In):
    """IN over a list of values (ids, or values of the field's type); one array parameter
    on PostgreSQL. A subquery or an expression goes as IN does."""

    lookup_name = "among"

    def get_prep_lookup(self):
        if self.rhs_is_direct_value() and _plain_ids(self):
            return list(self.rhs)
        return super().get_prep_lookup()

    def as_postgresql(self, compiler, connection):
        if not self.rhs_is_direct_value():
            return self.as_sql(compiler, connection)
        field = self.lhs.output_field
        if _plain_ids(self):
            values = [value for value in dict.fromkeys(self.rhs) if value is not None]
        else:
            values = [
                field.get_db_prep_value(value, connection, prepared=True)
                for value in dict.fromkeys(self.rhs)
                if value is not None
            ]
        if not values:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::{field.cast_db_type(connection)}[])", (*lhs_params, values)


@ForeignKey.register_lookup
class RelatedAmong(Among):
    """`customer__among=ids` (or `customer_id__among`): the related rows' ids (or rows)."""

    def get_prep_lookup(self):
        if self.rhs_is_direct_value() and not _only_ints(self.rhs):
            self.rhs = [getattr(value, "pk", value) for value in self.rhs]
        return super().get_prep_lookup()
