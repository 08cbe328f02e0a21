"""The panel on a response's page and the collector's operations, with their permissions."""

import datetime

import pytest
from django.urls import reverse

from relance.accounts.tests.factories import UserFactory
from relance.assistant.choices import ProposalStatus
from relance.assistant.models import Proposal
from relance.assistant.tests.conftest import reply
from relance.customers.tests.factories import CustomerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("trained_assistant")]
PROMISE = "Bonjour, nous réglerons F-2026-0142 et F-2026-0143 le 20 janvier 2030. Cordialement"


def url(name: str, response) -> str:
    return reverse(f"assistant:{name}", args=[response.pk])


def test_the_response_page_loads_the_panel_which_shows_the_proposal(client, bob, dupont, invoices):
    response = reply(dupont, PROMISE)
    client.force_login(bob)
    page = client.get(reverse("agenda:response-detail", args=[response.pk]))
    assert url("proposal", response).encode() in page.content
    panel = client.get(url("proposal", response)).content.decode()
    assert "Promise to pay" in panel
    assert "2030-01-20" in panel
    assert "F-2026-0142" in panel and "F-2026-0143" in panel
    assert 'action="' + url("proposal-accept", response) in panel
    assert Proposal.objects.filter(response=response).count() == 1


def test_accept_records_the_promise_and_goes_back_to_the_response(client, bob, dupont, invoices):
    response = reply(dupont, PROMISE)
    client.force_login(bob)
    answer = client.post(url("proposal-accept", response))
    assert answer.status_code == 302
    assert answer["Location"] == reverse("agenda:response-detail", args=[response.pk])
    invoices[0].refresh_from_db()
    assert invoices[0].promise_date == datetime.date(2030, 1, 20)
    panel = client.get(url("proposal", response)).content.decode()
    assert "Accepted by" in panel and 'class="proposal-accept"' not in panel


def test_a_bad_correction_is_answered_with_the_field_and_the_reason(client, bob, dupont, invoices):
    response = reply(dupont, PROMISE)
    client.force_login(bob)
    answer = client.post(
        url("proposal-correct", response),
        {"intent": "promise", "day": "2020-01-01", "items": [invoices[0].pk]},
        follow=True,
    )
    text = answer.content.decode()
    assert "Date (promised or paid): The promised date cannot be in the past." in text
    assert Proposal.objects.get(response=response).status == ProposalStatus.PROPOSED


def test_a_correction_through_the_form(client, bob, dupont, invoices):
    response = reply(dupont, PROMISE)
    client.force_login(bob)
    client.post(
        url("proposal-correct", response),
        {"intent": "dispute", "dispute_reason": "price", "items": [invoices[1].pk]},
    )
    proposal = Proposal.objects.get(response=response)
    assert proposal.status == ProposalStatus.CORRECTED
    assert proposal.final["dispute_reason"] == "price"
    invoices[1].refresh_from_db()
    assert invoices[1].disputed


def test_read_only_users_see_but_cannot_act(client, dupont, invoices):
    response = reply(dupont, PROMISE)
    client.force_login(UserFactory(username="rita", role="read_only", all_entities=True))
    panel = client.get(url("proposal", response)).content.decode()
    assert "Promise to pay" in panel and "proposal-accept" not in panel
    assert client.post(url("proposal-accept", response)).status_code == 403
    assert client.post(url("proposal-dismiss", response)).status_code == 403


def test_another_entitys_response_is_not_found(client, globex, bob, dupont):
    foreign = reply(CustomerFactory(entity=globex), PROMISE)
    client.force_login(bob)
    assert client.get(url("proposal", foreign)).status_code == 404
    assert client.post(url("proposal-accept", foreign)).status_code == 404
    assert not Proposal.objects.exists()
