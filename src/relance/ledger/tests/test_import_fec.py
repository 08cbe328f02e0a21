"""FEC imports: the checked-in sample (tab, pipe, ISO 8859-15), its customers and items,
re-imports, and malformed variants that answer line by line and write nothing."""

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from relance.activity.models import CustomerEvent
from relance.customers.models import Customer
from relance.customers.tests.factories import CustomerFactory
from relance.ledger.choices import ImportKind, ImportStatus, ItemKind
from relance.ledger.models import ImportBatch, Item, ItemAmountChange
from relance.ledger.services import import_error_lines, import_file
from relance.ledger.tests.factories import ItemFactory

SAMPLE = Path(__file__).parent / "data" / "fec" / "732829320FEC20261130.txt"
HEADER_FIELDS = 18


def sample_text() -> str:
    return SAMPLE.read_bytes().decode("utf-8")  # CRLF kept, as exported


def write(tmp_path: Path, text: str, *, name="fec.txt", encoding="utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run(path: Path, entity, **options) -> ImportBatch:
    return import_file(kind=ImportKind.FEC, path=path, entity=entity, **options)


def items_by_number() -> dict[str, Item]:
    return {item.number: item for item in Item.objects.select_related("customer")}


def replace_line(text: str, number: int, old: str, new: str) -> str:
    """The text with `old` replaced by `new` on line `number` (1 = the header) only."""
    lines = text.split("\r\n")
    assert old in lines[number - 1], lines[number - 1]
    lines[number - 1] = lines[number - 1].replace(old, new)
    return "\r\n".join(lines)


def assert_nothing_written(batch: ImportBatch) -> None:
    assert batch.status == ImportStatus.FAILED
    assert not Item.objects.exists()
    assert not Customer.objects.exclude(external_id="C001").exists()
    assert not CustomerEvent.objects.exists()


# --- the sample ---------------------------------------------------------------------------


def test_sample_imports_customers_and_items(acme, bob):
    batch = run(SAMPLE, acme, acting_user=bob)
    assert batch.errors == []
    assert batch.status == ImportStatus.DONE
    assert batch.rows == 28  # the file's lines, the header included
    assert (batch.created, batch.updated, batch.unchanged) == (15, 0, 0)
    customers = dict(Customer.objects.values_list("external_id", "name"))
    assert customers == {
        "C001": "Boulangerie Martin",
        "C002": "Hôtel du Lac",
        "C003": "Globex Corporation",
        "C004": "Café des Arts",
        "C005": "Librairie Pagès",
    }  # the supplier F001 (account 401) is not a customer
    items = items_by_number()
    expected = {
        # number: (kind, customer, amount, open amount, currency, settled_on)
        "FA2026-0101": (ItemKind.INVOICE, "C001", "1200.00", "0.00", "EUR", date(2026, 10, 10)),
        "FA2026-0102": (ItemKind.INVOICE, "C002", "2400.00", "2400.00", "EUR", None),
        "FA2026-0103": (ItemKind.INVOICE, "C001", "600.00", "600.00", "EUR", None),
        "AV2026-0007": (ItemKind.CREDIT_NOTE, "C002", "240.00", "240.00", "EUR", None),
        "FA2026-0104": (ItemKind.INVOICE, "C003", "1000.00", "1000.00", "USD", None),
        "FA2026-0105": (ItemKind.INVOICE, "C004", "1800.00", "0.00", "EUR", date(2026, 11, 12)),
        "BQ-5": (ItemKind.PAYMENT, "C001", "1200.00", "0.00", "EUR", date(2026, 10, 10)),
        "BQ-6": (ItemKind.PAYMENT, "C001", "200.00", "200.00", "EUR", None),
        "BQ-7-C004": (ItemKind.PAYMENT, "C004", "1800.00", "0.00", "EUR", date(2026, 11, 12)),
        "BQ-7-C005": (ItemKind.PAYMENT, "C005", "1200.00", "1200.00", "EUR", None),
    }
    got = {
        number: (
            item.kind,
            item.customer.external_id,
            str(item.amount),
            str(item.open_amount),
            item.currency,
            item.settled_on,
        )
        for number, item in items.items()
    }
    assert got == expected
    invoice = items["FA2026-0102"]
    assert invoice.issue_date == date(2026, 9, 20)
    assert invoice.due_date == date(2026, 10, 20)  # piece date + 30 days
    assert items["AV2026-0007"].due_date is None
    # The timeline and the history of open amounts, as a CSV import writes them.
    assert CustomerEvent.objects.filter(customer__external_id="C001").count() == 2
    event = CustomerEvent.objects.filter(customer__external_id="C001").last()
    assert event.data["format"] == "fec"
    assert event.user_id == bob.pk
    assert ItemAmountChange.objects.count() == 10


def test_a_second_import_changes_nothing_then_lettering_settles(acme, tmp_path):
    run(SAMPLE, acme)
    again = run(SAMPLE, acme)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 15)
    # FA2026-0102 and the credit note are lettered together on 2026-11-20.
    text = replace_line(
        sample_text(), 5, "\t2400,00\t0,00\t\t\t", "\t2400,00\t0,00\tAC\t20261120\t"
    )
    text = replace_line(text, 11, "\t0,00\t240,00\t\t\t", "\t0,00\t240,00\tAC\t20261120\t")
    batch = run(write(tmp_path, text), acme)
    assert batch.errors == []
    assert (batch.created, batch.updated) == (0, 2)
    items = items_by_number()
    assert items["FA2026-0102"].open_amount == 0
    assert items["FA2026-0102"].settled_on == date(2026, 11, 20)
    assert items["AV2026-0007"].settled_on == date(2026, 11, 20)


def test_a_due_date_already_stored_is_kept(acme):
    martin = CustomerFactory(entity=acme, external_id="C001", name="Boulangerie Martin")
    ItemFactory(
        customer=martin,
        number="FA2026-0103",
        issue_date=date(2026, 10, 15),
        due_date=date(2026, 12, 31),
        amount=Decimal("600.00"),
        open_amount=Decimal("600.00"),
    )
    batch = run(SAMPLE, acme)
    assert batch.errors == []
    assert items_by_number()["FA2026-0103"].due_date == date(2026, 12, 31)
    assert batch.unchanged == 2  # C001's name and FA2026-0103 were already so


def test_pipe_separated_and_iso_8859_15(acme, tmp_path):
    text = sample_text().replace("\t", "|")
    batch = run(write(tmp_path, text, encoding="iso-8859-15"), acme)
    assert batch.errors == []
    assert batch.created == 15
    assert Customer.objects.get(external_id="C002").name == "Hôtel du Lac"


def test_dry_run_counts_and_writes_nothing(acme):
    batch = run(SAMPLE, acme, dry_run=True)
    assert batch.status == ImportStatus.PREVIEWED
    assert batch.created == 15
    assert not Customer.objects.exists()
    assert not Item.objects.exists()


def test_amount_and_direction_variant(acme, tmp_path):
    """Montant and Sens (D/C) in place of Debit and Credit, as the article allows."""
    lines = sample_text().split("\r\n")
    header = lines[0].split("\t")
    header[11:13] = ["Montant", "Sens"]
    out = ["\t".join(header)]
    for line in lines[1:]:
        if not line:
            continue
        cells = line.split("\t")
        debit, credit = cells[11], cells[12]
        cells[11:13] = [credit, "C"] if debit == "0,00" else [debit, "D"]
        out.append("\t".join(cells))
    batch = run(write(tmp_path, "\r\n".join(out)), acme)
    assert batch.errors == []
    assert batch.created == 15


# --- malformed files: a message naming the line, the field and the reason; nothing written --


def test_bad_dates(acme, tmp_path):
    text = replace_line(sample_text(), 2, "\t20260905\t411000", "\t20261305\t411000")
    text = replace_line(text, 23, "\tAA\t20261010\t", "\tAA\t2026-10-10\t")
    batch = run(write(tmp_path, text), acme)
    assert import_error_lines(batch) == [
        "line 2, field EcritureDate: '20261305' is not a date in the FEC's format YYYYMMDD",
        "line 23, field DateLet: '2026-10-10' is not a date in the FEC's format YYYYMMDD",
    ]
    assert_nothing_written(batch)


def test_unbalanced_entry(acme, tmp_path):
    text = replace_line(sample_text(), 6, "\t0,00\t2000,00\t", "\t0,00\t2000,10\t")
    batch = run(write(tmp_path, text), acme)
    assert import_error_lines(batch) == [
        "line 5, field EcritureNum: entry VT 2 (lines 5–7) does not balance: 0.10 more on "
        "the credit side"
    ]
    assert_nothing_written(batch)


def test_missing_field(acme, tmp_path):
    lines = sample_text().split("\r\n")
    stripped = ["\t".join(line.split("\t")[:14] + line.split("\t")[15:]) for line in lines]
    batch = run(write(tmp_path, "\r\n".join(stripped)), acme)
    assert import_error_lines(batch) == [
        "line 1, field DateLet: required field of the FEC is missing from the header"
    ]
    assert_nothing_written(batch)


def test_bad_amount_and_short_line(acme, tmp_path):
    text = replace_line(sample_text(), 3, "\t0,00\t1000,00\t", "\t0,00\t1 000,00\t")
    lines = text.split("\r\n")
    lines[8] = "\t".join(lines[8].split("\t")[:-2])  # line 9 loses two fields
    batch = run(write(tmp_path, "\r\n".join(lines)), acme)
    assert import_error_lines(batch) == [
        "line 3, field Credit: '1 000,00' is not an amount (write 1234,56)",
        f"line 9: the line has {HEADER_FIELDS - 2} fields but the header has {HEADER_FIELDS}: "
        "a separator is missing, or a label contains the separator",
    ]
    assert_nothing_written(batch)


def test_errors_of_the_shared_checks_name_the_fec_field(acme, tmp_path):
    """A lettering date in the future is refused by the items' own rule, reported under
    DateLet at the piece's first line."""
    future = (date.today() + timedelta(days=40)).strftime("%Y%m%d")
    text = sample_text().replace("\tAB\t20261112\t", f"\tAB\t{future}\t")
    batch = run(write(tmp_path, text), acme)
    lines = import_error_lines(batch)
    shown = f"{future[:4]}-{future[4:6]}-{future[6:]}"
    assert lines == [
        f"line 16, field DateLet: {shown} is in the future",  # FA2026-0105
        f"line 27, field DateLet: {shown} is in the future",  # its payment BQ-7-C004
    ]
    assert_nothing_written(batch)


def test_not_a_fec(acme, tmp_path):
    batch = run(write(tmp_path, "external_id;name\nC001;Martin\n"), acme)
    lines = import_error_lines(batch)
    assert "line 1: the header is not a FEC's (JournalCode, JournalLib, EcritureNum, …)" in lines
    assert_nothing_written(batch)
