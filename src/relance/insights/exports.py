"""The monthly figures as CSV or XLSX for `relance insights export`, through the shared
writers (core.exports): dates and numbers stay typed in XLSX, empty cells where a figure
is undefined (a division by zero)."""

from itertools import chain

from relance.core.exports import write_csv, write_xlsx
from relance.insights.selectors import MonthFigures, monthly_figures

COLUMNS = (
    "month",
    "end",
    "currency",
    "days",
    "sales",
    "dso_countback",
    "dso_simple",
    "best_possible_dso",
    "add",
    "cei",
    "overdue_ratio",
    "opening_receivables",
    "receivables",
    "overdue",
    "not_due",
    "overdue_1_30",
    "overdue_31_60",
    "overdue_61_90",
    "overdue_over_90",
    "credits",
    "snapshot_day",
)


def figure_row(month: MonthFigures, currency: str) -> tuple:
    closing = month.closing
    return (
        month.month,
        month.end,
        currency,
        month.days,
        month.sales,
        month.dso_countback,
        month.dso_simple,
        month.best_possible_dso,
        month.add,
        month.cei,
        month.overdue_ratio,
        month.opening.open_amount if month.opening.day else None,
        *(
            (
                closing.open_amount,
                closing.overdue,
                *(amount for _key, amount in closing.buckets),
                closing.credits,
            )
            if closing.day
            else (None,) * 8
        ),
        closing.day,
    )


def export_figures(entity, start, end, out, fmt: str = "csv", *, currency=None) -> int:
    """Write a header and one row per month from `start` to `end` to `out` (text for CSV,
    binary for XLSX); answers the number of months."""
    currency = currency or entity.currency
    months = monthly_figures(entity, start, end, currency=currency)
    rows = chain([COLUMNS], (figure_row(month, currency) for month in months))
    if fmt == "xlsx":
        return write_xlsx(rows, out, "insights") - 1
    return write_csv(rows, out) - 1
