"""ISO 20022 bank-to-customer messages: camt.053 (statement) and camt.054 (debit/credit
notification), any version (.001.02 to .001.13): elements are found by their local
name, so the namespace of the version does not matter, and the few paths that moved
between versions (the debtor's name under `Pty` since .08) are tried both ways."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from lxml import etree

from relance.banking.choices import StatementFormat
from relance.banking.parsers import ParsedLine, ParsedStatement, Problems, compact_iban

CONTAINERS = {
    StatementFormat.CAMT053: ("BkToCstmrStmt", "Stmt"),
    StatementFormat.CAMT054: ("BkToCstmrDbtCdtNtfctn", "Ntfctn"),
}
AMOUNT = re.compile(r"^\d{1,12}(\.\d{1,5})?$")
CURRENCY = re.compile(r"^[A-Z]{3}$")


def _local(element) -> str:
    """The element's name without its namespace ("{urn:…}Ntry" → "Ntry"); "" for a comment
    or a processing instruction. A string operation: an etree.QName per element made
    reading a 10,000-line statement take 0.67 s of CPU instead of 0.41 s."""
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _children(element, name: str) -> list:
    return [child for child in element if _local(child) == name]


def _find(element, path: str):
    """The first element at `path` (local names separated by /) under `element`, or None."""
    for name in path.split("/"):
        if element is None:
            return None
        found = _children(element, name)
        element = found[0] if found else None
    return element


def _findall(element, path: str) -> list:
    *parents, last = path.split("/")
    parent = _find(element, "/".join(parents)) if parents else element
    return _children(parent, last) if parent is not None else []


def _text(element, path: str) -> str:
    found = _find(element, path)
    return " ".join((found.text or "").split()) if found is not None else ""


def _first_text(element, *paths: str) -> str:
    for path in paths:
        text = _text(element, path)
        if text:
            return text
    return ""


def _date(element, path: str) -> date | None:
    """A date element (`Dt`) or a date-time (`DtTm`) under `path`; None when absent; raises
    ValueError when present but not a date."""
    node = _find(element, path)
    if node is None:
        return None
    text = _first_text(node, "Dt", "DtTm")
    if not text:
        raise ValueError("neither Dt nor DtTm")
    return date.fromisoformat(text[:10])


def _amount(node, place: str, problems: Problems) -> tuple[Decimal | None, str]:
    text = (node.text or "").strip()
    currency = node.get("Ccy", "")
    amount = None
    if not AMOUNT.match(text):
        problems.add(place, f"{text!r} is not an amount (digits and a decimal point)")
    else:
        try:
            amount = Decimal(text).quantize(Decimal("0.01"))
        except InvalidOperation:
            problems.add(place, f"{text!r} is not an amount")
        else:
            if amount <= 0:
                problems.add(place, "the amount must be more than 0")
                amount = None
            elif amount != Decimal(text):
                problems.add(place, f"{text!r} has more than 2 decimals")
                amount = None
    if not CURRENCY.match(currency):
        problems.add(place, f"the Ccy attribute {currency!r} is not a currency code")
    return amount, currency


def _remittance(node) -> tuple[str, str]:
    """The structured creditor reference and the free text of a `RmtInf`."""
    if node is None:
        return "", ""
    texts = [" ".join((u.text or "").split()) for u in _children(node, "Ustrd")]
    reference = ""
    for structured in _children(node, "Strd"):
        reference = reference or _text(structured, "CdtrRefInf/Ref")
        texts += [_text(structured, "AddtlRmtInf")]
        texts += [" ".join((n.text or "").split()) for n in _findall(structured, "RfrdDocInf/Nb")]
    return reference, " ".join(text for text in texts if text)


def _party(details, credit: bool) -> tuple[str, str]:
    """Name and IBAN of the other party of a transaction: the debtor of a credit."""
    party, account = ("Dbtr", "DbtrAcct") if credit else ("Cdtr", "CdtrAcct")
    parties = _find(details, "RltdPties") if details is not None else None
    if parties is None:
        return "", ""
    name = _first_text(parties, f"{party}/Pty/Nm", f"{party}/Nm")
    iban = _text(parties, f"{account}/Id/IBAN")
    return name, iban


def _where(kind: str, number: int, element) -> str:
    return f"{kind} {number} (line {element.sourceline})"


def parse(content: bytes, *, format: str = StatementFormat.CAMT053) -> ParsedStatement:
    problems = Problems()
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True
    )
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or (exc.position[0] if exc.position else None)
        problems.add(f"line {line}" if line else "", f"not well-formed XML: {exc.msg}")
        problems.check()
    message_name, container_name = CONTAINERS[format]
    message = _find(root, message_name) if _local(root) == "Document" else None
    if message is None:
        problems.add(
            f"element {_local(root)} (line {root.sourceline})",
            f"not a {format[:4]}.{format[4:]} message: expected Document/{message_name}",
        )
        problems.check()
    containers = _children(message, container_name)
    if not containers:
        problems.add(f"element {message_name}", f"no {container_name} element")
        problems.check()

    statement = ParsedStatement(
        format=format,
        reference=_text(containers[0], "Id"),
        account_iban=compact_iban(_text(containers[0], "Acct/Id/IBAN")),
    )
    number = 0
    for container in containers:
        for entry in _children(container, "Ntry"):
            number += 1
            for line in _entry_lines(entry, number, problems):
                line.position = len(statement.lines) + 1
                statement.lines.append(line)
    problems.check()
    return statement


def _entry_lines(entry, number: int, problems: Problems) -> list[ParsedLine]:
    where = _where("Ntry", number, entry)
    status = _first_text(entry, "Sts/Cd", "Sts")
    if status and status != "BOOK":
        return []  # pending or informational entries are not money on the account yet
    indicator = _text(entry, "CdtDbtInd")
    if indicator not in ("CRDT", "DBIT"):
        problems.add(f"{where}, CdtDbtInd", f"{indicator!r} is neither CRDT nor DBIT")
    credit = indicator != "DBIT"
    amount_node = _find(entry, "Amt")
    if amount_node is None:
        problems.add(f"{where}, Amt", "missing")
        amount, currency = None, ""
    else:
        amount, currency = _amount(amount_node, f"{where}, Amt", problems)
    try:
        booked = _date(entry, "BookgDt")
        valued = _date(entry, "ValDt")
    except ValueError as exc:
        problems.add(f"{where}, BookgDt/ValDt", f"not a date ({exc})")
        return []
    booked = booked or valued
    if booked is None:
        problems.add(f"{where}, BookgDt", "missing (and no ValDt)")
        return []
    bank_reference = _text(entry, "AcctSvcrRef")
    details = _findall(entry, "NtryDtls/TxDtls")
    if amount is None:
        return []
    base = {
        "booking_date": booked,
        "value_date": valued,
        "credit": credit,
        "bank_reference": bank_reference,
    }
    if len(details) <= 1:
        one = details[0] if details else None
        return [_line(one, base, amount, currency, credit)]
    # A batch booking: one line per transaction, each with its own amount.
    lines = []
    for index, transaction in enumerate(details, start=1):
        place = f"{where}, TxDtls {index} (line {transaction.sourceline})"
        node = _find(transaction, "AmtDtls/TxAmt/Amt")
        if node is None:  # an lxml element without children is falsy: no `or` here
            node = _find(transaction, "Amt")
        if node is None:
            problems.add(place, "no amount of its own in a batch booking (AmtDtls/TxAmt/Amt)")
            continue
        tx_amount, tx_currency = _amount(node, f"{place}, Amt", problems)
        if tx_amount is not None:
            lines.append(_line(transaction, base, tx_amount, tx_currency, credit))
    return lines


def _line(details, base: dict, amount: Decimal, currency: str, credit: bool) -> ParsedLine:
    name, iban = _party(details, credit)
    reference, text = _remittance(_find(details, "RmtInf") if details is not None else None)
    if details is not None and not base["bank_reference"]:
        base = {**base, "bank_reference": _text(details, "Refs/AcctSvcrRef")}
    end_to_end = _text(details, "Refs/EndToEndId") if details is not None else ""
    if end_to_end and end_to_end != "NOTPROVIDED":
        text = f"{text} {end_to_end}".strip()
    return ParsedLine(
        position=0,
        amount=amount,
        currency=currency,
        counterparty_name=name[:140],
        counterparty_iban=compact_iban(iban),
        reference=reference[:35],
        remittance=text,
        **base,
    )
