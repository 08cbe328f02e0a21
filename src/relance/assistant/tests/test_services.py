"""proposal_create reads a response once; accept, correct and dismiss record on the items
what a collector would type, handle the response and write the timeline."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from relance.activity.choices import EventKind
from relance.activity.models import CustomerEvent
from relance.assistant import services
from relance.assistant.choices import Intent, ProposalStatus
from relance.assistant.models import Proposal
from relance.assistant.tests.conftest import reply
from relance.customers.tests.factories import CustomerFactory
from relance.ledger.tests.factories import ItemFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("trained_assistant")]

PROMISE = (
    "Bonjour,\n\nNous réglerons les factures F-2026-0142 et F-2026-0143 le 20 janvier 2030.\n\n"
    "Cordialement,\nClaire Martin\n\n"
    "Le 01/12/2026 09:12, Acme France <relances@acme.example> a écrit :\n"
    "> Sauf erreur de notre part, la facture F-2026-0150 de 1 202,00 € reste impayée."
)


def test_a_promise_is_read_with_its_date_and_the_two_items_it_names(dupont, invoices):
    proposal = services.proposal_create(response=reply(dupont, PROMISE))
    assert proposal.intent == Intent.PROMISE
    assert proposal.promised_on == datetime.date(2030, 1, 20)
    # The quoted reminder's invoice is history, not what the customer answered about.
    assert sorted(item.number for item in proposal.items.all()) == ["F-2026-0142", "F-2026-0143"]
    assert proposal.invoice_numbers[:2] == ["F-2026-0142", "F-2026-0143"]
    assert proposal.language == "fr"
    assert proposal.summary.startswith("Nous réglerons les factures")
    assert proposal.status == ProposalStatus.PROPOSED
    assert 0 < proposal.confidence <= 1


def test_proposal_create_is_idempotent(dupont, invoices):
    response = reply(dupont, PROMISE)
    first = services.proposal_create(response=response)
    assert services.proposal_create(response=response).pk == first.pk
    assert Proposal.objects.count() == 1


def test_without_a_number_the_proposal_takes_the_items_the_response_carries(dupont, invoices):
    response = reply(dupont, "We will pay next Friday, sorry for the delay.")
    response.items.set([invoices[2]])
    proposal = services.proposal_create(response=response)
    assert list(proposal.items.all()) == [invoices[2]]


def test_accepting_a_promise_sets_the_items_promised_date_and_handles_the_response(
    dupont, invoices, bob
):
    response = reply(dupont, PROMISE)
    proposal = services.proposal_accept(
        proposal=services.proposal_create(response=response), acting_user=bob
    )
    for item in invoices[:2]:
        item.refresh_from_db()
        assert item.promise_date == datetime.date(2030, 1, 20)
    invoices[2].refresh_from_db()
    assert invoices[2].promise_date is None
    response.refresh_from_db()
    assert response.handled_by == bob
    assert set(response.items.all()) == set(invoices[:2])
    assert proposal.status == ProposalStatus.ACCEPTED and proposal.decided_by == bob
    event = CustomerEvent.objects.get(kind=EventKind.ASSISTANT_DECIDED)
    assert event.user == bob
    assert "F-2026-0142, F-2026-0143" in event.describe()


def test_a_promise_in_the_past_is_refused_naming_the_date(dupont, invoices, bob):
    proposal = services.proposal_create(response=reply(dupont, PROMISE))
    with pytest.raises(ValidationError) as caught:
        services.proposal_correct(
            proposal=proposal,
            intent=Intent.PROMISE,
            day=datetime.date(2020, 1, 1),
            item_ids=[invoices[0].pk],
            acting_user=bob,
        )
    assert "promised_on" in caught.value.error_dict
    invoices[0].refresh_from_db()
    assert invoices[0].promise_date is None
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED


def test_accepting_a_dispute_marks_the_items_as_the_customer_page_does(dupont, invoices, bob):
    body = (
        "Les produits livrés avec F-2026-0150 sont défectueux, nous avons ouvert une réclamation."
    )
    proposal = services.proposal_create(response=reply(dupont, body))
    assert (proposal.intent, proposal.dispute_reason) == (Intent.DISPUTE, "quality")
    services.proposal_accept(proposal=proposal, acting_user=bob)
    invoices[2].refresh_from_db()
    assert invoices[2].disputed
    assert invoices[2].dispute_reason.startswith("Qualité")  # the entity's language: French
    assert invoices[2].dispute_date == dupont.entity.today()


def test_accepting_a_payment_announces_it(dupont, invoices, bob):
    proposal = services.proposal_create(
        response=reply(dupont, "The transfer for invoice F-2026-0143 was made yesterday.")
    )
    assert proposal.intent == Intent.PAYMENT_MADE
    assert proposal.paid_on is not None
    services.proposal_accept(proposal=proposal, acting_user=bob)
    invoices[1].refresh_from_db()
    assert invoices[1].payment_announced_on == proposal.paid_on
    assert invoices[1].promise_date == proposal.paid_on


def test_a_correction_is_stored_applied_and_learnt_from(dupont, invoices, bob):
    response = reply(
        dupont, "Merci de nous renvoyer la facture F-2026-0142, introuvable chez nous."
    )
    proposal = services.proposal_create(response=response)
    services.proposal_correct(
        proposal=proposal,
        intent=Intent.DISPUTE,
        dispute_reason="not_received",
        item_ids=[invoices[0].pk],
        acting_user=bob,
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.CORRECTED
    assert proposal.final_intent == Intent.DISPUTE
    assert proposal.final["items"] == ["F-2026-0142"]
    invoices[0].refresh_from_db()
    assert invoices[0].disputed
    (correction,) = services.training_corrections()
    assert correction == {
        "text": response.body,
        "reference_date": timezone.localtime(response.received_at).date().isoformat(),
        "language": "fr",
        "intent": "dispute",
        "dispute_reason": "not_received",
        "document": "",
    }


def test_bad_corrections_name_their_field(dupont, invoices, bob):
    proposal = services.proposal_create(response=reply(dupont, PROMISE))
    stranger = ItemFactory(customer=CustomerFactory(entity=dupont.entity))
    cases = [
        ({"intent": "maybe"}, "intent"),
        (
            {"intent": Intent.DISPUTE, "dispute_reason": "mood", "item_ids": [invoices[0].pk]},
            "dispute_reason",
        ),
        ({"intent": Intent.PROMISE, "item_ids": []}, "items"),
        ({"intent": Intent.PROMISE, "item_ids": [stranger.pk]}, "items"),
        ({"intent": Intent.PROMISE, "item_ids": [invoices[0].pk]}, "promised_on"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as caught:
            services.proposal_correct(proposal=proposal, acting_user=bob, **kwargs)
        assert field in caught.value.error_dict, (kwargs, caught.value)
    stranger.refresh_from_db()
    assert stranger.promise_date is None


def test_a_decided_proposal_cannot_be_decided_again(dupont, invoices, bob):
    proposal = services.proposal_create(response=reply(dupont, "Pouvez-vous me rappeler ?"))
    services.proposal_dismiss(proposal=proposal, acting_user=bob)
    with pytest.raises(ValidationError, match="already been decided"):
        services.proposal_accept(proposal=proposal, acting_user=bob)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DISMISSED
    assert "dismissed" in CustomerEvent.objects.get(kind=EventKind.ASSISTANT_DECIDED).describe()
