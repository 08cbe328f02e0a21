"""Letters a user hands to the connectors from the agenda, against the fake provider on
127.0.0.1: one submission per letter, never twice, the outcome of each; an e-registered
letter to the contact chosen; the providers' proofs kept and downloaded."""

import base64

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from relance.activity.choices import EventKind
from relance.activity.models import CustomerEvent
from relance.agenda.models import Action
from relance.agenda.tests.test_views import make_action
from relance.customers.tests.factories import ContactFactory
from relance.delivery.connectors import outbox_poll
from relance.delivery.models import Outbox, Proof
from relance.delivery.services import letters_hand_over
from relance.delivery.tests.conftest import connector
from relance.delivery.tests.providers import DEPOSIT_PDF, EREG_PDF, b64
from relance.scenarios.tests.factories import ScenarioFactory
from relance.templating.tests.factories import MessageTemplateFactory

pytestmark = pytest.mark.django_db
ACK_PDF = b"%PDF-1.4\n% signed acknowledgement\n%%EOF\n"


@pytest.fixture
def scenario(acme):
    template = MessageTemplateFactory(
        name="Mise en demeure",
        channel="letter",
        variants={"fr": ("Mise en demeure", "<p>Veuillez régler #total_due.</p>")},
    )
    return ScenarioFactory(
        name="Letters",
        steps=[{"name": "notice", "channel": "letter", "mode": "manual", "template": template}],
    )


@pytest.fixture
def print_mail(acme, provider):
    return connector(acme, "letter", "print_mail", url=provider.url, api_key="k", sender="Acme")


def _letters(acme, scenario, *channels):
    return [
        make_action(acme, scenario, channel=channel, name=f"Client {n} SA")
        for n, channel in enumerate(channels)
    ]


def test_each_letter_is_submitted_once_and_never_again(acme, bob, scenario, provider, print_mail):
    letter, registered = _letters(acme, scenario, "letter", "registered_letter")
    results = letters_hand_over(
        actions=Action.objects.filter(pk__in=[registered.pk, letter.pk]).order_by("-pk"),
        acting_user=bob,
    )
    assert [(r.action.pk, r.sent, r.action.status) for r in results] == [
        (registered.pk, True, "sent"),
        (letter.pk, True, "sent"),
    ]
    posted = [data for method, path, _h, data in provider.requests if method == "POST"]
    assert sorted(data["registered"] for data in posted) == ["false", "true"]
    assert {data["idempotency_key"] for data in posted} == {
        f"action-{letter.pk}-1",
        f"action-{registered.pk}-1",
    }
    events = CustomerEvent.objects.filter(kind=EventKind.MESSAGE_SENT_BY_USER, user=bob)
    assert sorted(events.values_list("action_id", flat=True)) == sorted([letter.pk, registered.pk])

    again = letters_hand_over(actions=[letter, registered], acting_user=bob)
    assert [r.sent for r in again] == [False, False]
    assert len([r for r in provider.requests if r[0] == "POST"]) == 2
    assert Outbox.objects.count() == 2


def test_a_refused_letter_says_why_and_the_others_go(acme, bob, scenario, provider, print_mail):
    provider.behaviour.refuse = "address not deliverable"
    [letter] = _letters(acme, scenario, "letter")
    [result] = letters_hand_over(actions=[letter], acting_user=bob)
    assert not result.sent
    assert result.action.status == "error"
    assert "address not deliverable" in result.action.error_message


def test_without_a_connector_the_letter_is_left_in_error(acme, bob, scenario):
    [letter] = _letters(acme, scenario, "letter")
    [result] = letters_hand_over(actions=[letter], acting_user=bob)
    assert (result.sent, result.action.error_message) == (False, "No letter connector configured")


def test_an_e_registered_letter_goes_to_the_contact_chosen(acme, bob, scenario, provider):
    connector(acme, "e_registered_letter", "ereg", url=provider.url, api_key="k", sender="Acme")
    [action] = _letters(acme, scenario, "e_registered_letter")
    lawyer = ContactFactory(
        customer=action.customer, email="avocat@client.example", is_collection=False
    )
    [result] = letters_hand_over(
        actions=[action], acting_user=bob, recipients={action.pk: lawyer.pk}
    )
    assert result.sent
    [record] = provider.messages
    assert record["data"]["to"] == "avocat@client.example"
    assert Outbox.objects.get().recipients == "avocat@client.example"


def test_another_customers_contact_is_refused_and_nothing_leaves(acme, bob, scenario, provider):
    connector(acme, "e_registered_letter", "ereg", url=provider.url, api_key="k")
    first, second = _letters(acme, scenario, "e_registered_letter", "e_registered_letter")
    stranger = ContactFactory(customer=second.customer, email="x@other.example")
    bounced = ContactFactory(customer=second.customer, email="old@client.example")
    bounced.email_invalid_at = timezone.now()
    bounced.save()
    with pytest.raises(ValidationError) as caught:
        letters_hand_over(
            actions=[first, second],
            acting_user=bob,
            recipients={first.pk: stranger.pk, second.pk: bounced.pk},
        )
    assert caught.value.message_dict == {
        f"recipient_{first.pk}": [
            "Recipient of the letter to Client 0 SA: choose one of its contacts."
        ],
        f"recipient_{second.pk}": [
            "Recipient of the letter to Client 1 SA: this contact's email bounced."
        ],
    }
    assert provider.requests == [] and not Outbox.objects.exists()


def test_proofs_are_kept_with_the_message_and_the_tracking_number_on_the_action(
    acme, bob, scenario, provider, print_mail
):
    provider.behaviour.proofs = True
    [action] = _letters(acme, scenario, "registered_letter")
    [result] = letters_hand_over(actions=[action], acting_user=bob)
    assert result.sent
    outbox = Outbox.objects.get()
    assert "deposit_receipt" not in outbox.proof  # the PDF is a Proof row, not JSON
    [deposit] = Proof.objects.all()
    assert (deposit.kind, bytes(deposit.content)) == ("deposit", DEPOSIT_PDF)
    action.refresh_from_db()
    assert (action.tracking_number, action.carrier) == ("1A00000000001", "laposte")

    # The signed acknowledgement comes with a later status, polled; twice is kept once.
    record = provider.messages[0]
    record.update(status="delivered", acknowledgement="signed")
    record["acknowledgement_receipt"] = b64(ACK_PDF)
    assert outbox_poll() == 1
    record["status"] = "delivered"
    outbox_poll()
    kinds = sorted(Proof.objects.values_list("kind", "provider_status"))
    assert kinds == [("acknowledgement", "delivered"), ("deposit", "accepted")]
    assert Outbox.objects.get().proof["acknowledgement"] == "signed"


def test_an_e_registered_proof_document_is_kept(acme, bob, scenario, provider):
    provider.behaviour.proofs = True
    connector(acme, "e_registered_letter", "ereg", url=provider.url, api_key="k")
    [action] = _letters(acme, scenario, "e_registered_letter")
    letters_hand_over(actions=[action], acting_user=bob)
    [proof] = Proof.objects.all()
    assert (proof.kind, bytes(proof.content)) == ("ereg", EREG_PDF)
    assert Outbox.objects.get().proof["receipt"] == "deposit-1"


def test_a_proof_callback_with_a_bad_document_keeps_the_rest(
    acme, bob, scenario, provider, print_mail
):
    from relance.delivery.connectors import outbox_status_update

    [action] = _letters(acme, scenario, "letter")
    letters_hand_over(actions=[action], acting_user=bob)
    outbox = outbox_status_update(
        connector=print_mail,
        provider_id="MSG1",
        status="posted",
        proof={"deposit_receipt": "not base64!", "acknowledgement": "pending"},
    )
    assert outbox.proof == {"acknowledgement": "pending"}
    assert not Proof.objects.exists()


# The pages -----------------------------------------------------------------------------


def test_the_manual_tab_hands_the_selection_over_and_shows_each_outcome(
    client, bob, acme, scenario, provider, print_mail
):
    provider.behaviour.proofs = True
    first, second = _letters(acme, scenario, "registered_letter", "letter")
    client.force_login(bob)
    url = reverse("delivery:letters-hand-over")
    manual = client.get(reverse("agenda:manual")).content.decode()
    assert f'formaction="{url}"' in manual
    page = client.post(url, {"actions": [second.pk, first.pk]}).content.decode()
    assert page.index("Client 1 SA") < page.index("Client 0 SA")
    assert provider.requests == []  # nothing leaves before it is confirmed
    done = client.post(url, {"actions": [second.pk, first.pk], "confirm": "1"})
    html = done.content.decode()
    assert done.status_code == 200
    assert html.count("Handed over</span>") == 2
    again = client.post(url, {"actions": [first.pk], "confirm": "1"}).content.decode()
    assert "Already handed over: not sent again" in again

    # The proofs, from the history and the action page.
    proof = Proof.objects.get(outbox__action=first)
    download = reverse("delivery:proof-download", args=[proof.pk])
    history = client.get(reverse("agenda:history")).content.decode()
    assert f'href="{download}"' in history
    page = client.get(reverse("agenda:action-detail", args=[first.pk])).content.decode()
    assert f'href="{download}"' in page
    assert "The provider says: accepted" in page
    response = client.get(download)
    assert response["Content-Type"] == "application/pdf"
    assert response.content == DEPOSIT_PDF


def test_a_proof_is_not_served_to_another_entitys_user(client, acme, globex, scenario, provider):
    from relance.accounts.tests.factories import UserFactory

    connector(acme, "letter", "print_mail", url=provider.url, api_key="k")
    provider.behaviour.proofs = True
    [action] = _letters(acme, scenario, "letter")
    letters_hand_over(actions=[action])
    proof = Proof.objects.get()
    outsider = UserFactory(username="gus", role="collector")
    outsider.entities.set([globex])
    client.force_login(outsider)
    assert client.get(reverse("delivery:proof-download", args=[proof.pk])).status_code == 404


def test_the_action_page_dialog_sends_an_e_registered_letter(client, bob, acme, scenario, provider):
    connector(acme, "e_registered_letter", "ereg", url=provider.url, api_key="k")
    [action] = _letters(acme, scenario, "e_registered_letter")
    lawyer = ContactFactory(customer=action.customer, email="avocat@client.example")
    client.force_login(bob)
    page = client.get(reverse("agenda:action-detail", args=[action.pk])).content.decode()
    assert 'id="ereg-dialog"' in page and "avocat@client.example" in page
    url = reverse("delivery:action-ereg-send", args=[action.pk])
    response = client.post(url, {f"recipient_{action.pk}": lawyer.pk})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "sent"
    assert provider.messages[0]["data"]["to"] == "avocat@client.example"
    assert base64.b64decode(provider.messages[0]["data"]["document"]).startswith(b"%PDF")
    # Sent: a second POST sends nothing more.
    client.post(url, {f"recipient_{action.pk}": lawyer.pk})
    assert len(provider.messages) == 1


def test_read_only_users_hand_nothing_over(client, acme, scenario, provider, print_mail):
    from relance.accounts.tests.factories import UserFactory

    viewer = UserFactory(username="victor", role="read_only", all_entities=True)
    [action] = _letters(acme, scenario, "letter")
    client.force_login(viewer)
    url = reverse("delivery:letters-hand-over")
    assert client.post(url, {"actions": [action.pk], "confirm": "1"}).status_code == 403
    assert provider.requests == []


def test_the_admin_lists_a_messages_proofs(admin_client, acme, scenario, provider, print_mail):
    provider.behaviour.proofs = True
    [action] = _letters(acme, scenario, "letter")
    letters_hand_over(actions=[action])
    outbox = Outbox.objects.get()
    page = admin_client.get(reverse("admin:delivery_outbox_change", args=[outbox.pk]))
    assert page.status_code == 200
    assert "Deposit receipt" in page.content.decode()
