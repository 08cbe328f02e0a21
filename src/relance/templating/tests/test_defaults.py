import pytest

from relance.core.defaults import run_defaults
from relance.templating import defaults
from relance.templating.choices import Channel
from relance.templating.defaults import DEFAULT_TEMPLATES, default_templates, default_texts
from relance.templating.models import MessageTemplate
from relance.templating.render import render
from relance.templating.tests.conftest import TODAY


def test_setup_creates_every_default_in_every_language_with_a_file(db):
    created = default_templates()
    assert len(created) == len(DEFAULT_TEMPLATES) == 7
    assert {"fr", "en"} <= set(default_texts())
    templates = MessageTemplate.objects.prefetch_related("variants")
    assert {t.channel for t in templates} == set(Channel.values)
    for template in templates:
        assert set(template.variants_by_language) == set(default_texts())
    notice = templates.get(default_key="formal-notice")
    assert notice.letter_type == "registered"


def test_setup_is_idempotent_and_never_overwrites_an_edit(db):
    default_templates()
    first = MessageTemplate.objects.get(default_key="first-reminder")
    first.variants.filter(language="fr").update(body="<p>Edited</p>")
    MessageTemplate.objects.filter(default_key="sms-reminder").update(name="My SMS")
    MessageTemplate.objects.filter(default_key="call-script").delete()
    MessageTemplate.objects.filter(default_key="courtesy-reminder").delete()
    MessageTemplate.objects.create(name="Courtesy reminder", channel="email")  # a user's own

    assert default_templates() == ["template 'Call script'"]
    assert first.variants.get(language="fr").body == "<p>Edited</p>"
    assert not MessageTemplate.objects.filter(name="SMS reminder").exists()
    assert default_templates() == []


def test_a_language_file_dropped_in_later_is_added_to_the_defaults(db, monkeypatch):
    """The French file arrives after the installation: the next setup adds the French texts
    to the default templates, and leaves the other languages' texts (edited) alone."""
    texts = default_texts()
    monkeypatch.setattr(
        defaults, "default_texts", lambda: {k: v for k, v in texts.items() if k != "fr"}
    )
    default_templates()
    first = MessageTemplate.objects.get(default_key="first-reminder")
    assert "fr" not in set(first.variants.values_list("language", flat=True))
    first.variants.filter(language="en").update(body="<p>Edited</p>")
    monkeypatch.setattr(defaults, "default_texts", lambda: texts)

    assert "template 'First reminder' in fr" in default_templates()
    assert first.variants.get(language="fr").subject == texts["fr"]["FIRST"]["subject"]
    assert first.variants.get(language="en").body == "<p>Edited</p>"
    assert default_templates() == []


def test_every_language_file_has_every_text_and_valid_hashtags():
    """The files translators fill: every key, and no hashtag the product does not know."""
    from relance.templating.services import clean_variants

    for language, texts in default_texts().items():
        for _key, _name, channel, _letter_type, _description, text_key in DEFAULT_TEMPLATES:
            clean_variants(channel=channel, variants={language: texts[text_key]})


def test_setup_runs_the_templating_defaults(db):
    assert "template 'Formal notice'" in run_defaults()


def test_every_default_renders(db, dupont):
    default_templates()
    for template in MessageTemplate.objects.prefetch_related("variants"):
        for language in ("fr", "en"):
            rendered = render(template, dupont, language=language, today=TODAY, pdf=False)
            assert rendered.text
            assert "#" not in rendered.text.replace("N°", ""), (template.name, rendered.text)


@pytest.mark.parametrize("key", ["courtesy-reminder", "first-reminder", "second-reminder"])
def test_a_default_email_is_signed_even_with_no_one_to_sign(db, dupont, key):
    """No collector, an entity with neither phone nor email: the credit department signs,
    and no separator is left hanging."""
    dupont.entity.phone = dupont.entity.email = ""
    default_templates()
    template = MessageTemplate.objects.prefetch_related("variants").get(default_key=key)
    for language, department in (("fr", "Service recouvrement"), ("en", "Credit department")):
        rendered = render(template, dupont, language=language, today=TODAY, pdf=False)
        assert rendered.text.endswith(f"\n{department}\nAcme France"), rendered.text
        assert " – \n" not in rendered.text and "\n – " not in rendered.text


def test_a_default_email_signs_with_the_collector_s_phone(db, dupont):
    from relance.accounts.tests.factories import UserFactory

    dupont.collector = UserFactory(
        username="bob", first_name="Bob", last_name="Leroy", phone="+33600000002"
    )
    default_templates()
    template = MessageTemplate.objects.prefetch_related("variants").get(
        default_key="first-reminder"
    )
    rendered = render(template, dupont, language="fr", today=TODAY, pdf=False)
    # The phone as a reader in France writes it (the customer's country).
    assert rendered.text.endswith("Cordialement,\nBob Leroy\nAcme France\n06 00 00 00 02")


def test_a_default_template_s_name_reads_in_the_user_s_language_until_renamed(db):
    from django.utils import translation

    from relance.templating.choices import default_template_name

    for key, name, *_rest in DEFAULT_TEMPLATES:
        assert default_template_name(key) == name
    default_templates()
    notice = MessageTemplate.objects.get(default_key="formal-notice")
    with translation.override("fr"):
        assert notice.display_name == "Mise en demeure"
        notice.name = "Notre mise en demeure"
        assert notice.display_name == "Notre mise en demeure"


def test_a_default_template_s_description_reads_in_the_user_s_language_until_edited(db):
    from django.utils import translation

    from relance.templating.choices import default_template_description

    for key, _name, _channel, _letter_type, description, _text_key in DEFAULT_TEMPLATES:
        assert default_template_description(key) == description
    default_templates()
    call = MessageTemplate.objects.get(default_key="call-script")
    with translation.override("de"):
        german = call.display_description
    assert german != call.description and german  # the German catalogue's words
    call.description = "Our own script."
    with translation.override("de"):
        assert call.display_description == "Our own script."
