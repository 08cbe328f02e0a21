"""The manual tab's merged letters: the ticked letter actions the user may see, one PDF."""

import shutil
import subprocess

import pytest
from django.urls import reverse

from relance.agenda.tests.test_views import make_action
from relance.scenarios.tests.factories import ScenarioFactory
from relance.templating.tests.factories import MessageTemplateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def letter_scenario(acme):
    template = MessageTemplateFactory(
        name="Mise en demeure",
        channel="letter",
        variants={"fr": ("Mise en demeure", "<p>Veuillez régler #total_due.</p>")},
    )
    return ScenarioFactory(
        name="Letters",
        steps=[
            {
                "name": "notice",
                "channel": "registered_letter",
                "mode": "manual",
                "template": template,
            }
        ],
    )


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "letters.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")
def test_merged_pdf_has_each_ticked_letter(client, alice, acme, letter_scenario, tmp_path):
    first = make_action(acme, letter_scenario, channel="registered_letter", name="Dupont SA")
    second = make_action(acme, letter_scenario, channel="registered_letter", name="Martin SARL")
    make_action(acme, letter_scenario, channel="registered_letter", name="Unticked")
    client.force_login(alice)
    response = client.post(reverse("agenda:letters-pdf"), {"actions": [first.pk, second.pk]})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "Dupont SA" in text and "Martin SARL" in text
    assert "Unticked" not in text


def test_other_entities_and_non_letters_are_ignored(client, bob, acme, globex, letter_scenario):
    hidden = make_action(globex, letter_scenario, channel="registered_letter", name="Hidden")
    call = make_action(acme, letter_scenario, channel="call", name="Caller")
    client.force_login(bob)
    response = client.post(reverse("agenda:letters-pdf"), {"actions": [hidden.pk, call.pk]})
    assert response.status_code == 302  # nothing to print: back to the tab with a message


def test_manual_tab_offers_the_print_form(client, alice, acme, letter_scenario):
    make_action(acme, letter_scenario, channel="registered_letter", name="Dupont SA")
    client.force_login(alice)
    html = client.get(reverse("agenda:manual")).content.decode()
    assert 'id="print-letters"' in html and 'name="actions"' in html


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")
def test_printed_letters_carry_a_real_link_to_the_customers_page(
    client, alice, acme, tmp_path, settings
):
    from relance.portal.models import PortalLink

    settings.SITE_URL = "https://pay.example"
    template = MessageTemplateFactory(
        name="Avec lien",
        channel="letter",
        variants={"fr": ("Relance", "<p>Votre page : #interactive_link</p>")},
    )
    step = {"name": "notice", "channel": "letter", "mode": "manual", "template": template}
    scenario = ScenarioFactory(name="Linked letters", steps=[step])
    action = make_action(acme, scenario, channel="letter", name="Dupont SA")
    client.force_login(alice)

    response = client.post(reverse("agenda:letters-pdf"), {"actions": [action.pk]})

    text = pdf_text(response.content, tmp_path)
    assert "https://pay.example/p/" in text and "/p/preview/" not in text
    assert PortalLink.objects.get().action == action
