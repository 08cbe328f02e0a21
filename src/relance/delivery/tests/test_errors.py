"""Errors stay stored in English and read in the user's language."""

import pytest
from django.utils import translation

from relance.delivery.connectors import NO_MOBILE
from relance.delivery.email import REFUSED
from relance.delivery.errors import _known, error_display

# The sentences now start with a capital: the French catalogue follows them (the lead's
# catalogue pass); strict, so these markers go once it has.


@pytest.mark.parametrize(
    "stored, french",
    [
        (NO_MOBILE, "Le contact n’a pas de numéro de mobile"),
        (
            REFUSED.format(reason="550 mailbox unavailable"),
            "Le serveur de messagerie l’a refusé : 550 mailbox unavailable",
        ),
        ("an error nobody foresaw", "an error nobody foresaw"),
    ],
)
def test_a_known_error_reads_in_french_with_the_servers_words_kept(stored, french):
    with translation.override("fr"):
        assert error_display(stored) == french
    assert error_display(stored) == stored  # English: as stored


def test_every_known_error_has_a_french_translation():
    with translation.override("fr"):
        untranslated = [s for s in _known() if translation.gettext(s) == s]
    assert untranslated == []


def test_an_error_stored_before_the_capitals_reads_as_todays():
    assert error_display("no SMS connector configured") == "No SMS connector configured"
    stored = "the mail server refused it: 550 mailbox unavailable"
    assert error_display(stored) == "The mail server refused it: 550 mailbox unavailable"
    assert error_display("an error nobody foresaw") == "an error nobody foresaw"
