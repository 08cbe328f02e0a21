import datetime
from decimal import Decimal

import pytest
from django.utils.html import escape

from relance.accounts.tests.factories import UserFactory
from relance.ledger.tests.factories import ItemFactory
from relance.templating.choices import HashtagCategory
from relance.templating.context import signing_user
from relance.templating.formatting import formatter
from relance.templating.hashtags import HASHTAGS, by_category, find_hashtags, suggest
from relance.templating.models import MessageTemplate
from relance.templating.selectors import customer_context
from relance.templating.tests.conftest import TODAY

REQUIRED = {
    "customer_name", "customer_number", "customer_legal_id", "customer_address",
    "contact_name", "contact_first_name", "contact_last_name",
    "total_due", "overdue_amount", "not_due_amount", "items_list", "overdue_items_list",
    "oldest_due_date", "max_days_overdue", "reference_number", "reference_due_date",
    "late_interest_amount", "recovery_fee",
    "company_name", "company_address", "company_logo", "company_legal_id", "late_penalty_rate",
    "bank_details", "payment_qr", "user_name", "user_email", "user_phone", "today",
}  # fmt: skip

# Plain-text values for Dupont SA on 1 March 2026 (spaces normalised).
EXPECTED = {
    "fr": {
        "customer_name": "Dupont SA",
        "customer_number": "C-DUP",
        "customer_legal_id": "552100554",
        "customer_address": "12 rue des Lilas\n69003 LYON",
        "contact_name": "Claire Durand",
        "contact_first_name": "Claire",
        "contact_last_name": "Durand",
        "total_due": "1 634,56 €",
        "overdue_amount": "1 234,56 €",
        "not_due_amount": "500,00 €",
        "oldest_due_date": "31 janv. 2026",
        "max_days_overdue": "29",
        "reference_number": "F-1001",
        "reference_due_date": "31 janv. 2026",
        "late_interest_amount": "9,81 €",
        "recovery_fee": "40,00 €",
        "company_name": "Acme France",
        "company_address": "5 avenue Foch\n75016 PARIS",
        "company_legal_id": "SIRET 73282932000074 · N° TVA FR44732829320",
        "late_penalty_rate": "10 %",
        "bank_details": "IBAN FR76 3000 6000 0112 3456 7890 189\nBIC AGRIFRPP",
        "user_name": "Alice Martin",
        "user_email": "alice@example.com",
        "user_phone": "+33 6 00 00 00 00",  # no reader's country: international
        "today": "1 mars 2026",
    },
    "en": {
        "total_due": "€1,634.56",
        "overdue_amount": "€1,234.56",
        "not_due_amount": "€500.00",
        "oldest_due_date": "Jan 31, 2026",
        "reference_due_date": "Jan 31, 2026",
        "late_interest_amount": "€9.81",
        "recovery_fee": "€40.00",
        "company_legal_id": "SIRET 73282932000074 · VAT No. FR44732829320",
        "late_penalty_rate": "10%",
        "today": "March 1, 2026",
        "customer_address": "12 rue des Lilas\n69003 LYON",
    },
}


def plain(value: str) -> str:
    return value.replace("\u202f", " ").replace("\xa0", " ")


@pytest.fixture
def ctx(dupont):
    user = UserFactory(
        username="alice", first_name="Alice", last_name="Martin", phone="+33600000000"
    )
    return customer_context(dupont, TODAY, user=user)


def test_catalogue_has_every_required_hashtag_with_both_descriptions():
    assert set(HASHTAGS) >= REQUIRED
    for tag in HASHTAGS.values():
        english, french = tag.description("en"), tag.description("fr")
        assert english and french and french != english, tag.name  # the catalogue has it
        assert tag.category in HashtagCategory.values
    categories = [category for category, _label, _tags in by_category()]
    assert categories == ["customer", "account", "company", "sender"]


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("name", sorted(HASHTAGS))
def test_every_hashtag_renders_in_both_languages(ctx, name, language):
    fmt = formatter(language)
    text = HASHTAGS[name].text(ctx, fmt)
    html = HASHTAGS[name].html(ctx, fmt)
    assert isinstance(text, str)
    assert isinstance(html, str)
    # Values that do not depend on the language are only listed in French.
    expected = EXPECTED[language].get(name, EXPECTED["fr"].get(name))
    if expected is not None:
        assert plain(text) == expected
    if HASHTAGS[name].html_value is None:
        assert html == escape(text).replace("\n", "<br>")
    else:
        assert html or name in {"company_logo"}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_items_list_shows_every_open_item_and_the_total(ctx, language):
    fmt = formatter(language)
    html = plain(HASHTAGS["items_list"].html(ctx, fmt))
    text = plain(HASHTAGS["items_list"].text(ctx, fmt))
    for number in ("F-1001", "F-1002", "AV-1"):
        assert number in html
        assert number in text
    total = EXPECTED[language]["total_due"]
    assert "<th" in html and total in html
    assert total in text
    overdue = plain(HASHTAGS["overdue_items_list"].html(ctx, fmt))
    assert "F-1001" in overdue and "F-1002" not in overdue


def test_currencies_are_never_added_together(ctx, dupont):
    ItemFactory(
        customer=dupont,
        number="F-GBP",
        currency="GBP",
        amount=Decimal("200.00"),
        issue_date=datetime.date(2026, 1, 1),
        due_date=datetime.date(2026, 1, 10),
    )
    gbp_ctx = customer_context(dupont, TODAY)
    assert plain(HASHTAGS["total_due"].text(gbp_ctx, formatter("en"))) == "€1,634.56 + £200.00"
    overdue = plain(HASHTAGS["overdue_amount"].text(gbp_ctx, formatter("fr")))
    assert overdue == "1 234,56 € + 200,00 £GB"
    # 40 € per overdue invoice, whatever its currency: the fee is the entity's.
    assert plain(HASHTAGS["recovery_fee"].text(gbp_ctx, formatter("fr"))) == "80,00 €"


def test_late_interest_sums_each_overdue_invoice(ctx, dupont):
    ItemFactory(
        customer=dupont,
        number="F-OLD",
        amount=Decimal("1000.00"),
        issue_date=datetime.date(2025, 12, 1),
        due_date=datetime.date(2025, 12, 31),  # 60 days late: 1000 × 10 % × 60 / 365 = 16.438
    )
    ctx = customer_context(dupont, TODAY)
    # 1234.56 × 0.10 × 29 / 365 = 9.809 ; + 16.438 = 26.247
    assert plain(HASHTAGS["late_interest_amount"].text(ctx, formatter("fr"))) == "26,25 €"
    assert plain(HASHTAGS["recovery_fee"].text(ctx, formatter("fr"))) == "80,00 €"
    assert HASHTAGS["max_days_overdue"].text(ctx, formatter("fr")) == "60"


def test_payment_qr_is_an_epc_code_image_only_in_html(ctx):
    html = HASHTAGS["payment_qr"].html(ctx, formatter("fr"))
    assert html.startswith('<img class="payment-qr" src="data:image/png;base64,')
    assert HASHTAGS["payment_qr"].text(ctx, formatter("fr")) == ""


def test_payment_qr_is_empty_without_iban(ctx):
    ctx.entity.iban = ""
    assert HASHTAGS["payment_qr"].html(ctx, formatter("fr")) == ""


def test_company_logo_is_an_inline_image(ctx):
    ctx.logo_data_uri = "data:image/png;base64,AAAA"
    html = HASHTAGS["company_logo"].html(ctx, formatter("fr"))
    assert 'src="data:image/png;base64,AAAA"' in html
    assert 'alt="Acme France"' in html


def test_contact_name_falls_back_to_the_customer(ctx):
    ctx.contact = None
    assert HASHTAGS["contact_name"].text(ctx, formatter("fr")) == "Dupont SA"
    assert HASHTAGS["contact_first_name"].text(ctx, formatter("fr")) == ""


def test_sender_falls_back_to_the_collector(dupont):
    collector = UserFactory(username="bob", first_name="Bob", last_name="Leroy")
    dupont.collector = collector
    ctx = customer_context(dupont, TODAY)
    assert HASHTAGS["user_name"].text(ctx, formatter("fr")) == "Bob Leroy"
    assert HASHTAGS["user_email"].text(ctx, formatter("fr")) == "bob@example.com"
    # Bob has no phone of his own: the entity's.
    assert HASHTAGS["user_phone"].text(ctx, formatter("fr")) == "+33 1 40 00 00 00"


def test_without_a_sender_the_entity_signs(dupont):
    """No user and no collector: the credit department of the entity, never an empty name."""
    dupont.entity.email = "recouvrement@acme.example"
    ctx = customer_context(dupont, TODAY)
    assert ctx.sender is None
    assert HASHTAGS["user_name"].text(ctx, formatter("fr")) == "Service recouvrement"
    assert HASHTAGS["user_name"].text(ctx, formatter("en")) == "Credit department"
    assert HASHTAGS["user_email"].text(ctx, formatter("fr")) == "recouvrement@acme.example"
    assert HASHTAGS["user_phone"].text(ctx, formatter("fr")) == "+33 1 40 00 00 00"


def test_a_sender_without_email_gives_the_entity_s(dupont):
    dupont.entity.email = "recouvrement@acme.example"
    ctx = customer_context(dupont, TODAY, user=UserFactory(username="eve", email=""))
    assert HASHTAGS["user_name"].text(ctx, formatter("fr")) == "Eve"
    assert HASHTAGS["user_email"].text(ctx, formatter("fr")) == "recouvrement@acme.example"


@pytest.mark.parametrize(
    ("channel", "signs"), [("email", None), ("sms", None), ("letter", None), ("call", "viewer")]
)
def test_only_a_call_script_is_signed_by_its_viewer(channel, signs):
    viewer = object()
    template = MessageTemplate(name="t", channel=channel)
    assert signing_user(template, viewer) is (viewer if signs else None)
    assert signing_user(None, viewer) is None


def test_find_hashtags_skips_tags_entities_and_words():
    html = (
        '<p style="color:#ff0000"><a href="#top">x</a> &#x27; C#sharp'
        " #total_due, #customer_name.</p>"
    )
    assert find_hashtags(html, is_html=True) == ["total_due", "customer_name"]
    assert find_hashtags("Pay #total_due #total_due now", is_html=False) == ["total_due"]


def test_suggest_the_closest_hashtag():
    assert suggest("custmer_name") == "customer_name"
    assert suggest("totl_due") == "total_due"
    assert suggest("zzzzzz") is None


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("currency", ["EUR", "GBP", "USD", "CHF", "JPY"])
def test_fast_money_formatting_matches_babel(language, currency):
    from babel.numbers import format_currency

    fmt = formatter(language)
    for raw in ("0", "0.5", "-0.01", "1", "12.3", "999.99", "1234.56", "-1234.56", "1000000"):
        for amount in (Decimal(raw), Decimal(raw) * 1000 + Decimal("0.07")):
            expected = format_currency(amount, currency, locale=language)
            assert fmt.money(amount, currency) == expected, (amount, currency, language)


def test_phone_numbers_are_written_for_the_readers_country():
    french, british = formatter("fr", "FR"), formatter("en", "GB")
    assert french.phone("+33140000000") == "01 40 00 00 00"
    assert french.phone("01 40 00 00 00", "FR") == "01 40 00 00 00"
    assert british.phone("+33140000000") == "+33 1 40 00 00 00"
    assert british.phone("020 7946 0018", "GB") == "020 7946 0018"
    assert french.phone("020 7946 0018", "GB") == "+44 20 7946 0018"
    assert french.phone("ask reception") == "ask reception"  # not a number: as typed
    assert french.phone("") == ""
