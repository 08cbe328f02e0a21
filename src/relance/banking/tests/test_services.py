from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from relance.banking.choices import LineStatus, MatchReason
from relance.banking.models import Allocation, PayerAccount, Statement, StatementLine
from relance.banking.parsers import StatementError
from relance.banking.services import line_allocate, statement_import
from relance.banking.tests.conftest import sample
from relance.ledger.choices import ItemKind
from relance.ledger.models import Item, ItemAmountChange

pytestmark = pytest.mark.django_db


def _import(acme, name):
    return statement_import(entity=acme, content=sample(name), file_name=name)


def _open(number):
    return Item.objects.get(number=number).open_amount


def _lines(statement):
    return {line.position: line for line in statement.lines.all()}


def test_camt053_v02_settles_confident_matches_and_leaves_the_rest(acme, books):
    statement = _import(acme, "camt053.001.02.xml")
    assert (statement.lines_count, statement.matched_count) == (5, 3)
    assert (statement.suggested_count, statement.unmatched_count) == (0, 1)
    lines = _lines(statement)
    # 1: invoice number in the text; 2: Durand's known IBAN, 480 + 520; 3: RF reference, partial
    assert [lines[n].status for n in range(1, 6)] == [
        LineStatus.MATCHED,
        LineStatus.MATCHED,
        LineStatus.MATCHED,
        LineStatus.IGNORED,
        LineStatus.UNMATCHED,
    ]
    assert [lines[n].reason for n in (1, 2, 3)] == [
        MatchReason.NUMBER,
        MatchReason.COMBINATION,
        MatchReason.REFERENCE,
    ]
    settled = Item.objects.get(number="F-2026-0001")
    assert (settled.open_amount, settled.settled_on) == (0, date(2026, 12, 3))
    assert _open("F-2026-0010") == _open("F-2026-0011") == 0
    assert _open("F-2026-0012") == Decimal("99.90")  # not part of the combination
    assert _open("F-2026-0020") == Decimal("1500.00")  # 500 paid of 2,000
    assert Item.objects.get(number="F-2026-0020").settled_on is None
    change = ItemAmountChange.objects.get(item__number="F-2026-0020")
    assert (change.delta, change.open_amount_after) == (Decimal("-500.00"), Decimal("1500.00"))
    assert sorted(Allocation.objects.values_list("item__number", "amount")) == [
        ("F-2026-0001", Decimal("1200.00")),
        ("F-2026-0010", Decimal("480.00")),
        ("F-2026-0011", Decimal("520.00")),
        ("F-2026-0020", Decimal("500.00")),
    ]


def test_camt053_v08_over_payment_becomes_unapplied_credit(acme, books):
    customers, _items = books
    statement = _import(acme, "camt053.001.08.xml")
    lines = _lines(statement)
    assert len(lines) == 3  # the pending entry is not on the account yet
    assert lines[1].reason == MatchReason.AMOUNT and lines[1].status == LineStatus.MATCHED
    assert _open("F-2026-0012") == 0
    assert lines[2].status == LineStatus.MATCHED and _open("F-2026-0030") == 0
    credit = Item.objects.get(kind=ItemKind.PAYMENT)
    assert (credit.customer, credit.amount, credit.open_amount) == (
        customers["leblanc"],
        Decimal("50.00"),
        Decimal("50.00"),
    )
    assert Allocation.objects.get(item=credit).unapplied
    assert lines[3].status == LineStatus.UNMATCHED  # "DUPONT", no reference, IBAN unknown


def test_camt054_structured_reference(acme, books):
    statement = _import(acme, "camt054.001.08.xml")
    assert statement.format == "camt054"
    line = statement.lines.get()
    assert (line.status, line.reason) == (LineStatus.MATCHED, MatchReason.REFERENCE)
    assert _open("F-2026-0011") == 0 and _open("F-2026-0010") == Decimal("480.00")


@pytest.mark.parametrize("name", ["mt940.sta", "statement.csv"])
def test_mt940_and_csv(acme, books, name):
    statement = _import(acme, name)
    lines = _lines(statement)
    assert [line.status for line in lines.values()] == [
        LineStatus.MATCHED,
        LineStatus.MATCHED,
        LineStatus.IGNORED,
        LineStatus.UNMATCHED,
    ]
    assert _open("F-2026-0001") == 0 and _open("F-2026-0012") == 0


@pytest.mark.parametrize(
    "name, expected",
    [
        ("malformed/camt053-bad-amount.xml", ["Ntry 2 (line 49), Amt", "Ntry 3 (line 66)"]),
        ("malformed/camt053-truncated.xml", ["line 50: not well-formed XML"]),
        ("malformed/mt940-bad-lines.sta", ["line 8 (:61:)", "line 12 (:61:): '261331'"]),
        ("malformed/statement-bad-rows.csv", ["row 3, column amount", "row 5, column date"]),
    ],
)
def test_malformed_files_name_each_place_and_write_nothing(acme, books, name, expected):
    with pytest.raises(StatementError) as caught:
        _import(acme, name)
    messages = [str(problem) for problem in caught.value.problems]
    assert len(messages) == len(expected)
    for message, start in zip(messages, expected, strict=True):
        assert message.startswith(start)
    assert not Statement.objects.exists() and not StatementLine.objects.exists()
    assert not ItemAmountChange.objects.exists()


def test_a_statement_is_imported_once(acme, books):
    _import(acme, "camt053.001.02.xml")
    with pytest.raises(StatementError, match="already imported"):
        _import(acme, "camt053.001.02.xml")
    assert Statement.objects.count() == 1


def test_an_item_named_by_two_lines_is_paid_once(acme, books):
    row = b"2026-12-03;1200;EUR;F-2026-0001\n"
    content = b"date;amount;currency;text\n" + row + row
    statement = statement_import(entity=acme, content=content, file_name="twice.csv")
    lines = _lines(statement)
    assert (lines[1].status, lines[2].status) == (LineStatus.MATCHED, LineStatus.SUGGESTED)
    assert lines[2].suggested_item_ids == [books[1]["F-2026-0001"].pk]
    assert Allocation.objects.count() == 1


def test_allocating_by_hand_pays_partially_and_learns_the_iban(acme, books, alice):
    customers, items = books
    statement = _import(acme, "camt053.001.02.xml")
    line = _lines(statement)[5]  # 310.00 from SCI LES TILLEULS (NL91…)
    line_allocate(
        line=line,
        amounts={items["F-2026-0002"].pk: Decimal("300.00")},
        acting_user=alice,
    )
    line.refresh_from_db()
    assert (line.status, line.reason, line.customer) == (
        LineStatus.MATCHED,
        MatchReason.MANUAL,
        customers["dupont"],
    )
    assert _open("F-2026-0002") == Decimal("50.00")
    credit = Item.objects.get(kind=ItemKind.PAYMENT, customer=customers["dupont"])
    assert credit.amount == Decimal("10.00")
    assert PayerAccount.objects.get(iban="NL91ABNA0417164300").customer == customers["dupont"]
    statement.refresh_from_db()
    assert (statement.matched_count, statement.unmatched_count) == (4, 0)
    assert set(Allocation.objects.filter(line=line).values_list("allocated_by", flat=True)) == {
        alice.pk
    }


def test_allocating_by_hand_refuses_bad_amounts_and_writes_nothing(acme, books, alice):
    _customers, items = books
    statement = _import(acme, "camt053.001.02.xml")
    line = _lines(statement)[5]
    with pytest.raises(ValidationError, match="more than its open amount"):
        line_allocate(line=line, amounts={items["F-2026-0002"].pk: Decimal("351.00")})
    with pytest.raises(ValidationError, match="more than the line"):
        line_allocate(line=line, amounts={items["F-2026-0002"].pk: Decimal("320.00")})
    with pytest.raises(ValidationError, match="already reconciled"):
        line_allocate(line=_lines(statement)[1], amounts={items["F-2026-0002"].pk: Decimal("1")})
    line.refresh_from_db()
    assert line.status == LineStatus.UNMATCHED and _open("F-2026-0002") == Decimal("350.00")
