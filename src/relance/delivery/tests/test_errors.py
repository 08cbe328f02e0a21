"""Errors stay stored in English and read in the user's language."""

import pytest
from django.utils import translation

from relance.delivery.connectors import NO_MOBILE
from relance.delivery.email import REFUSED
from relance.delivery.errors import _known, error_display


@pytest.mark.parametrize(
    "stored, french",
    [
        (NO_MOBILE, "le contact n’a pas de numéro de mobile"),
        (
            REFUSED.format(reason="550 mailbox unavailable"),
            "le serveur de messagerie l’a refusé : 550 mailbox unavailable",
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
