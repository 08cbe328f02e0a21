import io
import subprocess

import pytest
from django.core.management import CommandError, call_command

from relance.customers.tests.factories import CustomerFactory
from relance.templating.tests.factories import MessageTemplateFactory


@pytest.fixture
def templates(db):
    MessageTemplateFactory(
        name="First reminder",
        variants={
            "fr": ("Relance #customer_number", "<p>Bonjour #contact_name</p>"),
            "en": ("Reminder #customer_number", "<p>Dear #contact_name</p>"),
        },
    )
    MessageTemplateFactory(name="SMS", channel="sms", variants={"fr": ("", "Payez #total_due")})
    MessageTemplateFactory(
        name="Notice", channel="letter", letter_type="registered",
        variants={"fr": ("Mise en demeure", "<p>#total_due</p>")},
    )  # fmt: skip


def run(*args) -> str:
    out = io.StringIO()
    call_command("render", *args, stdout=out)
    return out.getvalue()


def test_render_html_and_text(templates, dupont):
    assert run("First reminder", "--customer", "C-DUP") == "<p>Bonjour Claire Durand</p>"
    text = run("First reminder", "--customer", "C-DUP", "--format", "text", "--language", "en")
    assert text == "Reminder C-DUP\n\nDear Claire Durand\n"
    assert run("SMS", "--customer", "C-DUP", "--entity", "acme-fr") == "Payez 1 634,56 €\n"


def test_render_a_letter_to_a_pdf_file(templates, dupont, tmp_path):
    target = tmp_path / "notice.pdf"
    call_command("render", "Notice", "--customer", "C-DUP", "--format", "pdf", "-o", str(target),
                 stderr=io.StringIO())  # fmt: skip
    text = subprocess.run(
        ["/usr/bin/pdftotext", str(target), "-"], capture_output=True, check=True
    ).stdout.decode()
    assert "Dupont SA" in text and "F-1001" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Nope", "--customer", "C-DUP"], "Unknown template 'Nope'"),
        (["SMS", "--customer", "C-NONE"], "Unknown customer 'C-NONE'"),
        (["SMS", "--customer", "C-DUP", "--entity", "globex"], "Unknown customer 'C-DUP' in"),
        (["SMS", "--customer", "C-DUP", "--language", "xx"], "Unknown language 'xx'"),
        (["SMS", "--customer", "C-DUP", "--language", "en"], "has no text in 'en'"),
        (["SMS", "--customer", "C-DUP", "--format", "pdf"], "for letters only"),
        (["SMS", "--customer", "C-DUP", "--format", "html"], "has no HTML"),
    ],
)
def test_clear_errors(templates, dupont, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_a_number_in_two_entities_needs_the_entity(templates, dupont, globex):
    CustomerFactory(entity=globex, external_id="C-DUP")
    with pytest.raises(CommandError, match="several entities"):
        run("SMS", "--customer", "C-DUP")
    assert run("SMS", "--customer", "C-DUP", "--entity", "acme-fr").startswith("Payez")
