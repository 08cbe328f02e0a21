import pytest
from django.urls import reverse

from relance.customers.tests.factories import CustomerFactory
from relance.templating.models import MessageTemplate
from relance.templating.tests.factories import MessageTemplateFactory

XSS = "<script>alert(1)</script>"


@pytest.fixture
def email(db):
    return MessageTemplateFactory(
        name="First reminder",
        variants={"fr": ("Relance #customer_name", "<p>Bonjour #contact_name, #total_due</p>")},
    )


def post_data(**overrides):
    data = {
        "name": "New one",
        "entity": "",
        "description": "",
        "fr_subject": "Relance #customer_name",
        "fr_body": "<p>Bonjour #contact_name</p>",
        "en_subject": "",
        "en_body": "",
    }
    return {**data, **overrides}


def test_everyone_lists_and_previews_but_only_managers_edit(client, bob, email):
    client.force_login(bob)
    response = client.get(reverse("templating:list"))
    assert response.status_code == 200
    assert "First reminder" in response.content.decode()
    assert "New template" not in response.content.decode()
    assert client.get(reverse("templating:edit", args=[email.pk])).status_code == 403
    assert client.get(reverse("templating:new", args=["email"])).status_code == 403
    assert client.post(reverse("templating:delete", args=[email.pk])).status_code == 403


def test_manager_creates_a_sanitized_template(client, alice):
    client.force_login(alice)
    body = '<p onclick="x">Bonjour #contact_name<script>alert(1)</script></p>'
    response = client.post(reverse("templating:new", args=["email"]), post_data(fr_body=body))
    template = MessageTemplate.objects.get(name="New one")
    assert response.status_code == 302
    assert response["Location"] == reverse("templating:edit", args=[template.pk])
    assert template.variants.get().body == "<p>Bonjour #contact_name</p>"
    assert template.updated_by == alice


def test_unknown_hashtag_is_shown_with_its_suggestion(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("templating:new", args=["email"]), post_data(fr_body="<p>#custmer_name</p>")
    )
    assert response.status_code == 200
    assert "#custmer_name: did you mean #customer_name?" in response.content.decode()
    assert not MessageTemplate.objects.exists()


def test_editor_has_the_picker_grouped_by_category(client, alice, email):
    client.force_login(alice)
    page = client.get(reverse("templating:edit", args=[email.pk])).content.decode()
    assert 'data-hashtag="items_list"' in page
    for category in ("Customer", "Account", "Company", "Sender"):
        assert f'<h6 class="dropdown-header">{category}</h6>' in page
    assert "vendor/jodit/jodit.fat.min.js" in page


def test_sms_length_endpoint(client, bob):
    client.force_login(bob)
    response = client.post(reverse("templating:sms-length"), {"text": "€" * 81})
    assert "162 / 160 characters, 2 SMS (GSM-7)" in response.content.decode()


def test_template_of_another_entity_is_not_found(client, bob, globex):
    other = MessageTemplateFactory(entity=globex, variants={"en": ("s", "<p>b</p>")})
    client.force_login(bob)
    assert client.get(reverse("templating:detail", args=[other.pk])).status_code == 404
    assert other.name not in client.get(reverse("templating:list")).content.decode()


def test_preview_escapes_customer_data(client, bob, acme, email):
    CustomerFactory(entity=acme, name=XSS)
    client.force_login(bob)
    page = client.get(reverse("templating:preview", args=[email.pk])).content.decode()
    assert "<script>alert" not in page
    # Escaped once by the renderer, once more in the srcdoc attribute.
    assert "&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;" in page


def test_preview_search_only_finds_visible_customers(client, bob, acme, globex, email):
    CustomerFactory(entity=acme, name="Dupont Paris")
    hidden = CustomerFactory(entity=globex, name="Dupont London")
    client.force_login(bob)
    url = reverse("templating:preview-customers", args=[email.pk])
    page = client.get(url, {"q": "Dupont"}).content.decode()
    assert "Dupont Paris" in page and "Dupont London" not in page
    preview = reverse("templating:preview", args=[email.pk])
    assert client.get(preview, {"customer": hidden.pk}).status_code == 404


def test_sms_preview_shows_its_segments(client, bob, acme):
    CustomerFactory(entity=acme, name="Dupont SA")
    sms = MessageTemplateFactory(channel="sms", variants={"fr": ("", "#customer_name doit payer")})
    client.force_login(bob)
    page = client.get(reverse("templating:preview", args=[sms.pk])).content.decode()
    assert "Dupont SA doit payer" in page
    assert "SMS (GSM-7)" in page


def test_letter_preview_is_a_pdf(client, bob, acme):
    customer = CustomerFactory(entity=acme, name="Dupont SA")
    letter = MessageTemplateFactory(
        channel="letter", letter_type="standard", variants={"fr": ("Objet", "<p>#total_due</p>")}
    )
    client.force_login(bob)
    page = client.get(reverse("templating:preview", args=[letter.pk])).content.decode()
    assert "preview.pdf?customer=" in page
    response = client.get(
        reverse("templating:preview-pdf", args=[letter.pk]), {"customer": customer.pk}
    )
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_delete(client, alice, email):
    client.force_login(alice)
    response = client.post(reverse("templating:delete", args=[email.pk]))
    assert response.status_code == 302
    assert not MessageTemplate.objects.exists()


def test_preview_is_signed_by_the_customer_s_collector_not_the_viewer(client, alice, bob, acme):
    signed = MessageTemplateFactory(
        name="Signed", variants={"fr": ("Relance", "<p>Cordialement, #user_name</p>")}
    )
    bob.last_name = "Leroy"
    bob.save()
    customer = CustomerFactory(entity=acme, name="Dupont SA", collector=bob)
    client.force_login(alice)
    url = reverse("templating:preview", args=[signed.pk])
    page = client.get(url, {"customer": customer.pk}).content.decode()
    assert "Cordialement, Bob Leroy" in page and "Cordialement, Alice" not in page


def test_a_registered_letter_is_named_lettre_recommandee_in_french(client, bob):
    from django.utils import translation

    from relance.agenda.choices import ResponseChannel
    from relance.scenarios.choices import StepChannel
    from relance.templating.choices import LetterType

    MessageTemplateFactory(name="Notice", channel="letter", letter_type="registered")
    client.force_login(bob)
    with translation.override("fr"):
        page = client.get(reverse("templating:list"), HTTP_ACCEPT_LANGUAGE="fr")
        labels = [
            StepChannel.REGISTERED_LETTER.label,
            ResponseChannel.REGISTERED_LETTER.label,
            LetterType.REGISTERED.label,
        ]
        assert all(str(label).startswith("Lettre recommandée") for label in labels), labels
    assert '<span class="badge text-bg-warning">Lettre recommandée</span>' in page.text


def test_a_german_customer_falls_back_to_the_entity_s_language_then_english(db, acme):
    """No German text: the entity's language (French) is used, else English, and the
    preview says which language it shows instead of the customer's."""
    from relance.templating.render import render

    customer = CustomerFactory(entity=acme, name="Müller GmbH", language="de", country="DE")
    both = MessageTemplateFactory(
        name="Both",
        variants={"en": ("Reminder", "<p>Dear</p>"), "fr": ("Relance", "<p>Bonjour</p>")},
    )
    rendered = render(both, customer, pdf=False)
    assert (rendered.language, rendered.wanted_language, rendered.is_fallback) == ("fr", "de", True)
    english = MessageTemplateFactory(
        name="English only",
        variants={"en": ("Reminder", "<p>Dear</p>"), "es": ("Aviso", "<p>Hola</p>")},
    )
    assert render(english, customer, pdf=False).language == "en"  # English before Spanish
    german = MessageTemplateFactory(name="German", variants={"de": ("Mahnung", "<p>Hallo</p>")})
    assert not render(german, customer, pdf=False).is_fallback


def test_the_preview_shows_the_fallback(client, bob, acme, email):
    customer = CustomerFactory(entity=acme, name="Müller GmbH", language="de", country="DE")
    client.force_login(bob)
    url = reverse("templating:preview", args=[email.pk])
    page = client.get(url, {"customer": customer.pk}).content.decode()
    assert "Shown in French: this template has no German version." in page
    page = client.get(url, {"customer": customer.pk, "language": "fr"}).content.decode()
    assert "preview-fallback" not in page  # French asked for, French shown
