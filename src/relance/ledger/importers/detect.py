"""What an uploaded file holds, told from its first bytes: an e-invoice (PDF or XML), a FEC
(its fixed header), or one of the tables, by the columns only it has."""

from relance.ledger.choices import ImportKind
from relance.ledger.importers.einvoice import looks_like_einvoice
from relance.ledger.importers.fec import looks_like_fec
from relance.ledger.importers.readers import XLSX_MAGIC, normalise_column

SNIFF_BYTES = 64 * 1024


def detect_kind(head: bytes) -> str | None:
    """The ImportKind of a file whose first bytes are `head`, or None when they do not
    tell (an XLSX workbook, a table without the telling columns)."""
    if head.startswith(XLSX_MAGIC) or not head.strip():
        return None
    if looks_like_einvoice(head):
        return ImportKind.EINVOICE
    first_line = head.split(b"\n", 1)[0].decode("utf-8", errors="replace").lstrip("\ufeff")
    if looks_like_fec(first_line):
        return ImportKind.FEC
    separator = max(";,\t", key=first_line.count)
    columns = {normalise_column(name) for name in first_line.split(separator)}
    if "customer_external_id" in columns:
        return ImportKind.ITEMS if "number" in columns else ImportKind.CONTACTS
    if {"external_id", "name"} <= columns:
        return ImportKind.CUSTOMERS
    return None


def detect_file_kind(path) -> str | None:
    with open(path, "rb") as handle:
        return detect_kind(handle.read(SNIFF_BYTES))
