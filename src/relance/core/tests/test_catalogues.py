"""Every language's catalogue is complete: a string left empty or fuzzy shows in English
(or, fuzzy, as a wrong guess) on a page that is otherwise in the reader's language."""

from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"
CATALOGUES = sorted(LOCALE.glob("*/LC_MESSAGES/django.po"))


def test_there_are_catalogues():
    assert CATALOGUES, f"no catalogue under {LOCALE}"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_no_entry_is_empty_or_fuzzy(path):
    catalogue = polib.pofile(str(path))
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert (missing, fuzzy) == ([], [])


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_placeholders_are_kept(path):
    """A translation that drops or renames %(name)s fails at run time, on the user's page."""
    import re

    names = re.compile(r"%\((\w+)\)")
    wrong = []
    for entry in polib.pofile(str(path)).translated_entries():
        wanted = set(names.findall(entry.msgid + entry.msgid_plural))
        got = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
        wrong += [(entry.msgid, text) for text in got if set(names.findall(text)) - wanted]
        if not entry.msgid_plural and wanted - set(names.findall(entry.msgstr)):
            wrong.append((entry.msgid, entry.msgstr))
    assert wrong == []
