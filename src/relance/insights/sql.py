"""Small pieces of SQL the behaviour, effectiveness and forecast selectors share, written
for both databases: date arithmetic is where PostgreSQL and SQLite differ."""

from django.db import connection


def days_between(later: str, earlier: str) -> str:
    """SQL for the whole days from `earlier` to `later` (two date columns or expressions)."""
    if connection.vendor == "postgresql":
        return f"({later} - {earlier})"
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def days_late(settled: str = "i.settled_on", due: str = "i.due_date") -> str:
    """SQL for the days an invoice was paid late: settled − due, 0 when paid on or before
    its due date. The one definition the behaviour, the forecast and the risk score share
    (docs/insights.md, "Payment behaviour" and "Risk score")."""
    return f"(CASE WHEN {settled} > {due} THEN {days_between(settled, due)} ELSE 0 END)"


def date_param(placeholder: str = "%s") -> str:
    """A date parameter as a date (PostgreSQL would otherwise guess its type in arithmetic)."""
    return f"CAST({placeholder} AS date)" if connection.vendor == "postgresql" else placeholder


def customers_clause(column: str, customers) -> tuple[str, list]:
    """`AND column IN (the customers' ids)` for a queryset or a list of customers or ids, or
    nothing for None (every customer)."""
    if customers is None:
        return "", []
    if hasattr(customers, "query"):
        sql, params = customers.order_by().values("pk").query.sql_with_params()
        return f" AND {column} IN ({sql})", list(params)
    ids = [getattr(customer, "pk", customer) for customer in customers]
    if not ids:
        return " AND 1 = 0", []
    return f" AND {column} IN ({', '.join(['%s'] * len(ids))})", ids


def fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def add_days(column: str, days: int) -> str:
    """SQL for the date `days` days after the date `column` (an integer literal)."""
    days = int(days)
    if connection.vendor == "postgresql":
        return f"({column} + {days})"
    return f"date({column}, '{days:+d} days')"


def money(value):
    """A sum read by a raw query as Decimal (SQLite answers int or float)."""
    from decimal import Decimal

    if value is None:
        return Decimal("0.00")
    value = value if isinstance(value, Decimal) else Decimal(str(value))
    return value.quantize(Decimal("0.01"))


def divided(numerator: str, denominator: str) -> str:
    """SQL for numerator / denominator in decimals (SQLite divides integers as integers)."""
    if connection.vendor == "postgresql":
        return f"({numerator}) / ({denominator})"
    return f"CAST({numerator} AS REAL) / ({denominator})"
