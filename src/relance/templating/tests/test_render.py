import pytest

from relance.accounts.tests.factories import UserFactory
from relance.customers.models import Customer
from relance.customers.tests.factories import ContactFactory, CustomerFactory
from relance.ledger.tests.factories import ItemFactory
from relance.templating.hashtags import HASHTAGS
from relance.templating.render import compile_text, render, render_context
from relance.templating.selectors import build_contexts, template_by_name
from relance.templating.tests.conftest import TODAY
from relance.templating.tests.factories import MessageTemplateFactory

XSS = "<script>alert(1)</script>"
EMAIL_FR = ("Relance #customer_number", "<p>Bonjour #contact_name,</p><p>#items_list</p>")
EMAIL_EN = ("Reminder #customer_number", "<p>Dear #contact_name,</p><p>You owe #total_due.</p>")


def plain(value: str) -> str:
    return value.replace("\u202f", " ").replace("\xa0", " ")


@pytest.fixture
def email(db):
    return MessageTemplateFactory(name="First reminder", variants={"fr": EMAIL_FR, "en": EMAIL_EN})


def test_email_in_the_customer_language(email, dupont):
    rendered = render(email, dupont, today=TODAY)
    assert rendered.language == "fr"
    assert rendered.subject == "Relance C-DUP"
    assert "<p>Bonjour Claire Durand,</p>" in rendered.html
    assert "F-1001" in rendered.html and "<table" in rendered.html
    assert rendered.text.startswith("Bonjour Claire Durand,\n\n- Facture F-1001")
    assert "1 634,56 €" in plain(rendered.text)
    assert rendered.pdf is None


def test_english_customer_gets_the_english_variant(email, dupont):
    dupont.language = "en"
    rendered = render(email, dupont, today=TODAY)
    assert rendered.subject == "Reminder C-DUP"
    assert rendered.text == "Dear Claire Durand,\n\nYou owe €1,634.56."


def test_missing_variant_falls_back_to_the_entity_language(dupont):
    template = MessageTemplateFactory(variants={"en": EMAIL_EN, "fr": EMAIL_FR})
    template.variants.filter(language="en").delete()
    dupont.language = "en"
    dupont.entity.language = "fr"
    template = type(template).objects.prefetch_related("variants").get(pk=template.pk)
    assert render(template, dupont, today=TODAY).language == "fr"


def test_language_can_be_forced(email, dupont):
    assert render(email, dupont, today=TODAY, language="en").subject == "Reminder C-DUP"


def test_sms_is_plain_text_with_its_segments(dupont):
    sms = MessageTemplateFactory(
        channel="sms", variants={"fr": ("", "#customer_name doit #total_due. Merci.")}
    )
    rendered = render(sms, dupont, today=TODAY)
    assert plain(rendered.text) == "Dupont SA doit 1 634,56 €. Merci."
    assert rendered.html == ""
    assert rendered.sms.encoding == "GSM-7" and rendered.sms.segments == 1


def test_unknown_hashtag_in_a_stored_template_stays_as_written(dupont):
    template = MessageTemplateFactory(variants={"fr": ("", "<p>#nothing_here #customer_name</p>")})
    assert render(template, dupont, today=TODAY).html == "<p>#nothing_here Dupont SA</p>"


def test_compile_splits_literals_and_hashtags():
    parts = compile_text('<a href="#x">#total_due</a>!', True)
    assert [p if isinstance(p, str) else p.name for p in parts] == [
        '<a href="#x">',
        "total_due",
        "</a>!",
    ]


def test_contexts_are_built_set_based_and_rendering_reads_nothing(
    email, acme_bank, django_assert_num_queries
):
    for n in range(20):
        customer = CustomerFactory(entity=acme_bank, name=f"Client {n}")
        ContactFactory(customer=customer)
        ItemFactory.create_batch(3, customer=customer)
    customers = list(Customer.objects.select_related("entity", "collector"))
    email = template_by_name(email.name)  # with its variants
    with django_assert_num_queries(3):  # open items, contacts, the loaded reference rates
        contexts = build_contexts(customers, TODAY)
    with django_assert_num_queries(2):  # the rate tables stay in memory once read
        contexts = build_contexts(customers, TODAY)
    with django_assert_num_queries(0):
        for customer in customers:
            rendered = render_context(email, contexts[customer.pk])
            assert customer.name in rendered.html or "Claire" in rendered.html


def test_every_data_field_is_escaped(email, dupont, acme_bank):
    for field in ("name", "external_id", "legal_id", "address_line1", "city"):
        setattr(dupont, field, XSS)
    for field in ("name", "address_line1", "city", "siret", "vat_number", "company_number"):
        setattr(acme_bank, field, XSS)
    contact = dupont.contacts.get()
    contact.first_name = contact.last_name = XSS
    contact.save()
    dupont.items.filter(number="F-1001").update(number=XSS)
    phone = "<i>06</i>"  # the field holds 20 characters
    user = UserFactory(username="eve", first_name=XSS, email="eve@example.com", phone=phone)
    everything = " ".join(f"#{name}" for name in sorted(HASHTAGS))
    subject = "#customer_name #customer_number #contact_name #user_name #company_name"
    template = MessageTemplateFactory(variants={"fr": (subject, f"<p>{everything}</p>")})
    rendered = render(template, dupont, today=TODAY, user=user)
    assert "<script" not in rendered.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered.html
    assert "<i>" not in rendered.html and "&lt;i&gt;06&lt;/i&gt;" in rendered.html
    # The plain text and the subject are not HTML: the value shows as written.
    assert XSS in rendered.text and XSS in rendered.subject


def test_a_british_customer_reads_british_dates_and_a_british_address(globex):
    customer = CustomerFactory(
        entity=globex,
        name="Initech Ltd",
        language="en",
        country="GB",
        address_line1="12 Old Street",
        postal_code="EC1V 4PW",
        city="London",
    )
    ItemFactory(customer=customer, number="G-1", issue_date=TODAY, due_date=TODAY)
    template = MessageTemplateFactory(
        name="UK", variants={"en": ("Hello", "<p>#customer_address</p><p>Due #oldest_due_date</p>")}
    )
    rendered = render(template, customer, today=TODAY)
    day = f"{TODAY.day} {TODAY:%b} {TODAY.year}"  # en_GB: 1 Mar 2026, not Mar 1, 2026
    assert f"Due {day}" in rendered.text
    assert "12 Old Street\nLONDON\nEC1V 4PW" in rendered.text  # the postcode on its own line
    customer.country, customer.language = "FR", "fr"
    customer.postal_code, customer.city = "75002", "Paris"
    french = render(template, customer, today=TODAY, language="en")
    assert "75002 PARIS" in french.text  # the postcode before the town, in capitals
