import pytest
from django.core.exceptions import ValidationError

from relance.templating.services import template_create, template_update


def test_create_sanitizes_the_html_body(db):
    template = template_create(
        name="First reminder",
        channel="email",
        variants={
            "fr": {
                "subject": "Relance #customer_name",
                "body": '<p onclick="x">Bonjour<script>alert(1)</script> #contact_name</p>',
            }
        },
    )
    variant = template.variants.get()
    assert variant.body == "<p>Bonjour #contact_name</p>"
    assert template.letter_type == ""


def test_unknown_hashtag_is_refused_with_a_suggestion(db):
    with pytest.raises(ValidationError) as error:
        template_create(
            name="Typo",
            channel="email",
            variants={"fr": {"subject": "#totl_due", "body": "<p>#custmer_name</p>"}},
        )
    assert error.value.message_dict == {
        "fr_subject": ["#totl_due: did you mean #total_due?"],
        "fr_body": ["#custmer_name: did you mean #customer_name?"],
    }


def test_unknown_hashtag_without_a_close_one(db):
    with pytest.raises(ValidationError) as error:
        template_create(name="X", channel="sms", variants={"en": {"body": "#zzzzzz"}})
    assert error.value.message_dict == {"en_body": ["#zzzzzz: unknown hashtag"]}


def test_at_least_one_language_is_required(db):
    with pytest.raises(ValidationError):
        template_create(name="Empty", channel="email", variants={"fr": {"subject": "", "body": ""}})


def test_plain_text_channels_keep_their_text_and_sms_has_no_subject(db):
    template = template_create(
        name="SMS",
        channel="sms",
        variants={"fr": {"subject": "ignored", "body": "  <b>#total_due</b> à payer  "}},
    )
    variant = template.variants.get()
    assert (variant.subject, variant.body) == ("", "<b>#total_due</b> à payer")


def test_letters_get_a_letter_type(db):
    template = template_create(
        name="Letter", channel="letter", variants={"fr": {"subject": "Objet", "body": "<p>x</p>"}}
    )
    assert template.letter_type == "standard"


def test_update_replaces_the_variants(db, alice):
    template = template_create(
        name="T",
        channel="email",
        variants={"fr": {"subject": "a", "body": "<p>a</p>"}, "en": {"subject": "b", "body": "b"}},
    )
    template_update(
        template=template,
        name="T2",
        variants={"fr": {"subject": "c", "body": "<p>c</p>"}, "en": {"subject": "", "body": ""}},
        acting_user=alice,
    )
    template.refresh_from_db()
    assert template.name == "T2"
    assert template.updated_by == alice
    assert list(template.variants.values_list("language", "subject")) == [("fr", "c")]


def test_names_are_unique(db):
    variants = {"fr": {"subject": "a", "body": "<p>a</p>"}}
    template_create(name="Same", channel="email", variants=variants)
    with pytest.raises(ValidationError):
        template_create(name="Same", channel="email", variants=variants)
