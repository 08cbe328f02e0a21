"""The deterministic extractors and the text cleaning, without a database or a model."""

import datetime
from decimal import Decimal

import pytest

from relance.assistant.extract import PAST, find_amounts, find_date, find_invoices
from relance.assistant.text import language_of, own_words, summary_line

TODAY = datetime.date(2026, 12, 5)  # a Saturday


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Nous paierons le 15.", "fr", "2026-12-15"),
        ("Je paie le 3", "fr", "2027-01-03"),  # the 3rd is past this month: next month's
        ("virement fin du mois", "fr", "2026-12-31"),
        ("virement fin fevrier", "fr", "2027-02-28"),  # typed without its accent
        ("le 15 janvier", "fr", "2027-01-15"),
        ("le 15/01/2027", "fr", "2027-01-15"),
        ("le 24/12", "fr", "2026-12-24"),
        ("vendredi prochain", "fr", "2026-12-11"),
        ("dans 10 jours", "fr", "2026-12-15"),
        ("demain", "fr", "2026-12-06"),
        ("We will pay next Friday.", "en", "2026-12-11"),
        ("by the 20th", "en", "2026-12-20"),
        ("on January 15th", "en", "2027-01-15"),
        ("on 2027-01-15", "en", "2027-01-15"),
        ("by the end of the month", "en", "2026-12-31"),
        ("Wir zahlen am 15.", "de", "2026-12-15"),
        ("am 15. Januar", "de", "2027-01-15"),
        ("am 15.01.2027", "de", "2027-01-15"),
        ("nächsten Freitag", "de", "2026-12-11"),
        ("zum Monatsende", "de", "2026-12-31"),
        ("Guten Morgen, wir zahlen in 10 Tagen", "de", "2026-12-15"),  # not "morgen"
        ("el próximo viernes", "es", "2026-12-11"),
        ("el 15 de enero", "es", "2027-01-15"),
        ("a finales de mes", "es", "2026-12-31"),
        ("mañana", "es", "2026-12-06"),
    ],
)
def test_a_future_date_in_each_language(text, language, expected):
    assert find_date(text, language=language, today=TODAY).isoformat() == expected


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("payé hier", "fr", "2026-12-04"),
        ("réglé le 3", "fr", "2026-12-03"),
        ("paid last Monday", "en", "2026-11-30"),
        ("esta mañana", "es", "2026-12-05"),  # this morning, not tomorrow
        ("vorgestern bezahlt", "de", "2026-12-03"),
        ("le 24/11", "fr", "2026-11-24"),
    ],
)
def test_a_past_date_reads_backwards(text, language, expected):
    assert find_date(text, language=language, today=TODAY, direction=PAST).isoformat() == expected


def test_no_date_and_numbers_that_are_no_dates():
    assert find_date("Bonjour, merci.", language="fr", today=TODAY) is None
    assert find_date("une remise de 10 % sur 12 palettes", language="fr", today=TODAY) is None


def test_the_first_date_wins():
    text = "la moitié le 15, le solde fin janvier"
    assert find_date(text, language="fr", today=TODAY) == datetime.date(2026, 12, 15)


def test_amounts_in_each_format():
    text = "1 234,56 € puis EUR 2,500.00, 3.000,10 EUR, €12 et 99 euros; tél 06 12 34 56 78"
    assert find_amounts(text) == [
        Decimal("1234.56"),
        Decimal("2500.00"),
        Decimal("3000.10"),
        Decimal("12.00"),
        Decimal("99.00"),
    ]


def test_invoice_numbers_are_matched_against_open_items_as_whole_tokens():
    found = find_invoices(
        "Factures f-2026-0142 et F-2026-01420, voir aussi INV-12345",
        ["F-2026-0142", "F-2026-014", "F-2026-9999"],
    )
    assert found.matched == ["F-2026-0142"]
    assert found.unmatched == ["F-2026-01420", "INV-12345"]


@pytest.mark.parametrize(
    "quote",
    [
        "Le 01/12/2026 09:12, Acme France <relances@acme.example> a écrit :",
        "On Mon, 1 Dec 2026 at 09:12, Acme UK <reminders@acme.example> wrote:",
        "Am 01.12.2026 09:12 schrieb Acme GmbH <mahnung@acme.example>:",
        "El 01/12/2026 09:12, Acme España <recordatorios@acme.example> escribió:",
        "-----Original Message-----",
        "De : Acme France <relances@acme.example>\nEnvoyé : lundi 1 décembre 2026 09:12",
    ],
)
def test_quoted_history_is_cut_in_every_client_phrasing(quote):
    text = f"Nous paierons le 15.\n\n{quote}\n> la facture F-1 est impayée"
    assert own_words(text) == "Nous paierons le 15."


def test_a_forward_header_is_dropped_but_the_forwarded_words_kept():
    text = (
        "-------- Message transféré --------\nDe : Claire <c@dupont.fr>\nObjet : TR: Relance\n\n"
        "Payé hier."
    )
    assert own_words(text) == "Payé hier."


def test_language_and_summary():
    assert language_of("Wir werden die Rechnung bezahlen, bitte") == "de"
    assert language_of("Pagaremos la factura con gracias") == "es"
    assert language_of("12345", default="en") == "en"
    assert summary_line("Bonjour,\n\nNous paierons le 15. Merci.\n-- \nClaire") == (
        "Nous paierons le 15."
    )


def test_a_day_and_month_far_on_the_expected_side_reads_on_the_near_one():
    today = datetime.date(2027, 10, 29)
    # "paid on 11 October" read as a promise: last October, not next year's.
    assert find_date("le 11 octobre", language="fr", today=today) == datetime.date(2027, 10, 11)
    # A promise for January stays ahead, a payment of January stays behind.
    assert find_date("le 15 janvier", language="fr", today=today) == datetime.date(2028, 1, 15)
    assert find_date("le 15 janvier", language="fr", today=today, direction=PAST) == (
        datetime.date(2027, 1, 15)
    )
