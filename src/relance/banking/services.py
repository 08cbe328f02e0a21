"""Writes of bank reconciliation: a statement imported and matched (all or nothing), a
line allocated by hand, an IBAN learned for a customer."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from relance.banking import matching
from relance.banking.choices import LineStatus, MatchReason, UploadStatus
from relance.banking.models import (
    Allocation,
    PayerAccount,
    Statement,
    StatementLine,
    StatementUpload,
)
from relance.banking.parsers import (
    ParsedStatement,
    Problem,
    StatementError,
    fingerprint,
    parse_statement,
)
from relance.core.bulk import copy_insert, rows_update
from relance.core.statistics import tables_analyze
from relance.ledger.choices import ItemKind
from relance.ledger.models import Item, ItemAmountChange
from relance.ledger.services import items_pay_partially

SOURCE = "bank"


@dataclass(frozen=True)
class Counts:
    lines: int
    matched: int
    suggested: int
    unmatched: int

    def summary(self) -> str:
        return (
            f"{self.lines} lines: {self.matched} matched, {self.suggested} suggested, "
            f"{self.unmatched} unmatched"
        )


def statement_import(
    *, entity, content: bytes, file_name: str, format: str = "", acting_user=None, progress=None
) -> Statement:
    """Read, store and match a statement file for `entity`, in one transaction. A file
    that cannot be read raises StatementError (every problem with its place) and writes
    nothing; a file already imported raises it too. `progress(phase)` is told "read" then
    "match" as the work goes on."""
    report = progress or (lambda phase: None)
    report("read")
    parsed = statement_check(entity=entity, content=content, file_name=file_name, format=format)
    digest = fingerprint(content)
    with transaction.atomic():
        try:
            with transaction.atomic():
                statement = Statement.objects.create(
                    entity=entity,
                    format=parsed.format,
                    file_name=file_name[:255],
                    fingerprint=digest,
                    reference=parsed.reference[:100],
                    account_iban=parsed.account_iban,
                    imported_by=acting_user,
                )
        except IntegrityError:  # the same file imported at the same moment
            raise StatementError([Problem("", "this statement was already imported")]) from None
        lines = _create_lines(statement, parsed)
        report("match")
        counts = lines_match(entity=entity, lines=[line for line in lines if line.credit])
        statement.lines_count = len(lines)
        statement.matched_count = counts.matched
        statement.suggested_count = counts.suggested
        statement.unmatched_count = counts.unmatched
        statement.save(
            update_fields=["lines_count", "matched_count", "suggested_count", "unmatched_count"]
        )
    # The tables a statement grows (not the ledger's items: it settles a fraction of them).
    tables_analyze(StatementLine, Allocation, ItemAmountChange, rows=len(lines))
    return statement


def statement_check(*, entity, content: bytes, file_name: str, format: str = "") -> ParsedStatement:
    """The statement read from `content`, if it can be imported for `entity`: else
    StatementError with every problem (a file already imported is one)."""
    parsed = parse_statement(content, file_name=file_name, format=format)
    if Statement.objects.filter(entity=entity, fingerprint=fingerprint(content)).exists():
        raise StatementError([Problem("", "this statement was already imported")])
    return parsed


LINE_FIELDS = (
    "entity",
    "statement",
    "position",
    "booking_date",
    "value_date",
    "credit",
    "amount",
    "currency",
    "counterparty_name",
    "counterparty_iban",
    "reference",
    "remittance",
    "bank_reference",
    "status",
)


def _create_lines(statement: Statement, parsed: ParsedStatement) -> list[StatementLine]:
    """The parsed lines stored (by COPY on PostgreSQL: core/bulk.py), with their ids."""
    lines = [
        StatementLine(
            entity_id=statement.entity_id,
            statement=statement,
            position=line.position,
            booking_date=line.booking_date,
            value_date=line.value_date,
            credit=line.credit,
            amount=line.amount,
            currency=line.currency,
            counterparty_name=line.counterparty_name,
            counterparty_iban=line.counterparty_iban,
            reference=line.reference,
            remittance=line.remittance,
            bank_reference=line.bank_reference,
            status=LineStatus.UNMATCHED if line.credit else LineStatus.IGNORED,
        )
        for line in parsed.lines
    ]
    copy_insert(lines, LINE_FIELDS)
    return lines


def statement_upload_import(*, upload: StatementUpload, progress=None) -> StatementUpload:
    """Import the file of a (background) upload: the statement on success, every problem
    otherwise; the upload says which, with the time it finished."""
    try:
        with upload.upload.open("rb") as handle:
            content = handle.read()
        statement = statement_import(
            entity=upload.entity,
            content=content,
            file_name=upload.file_name,
            format=upload.format,
            acting_user=upload.started_by,
            progress=progress,
        )
    except StatementError as exc:
        upload.status, upload.problems = UploadStatus.FAILED, [str(p) for p in exc.problems]
    except Exception as exc:
        upload.status, upload.problems = UploadStatus.FAILED, [f"unexpected error: {exc}"]
        upload.finished_at = timezone.now()
        upload.save(update_fields=["status", "problems", "finished_at"])
        raise
    else:
        upload.status, upload.statement = UploadStatus.DONE, statement
    upload.finished_at = timezone.now()
    upload.save(update_fields=["status", "problems", "statement", "finished_at"])
    return upload


def statement_counts(statement: Statement) -> Counts:
    return Counts(
        statement.lines_count,
        statement.matched_count,
        statement.suggested_count,
        statement.unmatched_count,
    )


@transaction.atomic
def lines_match(*, entity, lines: list[StatementLine]) -> Counts:
    """Match credit `lines` to the entity's open items and settle the confident matches:
    items paid (in full or in part) through the ledger, the rest of a line as unapplied
    credit, one Allocation per item. Set-based: a fixed number of queries per chunk of
    items, whatever the number of lines."""
    plain = [
        matching.Line(
            id=line.pk,
            amount=line.amount,
            currency=line.currency,
            iban=line.counterparty_iban,
            reference=line.reference,
            remittance=line.remittance,
        )
        for line in lines
    ]
    decisions = matching.match(entity.pk, plain)
    by_id = {line.pk: line for line in lines}
    matched = [d for d in decisions if d.status == LineStatus.MATCHED]
    _apply(entity, [(by_id[d.line_id], d) for d in matched], acting_user=None)
    for decision in decisions:
        line = by_id[decision.line_id]
        line.status = decision.status
        line.customer_id = decision.customer_id
        line.reason = decision.reason
        line.suggested_item_ids = decision.suggested
    rows_update(
        StatementLine,
        ("status", "customer", "reason", "suggested_item_ids"),
        [
            (line.pk, line.status, line.customer_id, line.reason, line.suggested_item_ids)
            for line in lines
        ],
    )
    suggested = sum(1 for d in decisions if d.status == LineStatus.SUGGESTED)
    return Counts(len(lines), len(matched), suggested, len(lines) - len(matched) - suggested)


def _apply(entity, pairs: list[tuple], *, acting_user) -> None:
    """Pay the items of each (line, decision), dated by the line's booking date, and turn
    what is left of each line into unapplied credit."""
    by_day: dict[date, dict[int, Decimal]] = defaultdict(dict)
    for line, decision in pairs:
        by_day[line.booking_date].update(decision.pays)
    for day, amounts in by_day.items():
        items_pay_partially(entity=entity, amounts=amounts, day=day, source=SOURCE)
    credits = _unapplied_items(
        entity, [(line, d.customer_id, d.unapplied) for line, d in pairs if d.unapplied > 0]
    )
    copy_insert(
        [
            Allocation(
                entity=entity,
                line=line,
                item_id=item_id,
                amount=amount,
                reason=decision.reason,
                allocated_by=acting_user,
            )
            for line, decision in pairs
            for item_id, amount in decision.pays.items()
        ]
        + [
            Allocation(
                entity=entity,
                line=line,
                item=credit,
                amount=credit.amount,
                unapplied=True,
                reason=decision.reason,
                allocated_by=acting_user,
            )
            for line, decision in pairs
            if (credit := credits.get(line.pk))
        ],
        ("entity", "line", "item", "amount", "unapplied", "reason", "allocated_by"),
    )


def _unapplied_items(entity, rows: list[tuple]) -> dict[int, Item]:
    """A payment item (an unapplied credit) per (line, customer id, amount)."""
    items = Item.objects.bulk_create(
        [
            Item(
                entity=entity,
                customer_id=customer_id,
                kind=ItemKind.PAYMENT,
                number=f"BANK-{line.pk}",
                issue_date=line.booking_date,
                amount=amount,
                open_amount=amount,
                currency=line.currency,
            )
            for line, customer_id, amount in rows
        ],
        batch_size=1000,
    )
    return {line.pk: item for (line, _c, _a), item in zip(rows, items, strict=True)}


@transaction.atomic
def line_allocate(
    *, line: StatementLine, amounts: dict, customer=None, acting_user=None
) -> list[Allocation]:
    """Allocate a credit line by hand: `amounts` (item id → Decimal) pays open items of one
    customer, each at most its open amount, in all at most the line's amount; what is left
    becomes unapplied credit of that customer (or of `customer` when no item is paid). The
    payer's IBAN is learned for the customer."""
    line = StatementLine.objects.select_for_update().get(pk=line.pk)
    if not line.credit or line.status in (LineStatus.MATCHED, LineStatus.IGNORED):
        raise ValidationError(_("This line is already reconciled."))
    amounts = {int(pk): amount for pk, amount in amounts.items() if amount}
    items = list(
        Item.objects.select_for_update()
        .filter(entity_id=line.entity_id, pk__in=list(amounts), kind=ItemKind.INVOICE)
        .select_related("customer")
        .order_by("pk")
    )
    _check_allocation(line, amounts, items, customer)
    customer = items[0].customer if items else customer
    decision = matching.Decision(
        line.pk,
        LineStatus.MATCHED,
        customer_id=customer.pk,
        reason=MatchReason.MANUAL,
        pays={item.pk: amounts[item.pk] for item in items},
        unapplied=line.amount - sum(amounts.values(), Decimal("0.00")),
    )
    _apply(line.statement.entity, [(line, decision)], acting_user=acting_user)
    line.status, line.customer, line.reason = LineStatus.MATCHED, customer, MatchReason.MANUAL
    line.save(update_fields=["status", "customer", "reason"])
    _statement_recount(line.statement_id)
    if line.counterparty_iban:
        payer_account_learn(customer=customer, iban=line.counterparty_iban)
    return list(line.allocations.all())


def _check_allocation(line, amounts: dict, items: list[Item], customer) -> None:
    if len(items) != len(amounts):
        raise ValidationError({"items": _("Some of the chosen items are not open invoices.")})
    if not items and customer is None:
        raise ValidationError({"items": _("Choose at least one item, or a customer.")})
    if customer is not None and customer.entity_id != line.entity_id:
        raise ValidationError({"customer": _("This customer is not of the statement's entity.")})
    if len({item.customer_id for item in items}) > 1:
        raise ValidationError({"items": _("Allocate to the items of one customer at a time.")})
    for item in items:
        amount = amounts[item.pk]
        if amount <= 0:
            message = _("%(number)s: the amount must be more than 0.")
            raise ValidationError({"items": message % {"number": item.number}})
        if amount > item.open_amount:
            raise ValidationError(
                {
                    "items": _("%(number)s: %(amount)s is more than its open amount %(open)s.")
                    % {"number": item.number, "amount": amount, "open": item.open_amount}
                }
            )
        if item.currency != line.currency:
            raise ValidationError(
                {"items": _("%(number)s is not in the line's currency.") % {"number": item.number}}
            )
    if sum(amounts.values(), Decimal("0.00")) > line.amount:
        raise ValidationError({"items": _("The amounts add up to more than the line.")})


def _statement_recount(statement_id: int) -> None:
    lines = StatementLine.objects.filter(statement_id=statement_id, credit=True)
    Statement.objects.filter(pk=statement_id).update(
        matched_count=lines.filter(status=LineStatus.MATCHED).count(),
        suggested_count=lines.filter(status=LineStatus.SUGGESTED).count(),
        unmatched_count=lines.filter(status=LineStatus.UNMATCHED).count(),
    )


def payer_account_learn(*, customer, iban: str) -> PayerAccount | None:
    """Remember that `customer` pays from `iban` (a valid one), once."""
    from relance.banking.parsers import compact_iban

    iban = compact_iban(iban)
    if not iban:
        return None
    account, _created = PayerAccount.objects.get_or_create(
        customer=customer, iban=iban, defaults={"entity_id": customer.entity_id, "learned": True}
    )
    return account
