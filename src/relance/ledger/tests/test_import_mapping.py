"""The smart upload's matching of columns to fields, on plain data (no database)."""

from datetime import date

import pytest

from relance.ledger.importers.mapping import (
    DAY_FIRST,
    DECIMAL_COMMA,
    DECIMAL_POINT,
    MONTH_FIRST,
    convert_amount,
    convert_date,
    convert_kind,
    decimal_vote,
    detect_date_order,
    detect_decimal_separator,
    has_relance_columns,
    header_signature,
    mapping_problems,
    normalise_header,
    propose,
)

REQUIRED = ("customer_external_id", "kind", "number", "issue_date", "amount", "open_amount")

# The same open-items file as five ERPs would export it; the values in each file's usage.
FILES = {
    "fr": (
        ["Code client", "Type de pièce", "N° facture", "Date facture", "Échéance",
         "Montant TTC", "Reste à payer", "Devise"],
        ["C001", "Facture", "F-1", "03/04/2026", "03/05/2026", "1 234,50", "234,50", "EUR"],
    ),
    "en": (
        ["Customer ID", "Document Type", "Invoice No", "Invoice Date", "Due Date",
         "Amount", "Balance Due", "Currency"],
        ["C001", "Invoice", "F-1", "2026-04-03", "2026-05-03", "1,234.50", "234.50", "EUR"],
    ),
    "de": (
        ["Kundennummer", "Belegart", "Rechnungsnummer", "Rechnungsdatum", "Fälligkeitsdatum",
         "Rechnungsbetrag", "Offener Betrag", "Währung"],
        ["C001", "Rechnung", "F-1", "03.04.2026", "03.05.2026", "1.234,50", "234,50", "EUR"],
    ),
    "es": (
        ["Código cliente", "Tipo de documento", "Nº factura", "Fecha de emisión",
         "Fecha de vencimiento", "Importe", "Importe pendiente", "Moneda"],
        ["C001", "Factura", "F-1", "03/04/2026", "03/05/2026", "1.234,50", "234,50", "EUR"],
    ),
    "it": (
        ["Codice cliente", "Tipo documento", "Numero fattura", "Data fattura", "Scadenza",
         "Importo", "Importo residuo", "Valuta"],
        ["C001", "Fattura", "F-1", "03/04/2026", "03/05/2026", "1.234,50", "234,50", "EUR"],
    ),
}  # fmt: skip
EXPECTED = [*REQUIRED[:4], "due_date", "amount", "open_amount", "currency"]


@pytest.mark.parametrize("language", FILES)
def test_headers_in_each_language_are_matched_to_the_fields(language):
    header, row = FILES[language]

    proposal = propose("items", header, [row])

    assert proposal.fields == EXPECTED
    assert all(column.level == "sure" for column in proposal.columns)
    assert mapping_problems("items", proposal.fields, REQUIRED) == []


@pytest.mark.parametrize(
    ("language", "separator"),
    [("fr", DECIMAL_COMMA), ("en", DECIMAL_POINT), ("de", DECIMAL_COMMA), ("it", DECIMAL_COMMA)],
)
def test_the_decimal_separator_is_read_from_the_amounts(language, separator):
    header, row = FILES[language]
    assert propose("items", header, [row]).decimal_separator == separator


def test_headers_are_normalised_for_accents_case_punctuation_and_number_signs():
    assert normalise_header("N° de facture") == "no facture"
    assert normalise_header("Nº factura") == normalise_header("n.º  FACTURA") == "no factura"
    assert normalise_header("Numéro_Facture") == "no facture"
    assert normalise_header("Rechnungs-Nr.") == "rechnungs no"
    assert normalise_header("Fälligkeitsdatum") == "falligkeitsdatum"
    assert header_signature(["Échéance", "N° facture"]) == header_signature(
        ["ECHEANCE", "n° Facture "]
    )
    assert header_signature(["Échéance", "N° facture"]) != header_signature(
        ["N° facture", "Échéance"]
    )


def test_an_ambiguous_header_is_decided_by_its_values():
    """`Code` may be a customer's code or a currency code: the values tell which."""
    header = ["Code", "Kunde", "Belegnummer", "Datum", "Betrag", "Offen"]
    rows = [
        ["EUR", "C001", "R-1", "03.04.2026", "100,00", "100,00"],
        ["USD", "C002", "R-2", "04.04.2026", "50,00", "0,00"],
    ]
    known = frozenset({"C001", "C002"})

    proposal = propose("items", header, rows, known_customers=known, customers_known=True)

    assert proposal.fields == [
        "currency",
        "customer_external_id",
        "number",
        "issue_date",
        "amount",
        "open_amount",
    ]


def test_the_same_header_holding_customer_codes_is_the_customer():
    rows = [["C001", "R-1"], ["C002", "R-2"]]
    known = frozenset({"C001", "C002"})

    proposal = propose("items", ["Code", "Ref"], rows, known_customers=known, customers_known=True)

    assert proposal.fields == ["customer_external_id", "number"]


def test_a_column_without_a_known_header_is_matched_by_telling_values_only():
    header = ["Spalte 1", "Spalte 2", "Spalte 3"]
    rows = [["EUR", "Rechnung", "12.5"], ["CHF", "Gutschrift", "7"]]

    proposal = propose("items", header, rows)

    assert proposal.fields == ["currency", "kind", ""]
    assert proposal.columns[0].level == "likely"
    assert proposal.columns[2].level == "none"


def test_a_header_whose_values_do_not_fit_is_doubted():
    """`Fälligkeit` holding words is no due date: the column is left for the user."""
    proposal = propose("items", ["Fälligkeit"], [["sofort"], ["30 Tage netto"]])
    assert proposal.columns[0].score < 0.6


@pytest.mark.parametrize(
    ("values", "order"),
    [
        (["03/04/2026", "15/04/2026"], DAY_FIRST),  # 15 cannot be a month
        (["04/03/2026", "04/15/2026"], MONTH_FIRST),  # nor here
        (["03.04.2026", "04.05.2026"], DAY_FIRST),  # both readable: day first, as in Europe
        (["2026-04-03", date(2026, 4, 3)], DAY_FIRST),
    ],
)
def test_the_date_order_is_detected_from_the_values(values, order):
    assert detect_date_order(values) == order


def test_day_first_dates_are_converted_and_impossible_ones_left_for_the_importer():
    assert convert_date("03.04.2026", DAY_FIRST) == "2026-04-03"
    assert convert_date("03/04/26", DAY_FIRST) == "2026-04-03"
    assert convert_date("03/04/2026", MONTH_FIRST) == "2026-03-04"
    assert convert_date("2026-04-03 00:00:00", MONTH_FIRST) == "2026-04-03"
    assert convert_date("31.02.2026", DAY_FIRST) == "31.02.2026"
    assert convert_date("soon", DAY_FIRST) == "soon"


def test_amounts_are_converted_with_the_chosen_separator():
    assert decimal_vote("1.234,50") == DECIMAL_COMMA
    assert decimal_vote("1,234.50") == DECIMAL_POINT
    assert decimal_vote("1.234") is None  # thousands in Germany, decimals in England
    assert decimal_vote("1.234.567") == DECIMAL_COMMA
    assert detect_decimal_separator(["1.234", "12,5"]) == DECIMAL_COMMA
    assert convert_amount("1.234,50 €", DECIMAL_COMMA) == "1234.50"
    assert convert_amount("1 234,50", DECIMAL_COMMA) == "1234.50"
    assert convert_amount("1,234.50", DECIMAL_POINT) == "1234.50"
    assert convert_amount("EUR 99.90", DECIMAL_POINT) == "99.90"
    assert convert_amount("n/a", DECIMAL_POINT) == "n/a"


def test_item_kinds_in_five_languages_become_relances():
    assert [convert_kind(word) for word in ["Rechnung", "Gutschrift", "Zahlung"]] == [
        "invoice",
        "credit_note",
        "payment",
    ]
    assert [convert_kind(word) for word in ["Factura", "Abono", "Nota di credito"]] == [
        "invoice",
        "credit_note",
        "credit_note",
    ]
    assert convert_kind("Lieferschein") == "Lieferschein"


def test_missing_and_twice_chosen_fields_are_problems():
    fields = ["customer_external_id", "number", "amount", "amount", ""]

    problems = mapping_problems("items", fields, REQUIRED)

    assert ("twice", "amount") in problems
    assert {name for problem, name in problems if problem == "missing"} == {
        "kind",
        "issue_date",
        "open_amount",
    }


def test_a_file_with_relances_columns_needs_no_matching():
    assert has_relance_columns(["Customer External ID", *REQUIRED[1:]], REQUIRED)
    assert not has_relance_columns(FILES["de"][0], REQUIRED, REQUIRED)
    # Mostly Relance's columns: the importer says which one is missing or misspelt.
    assert has_relance_columns(["customer_external_id", "kind", "numbr"], REQUIRED, REQUIRED)
