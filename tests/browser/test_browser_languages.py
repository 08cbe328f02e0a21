"""The interface in other languages: switched from the header's menu, the customers, agenda
and template pages show no English string that the language's catalogue translates.

German, Japanese and Polish are checked once their catalogues are in the tree (French, the
catalogue shipped from the start, always is); test_the_languages_checked says which."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils.translation import to_locale
from playwright.sync_api import expect

from relance.customers.tests.factories import CustomerFactory
from relance.ledger.tests.factories import ItemFactory
from relance.templating.defaults import default_templates

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
WANTED = ["fr", "de", "ja", "pl"]
CHECKED = [
    code for code in WANTED if (LOCALE_DIR / to_locale(code) / "LC_MESSAGES" / "django.po").exists()
]
PAGES = [
    "/customers/",
    "/agenda/",
    "/templates/",
    "/scenarios/",
    "/segments/",
    "/ledger/imports/",
    "/bank/statements/",
    "/insights/",
    "/alerts/",
    "/agenda/manual/",
]
# Every text node of the page's header and main part, trimmed (user data included: it is
# never one of the interface's English sentences).
TEXT_NODES = """() => {
  const out = [];
  for (const root of document.querySelectorAll("nav.navbar, main")) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      const parent = node.parentElement;
      if (!parent || parent.closest("script, style, [lang]:not(html)")) continue;
      const text = node.textContent.replace(/\\s+/g, " ").trim();
      if (text) out.push(text);
    }
  }
  return out;
}"""


def own_words(code: str) -> set[str]:
    """Every string of the language's catalogue: a word that reads the same in English and
    in the language ("Filter", "Segments") is one of them."""
    path = LOCALE_DIR / to_locale(code) / "LC_MESSAGES" / "django.po"
    with path.open("rb") as po:
        catalog = read_po(po)
    return {
        string
        for message in catalog
        for string in (message.string if isinstance(message.string, tuple) else [message.string])
        if string
    }


def english_strings(code: str) -> set[str]:
    """The interface's English sentences that the catalogue of `code` does not leave in
    English: its msgids, translated or not yet (an untranslated one shows in English), less
    those translated by themselves ("Total", "SMS"), those that are a word of the language
    too, and those with placeholders (they never
    appear as written) or a context."""
    path = LOCALE_DIR / to_locale(code) / "LC_MESSAGES" / "django.po"
    with path.open("rb") as po:
        catalog = read_po(po)
    # A word of the language that is also an English msgid is no leftover: German
    # translates "Filters" as "Filter".
    own_words = {
        string
        for message in catalog
        for string in (message.string if isinstance(message.string, tuple) else [message.string])
        if string
    }
    return {
        message.id
        for message in catalog
        if isinstance(message.id, str)
        and message.id not in own_words
        and message.id
        and not message.context
        and message.string != message.id
        and "%" not in message.id
        and "{" not in message.id
        and len(message.id) > 3
    }


def test_the_languages_checked():
    assert "fr" in CHECKED
    print("interface checked in:", ", ".join(CHECKED))


@pytest.fixture
def data(acme, alice):
    today = acme.today()
    dupont = CustomerFactory(entity=acme, name="Dupont SA", external_id="C-DUP")
    ItemFactory(
        customer=dupont,
        number="F-DUP-1",
        amount=Decimal("1200.00"),
        issue_date=today - datetime.timedelta(days=75),
        due_date=today - datetime.timedelta(days=45),
    )
    default_templates()
    return dupont


# What reads the same in every language: names (of the product, the company, the user, the
# customer), codes and technical words. Anything else found in both the English page and
# the translated one is an English string that escaped the catalogue.
SAME_IN_EVERY_LANGUAGE = {
    "Relance",
    "Acme France",
    "Alice",
    "alice",
    "Dupont SA",
    "SMS",
    "PDF",
    "CSV",
    "Excel",
    "EUR",
}


def untranslatable(text: str) -> bool:
    """Data rather than words: it holds a digit (amounts, dates, numbers), an address, or no
    word of three letters."""
    words = [word for word in text.replace("·", " ").split() if word.isalpha()]
    return (
        text in SAME_IN_EVERY_LANGUAGE
        or any(character.isdigit() for character in text)
        or "@" in text
        or not any(len(word) >= 3 for word in words)
    )


@pytest.mark.parametrize("code", CHECKED)
def test_no_english_left_on_the_main_pages(live_server, page, data, log_in, switch_language, code):
    log_in("alice", start="/customers/")
    in_english = {}
    for path in PAGES:
        page.goto(live_server.url + path, wait_until="load")
        in_english[path] = set(page.evaluate(TEXT_NODES))
    switch_language(code)
    expect(page.locator("html")).to_have_attribute("lang", code)
    english, translations = english_strings(code), own_words(code)
    for path in PAGES:
        page.goto(live_server.url + path, wait_until="load")
        texts = set(page.evaluate(TEXT_NODES))
        from_catalogue = sorted(text for text in texts if text in english)
        assert from_catalogue == [], f"{path} in {code}: {from_catalogue}"
        # Strings that never went through the catalogue read the same as on the English page.
        unchanged = sorted(
            text
            for text in texts & in_english[path]
            if any(
                part not in translations and not untranslatable(part) for part in text.split(" · ")
            )
        )
        assert unchanged == [], f"{path} in {code}, as in English: {unchanged}"


@pytest.mark.parametrize("code", ["de", "ja", "pl", "pt-br", "zh-hans"])
def test_the_template_editor_s_toolbar_speaks_the_language(
    live_server, page, data, log_in, switch_language, code
):
    """Jodit ships its own words: the page tells it the reader's language (under Jodit's
    name for it), so its toolbar is not left in English."""
    from relance.templating.models import MessageTemplate

    notice = MessageTemplate.objects.get(default_key="first-reminder")
    log_in("alice", start="/customers/")
    page.goto(f"{live_server.url}/templates/{notice.pk}/edit/", wait_until="load")
    english = page.locator(".jodit-toolbar-button_bold button").first.get_attribute("aria-label")
    switch_language(code)
    bold = page.locator(".jodit-toolbar-button_bold button").first
    expect(bold).to_be_attached()
    assert english == "Bold"
    assert bold.get_attribute("aria-label") not in ("", None, "Bold")
