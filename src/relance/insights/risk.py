"""The risk score of each customer (models.CustomerRisk): 0 (no risk) to 100, a weighted
mean of five parts, each 0–100, from the customer's invoices in its own currency on the
day (docs/insights.md, "Risk score", works one out by hand):

- lateness (30): average days late of the invoices settled in the last 365 days, weighted
  by amount (days late = settled on − due date, 0 if paid on time); 60 days or more is 100;
- overdue share (25): overdue open invoices / open invoices × 100;
- trend (15): how much later the last 90 days' payments were than those of the 275 days
  before (average days late, weighted by amount): 30 days later or more is 100, paying
  earlier is 0;
- disputes (10): disputed open invoices / open invoices × 100;
- credit limit use (20): outstanding (open invoices − open credits) / credit limit × 100,
  at most 100.

A part the customer gives no data for (no invoice settled in the year: lateness; none in
one of the two trend periods: trend; no credit limit: credit limit use) is left out and
the weights of the others count alone. Beside the score: the average days late and the
customer's DSO over the last 90 days (open invoices / invoices issued in the 90 days × 90).

Computed for all the entity's customers in one INSERT … SELECT (a GROUP BY over the items)
by the daily snapshot, so that segments and alerts filter on the stored score.

Days late are those of insights/behaviour.py and the forecast: one definition,
`sql.days_late`.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from relance.customers.models import Customer
from relance.insights import sql
from relance.insights.models import CustomerRisk
from relance.ledger.choices import ItemKind
from relance.ledger.models import Item

# (part, weight, label, what it measures): the order of the card on the customer page.
PARTS = [
    ("lateness", 30, _("Payment lateness"), _("Average days late over 12 months; 60 days is 100")),
    ("overdue_share", 25, _("Overdue share"), _("Overdue open invoices / open invoices")),
    ("trend", 15, _("Trend"), _("Days later than before over the last 90 days; 30 days is 100")),
    ("disputes", 10, _("Disputes"), _("Disputed open invoices / open invoices")),
    ("credit_use", 20, _("Credit limit use"), _("Outstanding / credit limit, at most 100")),
]
WEIGHTS = {name: weight for name, weight, _label, _help in PARTS}
LATE_FOR_100 = 60  # average days late that score 100
TREND_FOR_100 = 30  # days later than before that score 100
YEAR, RECENT, DSO_DAYS = 365, 90, 90

# Sums per customer over its items in its own currency (amounts × 1.0: SQLite divides
# whole numbers as whole numbers).
SUMS_SQL = """
SELECT i.customer_id, MAX(c.credit_limit) * 1.0 AS credit_limit,
  SUM(CASE WHEN {paid_year} THEN i.amount ELSE 0 END) * 1.0 AS paid,
  SUM(CASE WHEN {paid_year} THEN i.amount * {late} ELSE 0 END) * 1.0 AS late,
  SUM(CASE WHEN {paid_year} AND i.settled_on > %(recent)s THEN i.amount ELSE 0 END) * 1.0
    AS paid_recent,
  SUM(CASE WHEN {paid_year} AND i.settled_on > %(recent)s THEN i.amount * {late} ELSE 0 END)
    * 1.0 AS late_recent,
  SUM(CASE WHEN {invoice} AND i.open_amount > 0 THEN i.open_amount ELSE 0 END) * 1.0 AS open,
  SUM(CASE WHEN {invoice} AND i.open_amount > 0 AND i.due_date < %(day)s
      THEN i.open_amount ELSE 0 END) * 1.0 AS overdue,
  SUM(CASE WHEN {invoice} AND i.open_amount > 0 AND i.disputed
      THEN i.open_amount ELSE 0 END) * 1.0 AS disputed,
  SUM(CASE WHEN i.kind <> %(invoice)s AND i.open_amount > 0 THEN i.open_amount ELSE 0 END)
    * 1.0 AS credits,
  SUM(CASE WHEN {invoice} AND i.issue_date > %(quarter)s AND i.issue_date <= %(day)s
      THEN i.amount ELSE 0 END) * 1.0 AS sales
FROM {items} i JOIN {customers} c ON c.id = i.customer_id AND c.currency = i.currency
WHERE i.entity_id = %(entity)s
  AND (i.open_amount > 0 OR i.settled_on > %(year)s OR i.issue_date > %(quarter)s)
GROUP BY i.customer_id
"""


def _clamp(value: str) -> str:
    return f"CASE WHEN {value} > 100 THEN 100 WHEN {value} < 0 THEN 0 ELSE {value} END"


def _parts_sql() -> str:
    """Each part (and the figures beside them) from the sums, unrounded; NULL where the
    customer gives no data for it."""
    earlier_late = "(late - late_recent) / (paid - paid_recent)"
    recent_late = "late_recent / paid_recent"
    parts = {
        "days_late": "CASE WHEN paid > 0 THEN late / paid END",
        "dso": f"CASE WHEN sales > 0 THEN open * {DSO_DAYS} / sales END",
        "lateness": f"CASE WHEN paid > 0 THEN {_clamp(f'late / paid * 100 / {LATE_FOR_100}')} END",
        "overdue_share": "CASE WHEN open > 0 THEN overdue * 100 / open ELSE 0 END",
        "trend": (
            "CASE WHEN paid_recent > 0 AND paid > paid_recent THEN "
            f"{_clamp(f'({recent_late} - {earlier_late}) * 100 / {TREND_FOR_100}')} END"
        ),
        "disputes": "CASE WHEN open > 0 THEN disputed * 100 / open ELSE 0 END",
        "credit_use": (
            f"CASE WHEN credit_limit > 0 THEN {_clamp('(open - credits) * 100 / credit_limit')} END"
        ),
    }
    return ", ".join(f"{expression} AS {name}" for name, expression in parts.items())


def _score_sql() -> str:
    """The weighted mean of the parts that have a value, rounded to a whole number."""
    weighted = " + ".join(f"{w} * COALESCE({name}, 0)" for name, w in WEIGHTS.items())
    weights = " + ".join(
        f"CASE WHEN {name} IS NULL THEN 0 ELSE {w} END" for name, w in WEIGHTS.items()
    )
    return f"ROUND(({weighted}) / ({weights}))"


def _risk_sql() -> str:
    table = connection.ops.quote_name
    late = sql.days_late()  # as the behaviour and the forecast count them
    invoice = "i.kind = %(invoice)s"
    sums = SUMS_SQL.format(
        paid_year=f"{invoice} AND i.due_date IS NOT NULL AND i.settled_on > %(year)s "
        "AND i.settled_on <= %(day)s",
        late=late,
        invoice=invoice,
        items=table(Item._meta.db_table),
        customers=table(Customer._meta.db_table),
    )
    figures = ["days_late", "dso", *WEIGHTS]
    rounded = ", ".join(f"ROUND({name}, 1)" for name in figures)
    return (
        f"INSERT INTO {table(CustomerRisk._meta.db_table)} "
        f"(entity_id, customer_id, day, score, {', '.join(figures)}) "
        f"SELECT %(entity)s, customer_id, %(day)s, {_score_sql()}, {rounded} "
        f"FROM (SELECT customer_id, {_parts_sql()} FROM ({sums}) s) p"
    )


def risk_take(*, entity, day: date) -> int:
    """The risk scores of `entity`'s customers on `day` from their items as they are (the
    daily run's day); replaces that day's. Answers the rows written."""
    adapt = connection.ops.adapt_datefield_value
    params = {
        "entity": entity.pk,
        "day": adapt(day),
        "year": adapt(day - timedelta(days=YEAR)),
        "recent": adapt(day - timedelta(days=RECENT)),
        "quarter": adapt(day - timedelta(days=DSO_DAYS)),
        "invoice": ItemKind.INVOICE.value,
    }
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        CustomerRisk.objects.filter(entity=entity, day=day).delete()
        cursor.execute(_risk_sql(), params)
        return cursor.rowcount


@dataclass(frozen=True)
class RiskPart:
    name: str
    label: str
    help: str
    weight: int
    value: Decimal | None  # 0–100; None: no data, left out of the score


@dataclass(frozen=True)
class Risk:
    day: date
    score: int
    days_late: Decimal | None
    dso: Decimal | None
    parts: list[RiskPart]

    @property
    def level(self) -> str:
        """ "low", "medium" or "high": for the card's colour."""
        return "high" if self.score >= 60 else "medium" if self.score >= 30 else "low"


def customer_risk(customer) -> Risk | None:
    """The customer's latest risk score with its parts, or None before the first."""
    row = CustomerRisk.objects.filter(customer=customer).order_by("-day").first()
    if row is None:
        return None
    parts = [
        RiskPart(name, str(label), str(help_text), weight, getattr(row, name))
        for name, weight, label, help_text in PARTS
    ]
    return Risk(row.day, row.score, row.days_late, row.dso, parts)
