"""Actions as CSV or XLSX for `relance actions export`, streamed: rows are read with
.iterator() and written as they come by the shared writers (core.exports), which also keep
any text from reaching a spreadsheet as a formula."""

from itertools import chain

from relance.agenda.selectors import EXPORT_COLUMNS
from relance.core.exports import write_csv, write_xlsx

CHUNK_SIZE = 2000


def export_actions(queryset, out, fmt: str = "csv") -> int:
    """Write the actions of `queryset` (agenda.selectors.action_export_rows) to `out`
    (text for CSV, binary for XLSX), after a header row; answers the number of actions."""
    rows = chain([EXPORT_COLUMNS], queryset.iterator(chunk_size=CHUNK_SIZE))
    if fmt == "xlsx":
        return write_xlsx(rows, out, "actions") - 1
    return write_csv(rows, out) - 1
