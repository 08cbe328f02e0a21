"""The reconciliation screen's ranked suggestions: the pure ranking, then `suggest` over
the database."""

from decimal import Decimal

import pytest

from relance.banking.choices import MatchReason, SuggestionBasis
from relance.banking.matching import Hit, Line, OpenItem, name_words, rank_suggestions, suggest

D = Decimal


def _line(amount="350.00", **kwargs):
    return Line(id=1, amount=D(amount), currency="EUR", **kwargs)


def _ranked(line, hits=(), named=(), by_name=(), items=None, amount_items=()):
    return rank_suggestions(
        line, list(hits), set(named), set(by_name), items or {}, list(amount_items)
    )


def test_items_named_by_reference_come_before_everything_else():
    items = {7: [OpenItem(20, 7, D("350.00"), "EUR")]}
    hits = [Hit(10, 5, D("200.00"), "EUR", MatchReason.REFERENCE, 0)]
    found = _ranked(_line(), hits=hits, named={7}, items=items)
    assert [(s.customer_id, s.pays, s.basis) for s in found] == [
        (5, {10: D("200.00")}, SuggestionBasis.REFERENCE),  # 150.00 left as credit
        (7, {20: D("350.00")}, SuggestionBasis.PAYER_AMOUNT),
    ]


def test_the_payer_ranks_above_a_customer_found_by_name():
    items = {
        7: [OpenItem(20, 7, D("350.00"), "EUR")],
        8: [OpenItem(30, 8, D("350.00"), "EUR")],
    }
    found = _ranked(_line(), named={8}, by_name={7}, items=items)
    assert [(s.customer_id, s.basis) for s in found] == [
        (8, SuggestionBasis.PAYER_AMOUNT),
        (7, SuggestionBasis.NAME_AMOUNT),
    ]


def test_a_sum_of_invoices_then_the_oldest_ones():
    items = {7: [OpenItem(1, 7, D("100.00"), "EUR"), OpenItem(2, 7, D("250.00"), "EUR")]}
    assert _ranked(_line(), named={7}, items=items)[0].pays == {1: D("100.00"), 2: D("250.00")}
    oldest = _ranked(_line("120.00"), named={7}, items=items)
    assert [(s.pays, s.basis) for s in oldest] == [
        ({1: D("100.00"), 2: D("20.00")}, SuggestionBasis.PAYER_OLDEST)
    ]


def test_any_invoice_of_the_amount_comes_last_and_other_currencies_never():
    amount_items = [OpenItem(40, 9, D("350.00"), "EUR"), OpenItem(41, 9, D("350.00"), "GBP")]
    hits = [Hit(50, 5, D("350.00"), "GBP", MatchReason.NUMBER, 1)]
    found = _ranked(_line(), hits=hits, amount_items=amount_items)
    assert [(s.pays, s.basis) for s in found] == [({40: D("350.00")}, SuggestionBasis.AMOUNT)]


def test_the_same_items_are_suggested_once_at_their_best_rank():
    items = {7: [OpenItem(20, 7, D("350.00"), "EUR")]}
    found = _ranked(
        _line(),
        named={7},
        items=items,
        amount_items=[OpenItem(20, 7, D("350.00"), "EUR")],
    )
    assert [s.basis for s in found] == [SuggestionBasis.PAYER_AMOUNT]


def test_at_most_four_suggestions():
    amount_items = [OpenItem(n, n, D("350.00"), "EUR") for n in range(10)]
    assert len(_ranked(_line(), amount_items=amount_items)) == 4


def test_name_words_leave_out_legal_forms():
    assert name_words("Durand SARL") == {"DURAND"}
    assert name_words("ETS Martin & Fils 2") == {"MARTIN", "FILS"}


@pytest.mark.django_db
def test_suggest_reads_references_ibans_names_and_amounts(acme, books):
    customers, items = books
    lines = [
        Line(1, D("100.00"), "EUR", remittance="Facture F-2026-0001"),
        Line(2, D("480.00"), "EUR", iban="DE89370400440532013000"),
        Line(3, D("2000.00"), "EUR", name="MARTIN ET FILS"),
        Line(4, D("750.00"), "EUR", name="SOMEONE"),
        Line(5, D("1.00"), "EUR"),
    ]
    found = suggest(acme.pk, lines)
    first = {line_id: suggestions[0] for line_id, suggestions in found.items() if suggestions}
    assert first[1].pays == {items["F-2026-0001"].pk: D("100.00")}
    assert first[1].basis == SuggestionBasis.NUMBER
    assert (first[2].customer_id, first[2].basis) == (
        customers["durand"].pk,
        SuggestionBasis.PAYER_AMOUNT,
    )
    assert (first[3].customer_id, first[3].basis) == (
        customers["martin"].pk,
        SuggestionBasis.NAME_AMOUNT,
    )
    assert first[4].pays == {items["F-2026-0030"].pk: D("750.00")}
    assert found[5] == []


@pytest.mark.django_db
def test_a_word_many_customers_share_finds_no_one(acme):
    from relance.banking.matching import customers_by_name
    from relance.customers.tests.factories import CustomerFactory

    garages = [CustomerFactory(entity=acme, name=f"Garage {town}") for town in "ABCDEF"]
    dupont = CustomerFactory(entity=acme, name="Garage Dupont")
    found = customers_by_name(
        acme.pk,
        [Line(1, D("1.00"), "EUR", name="GARAGE DUPONT"), Line(2, D("1.00"), "EUR", name="GARAGE")],
    )
    assert found[1] == {dupont.pk}
    assert found[2] == set()
    assert garages
