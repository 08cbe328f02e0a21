"""Printed letters posted: marked done at once, a registered letter with its tracking number,
which history, the exports, the action page and the customer timeline show with a link to
the carrier's tracking page."""

import shutil

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from relance.activity.choices import EventKind
from relance.activity.models import CustomerEvent
from relance.agenda.models import Action
from relance.agenda.services import actions_letters_done
from relance.agenda.tests.test_letters_pdf import letter_scenario, pdf_text  # noqa: F401
from relance.agenda.tests.test_views import make_action
from relance.core.carriers import normalize_tracking_number, tracking_url

pytestmark = pytest.mark.django_db

LAPOSTE = "https://www.laposte.fr/outils/suivre-vos-envois?code="


def test_tracking_numbers_are_normalised_and_linked_to_the_carrier():
    assert normalize_tracking_number(" 1a 0012-3456 789 ") == "1A00123456789"
    assert tracking_url("laposte", "1A00123456789") == f"{LAPOSTE}1A00123456789"
    assert tracking_url("royal_mail", "AB123456789GB").endswith("/AB123456789GB")
    assert tracking_url("", "1A00123456789") == ""


def test_letters_are_done_at_once_with_their_tracking_numbers(acme, bob, letter_scenario):  # noqa: F811
    first = make_action(acme, letter_scenario, channel="registered_letter", name="Dupont SA")
    second = make_action(acme, letter_scenario, channel="letter", name="Martin SARL")
    done = actions_letters_done(
        actions=Action.objects.filter(pk__in=[first.pk, second.pk]),
        tracking_numbers={first.pk: "1a 0012 3456 789"},
        acting_user=bob,
    )
    assert {action.pk for action in done} == {first.pk, second.pk}
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == "done"
    assert first.finished_on == acme.today()
    assert (first.tracking_number, first.carrier) == ("1A00123456789", "laposte")
    assert first.tracking_url == f"{LAPOSTE}1A00123456789"
    assert second.tracking_number == ""
    events = CustomerEvent.objects.filter(kind=EventKind.ACTION_DONE).order_by("action_id")
    assert [event.data.get("tracking_number") for event in events] == ["1A00123456789", None]
    assert "tracking number 1A00123456789" in events[0].describe()
    assert events[0].tracking_url == f"{LAPOSTE}1A00123456789"


def test_a_registered_letter_without_a_number_writes_nothing(acme, bob, letter_scenario):  # noqa: F811
    first = make_action(acme, letter_scenario, channel="registered_letter", name="Dupont SA")
    second = make_action(acme, letter_scenario, channel="registered_letter", name="Martin SARL")
    with pytest.raises(ValidationError) as caught:
        actions_letters_done(
            actions=Action.objects.filter(pk__in=[first.pk, second.pk]),
            tracking_numbers={first.pk: "1A00123456789", second.pk: " "},
            acting_user=bob,
        )
    assert caught.value.message_dict == {
        f"tracking_{second.pk}": [
            "Tracking number of the letter to Martin SARL: a registered letter needs one."
        ]
    }
    assert not Action.objects.filter(status="done").exists()
    assert not CustomerEvent.objects.exists()


def test_a_malformed_number_is_refused_by_name(acme, bob, letter_scenario):  # noqa: F811
    action = make_action(acme, letter_scenario, channel="registered_letter", name="Dupont SA")
    with pytest.raises(ValidationError) as caught:
        actions_letters_done(
            actions=Action.objects.filter(pk=action.pk),
            tracking_numbers={action.pk: "12-34"},
            acting_user=bob,
        )
    assert "Dupont SA: 1234 is not one" in caught.value.message_dict[f"tracking_{action.pk}"][0]


def test_closed_actions_and_calls_are_refused(acme, bob, letter_scenario):  # noqa: F811
    call = make_action(acme, letter_scenario, channel="call", name="Caller SA")
    sent = make_action(acme, letter_scenario, channel="letter", status="sent", name="Sent SA")
    with pytest.raises(ValidationError, match="Caller SA, Sent SA"):
        actions_letters_done(
            actions=Action.objects.filter(pk__in=[call.pk, sent.pk]), acting_user=bob
        )


def test_the_page_asks_the_numbers_then_marks_the_letters_done(
    client,
    bob,
    acme,
    letter_scenario,  # noqa: F811
):
    first = make_action(acme, letter_scenario, channel="registered_letter", name="Dupont SA")
    second = make_action(acme, letter_scenario, channel="registered_letter", name="Martin SARL")
    client.force_login(bob)
    url = reverse("agenda:letters-done")
    # The screen's order is kept: the second ticked first.
    html = client.post(url, {"actions": [second.pk, first.pk]}).content.decode()
    assert html.index("Martin SARL") < html.index("Dupont SA")
    assert f'name="tracking_{first.pk}"' in html and "data-scan-next" in html
    assert not Action.objects.filter(status="done").exists()

    missing = client.post(
        url,
        {"actions": [second.pk, first.pk], "confirm": "1", f"tracking_{second.pk}": "RR1234567FR"},
    )
    assert missing.status_code == 400
    assert "Dupont SA: a registered letter needs one." in missing.content.decode()
    assert not Action.objects.filter(status="done").exists()

    response = client.post(
        url,
        {
            "actions": [second.pk, first.pk],
            "confirm": "1",
            f"tracking_{second.pk}": "RR1234567FR",
            f"tracking_{first.pk}": "1A00123456789",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("agenda:history")
    history = client.get(reverse("agenda:history")).content.decode()
    assert f'href="{LAPOSTE}1A00123456789"' in history and "RR1234567FR" in history


def test_a_read_only_user_cannot_mark_letters(client, acme, letter_scenario):  # noqa: F811
    from relance.accounts.tests.factories import UserFactory

    viewer = UserFactory(username="victor", role="read_only", all_entities=True)
    action = make_action(acme, letter_scenario, channel="letter", name="Dupont SA")
    client.force_login(viewer)
    response = client.post(reverse("agenda:letters-done"), {"actions": [action.pk]})
    assert response.status_code == 403


def test_tracking_numbers_in_exports_timeline_and_action_page(
    client,
    alice,
    acme,
    letter_scenario,  # noqa: F811
):
    action = make_action(acme, letter_scenario, channel="registered_letter", name="Dupont SA")
    actions_letters_done(
        actions=Action.objects.filter(pk=action.pk),
        tracking_numbers={action.pk: "1A00123456789"},
        acting_user=alice,
    )
    client.force_login(alice)
    csv = client.get(reverse("agenda:history"), {"export": "csv"})
    content = b"".join(csv.streaming_content).decode() if csv.streaming else csv.content.decode()
    assert "Tracking number" in content.splitlines()[0]
    assert "1A00123456789" in content
    timeline = client.get(reverse("agenda:customer-timeline", args=[action.customer_id]))
    assert f'href="{LAPOSTE}1A00123456789"' in timeline.content.decode()
    page = client.get(reverse("agenda:action-detail", args=[action.pk])).content.decode()
    assert f'href="{LAPOSTE}1A00123456789"' in page


def test_the_command_export_has_the_tracking_number(acme, alice, letter_scenario):  # noqa: F811
    from relance.agenda.selectors import EXPORT_COLUMNS, action_export_rows

    action = make_action(acme, letter_scenario, channel="registered_letter", name="Dupont SA")
    actions_letters_done(
        actions=Action.objects.filter(pk=action.pk),
        tracking_numbers={action.pk: "1A00123456789"},
        acting_user=alice,
    )
    row = dict(zip(EXPORT_COLUMNS, action_export_rows(entity=acme).get(), strict=True))
    assert row["tracking_number"] == "1A00123456789"


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")
def test_the_merged_pdf_follows_the_order_of_the_screen(
    client,
    alice,
    acme,
    letter_scenario,  # noqa: F811
    tmp_path,
):
    zulu = make_action(acme, letter_scenario, channel="registered_letter", name="Zulu SA")
    alpha = make_action(acme, letter_scenario, channel="registered_letter", name="Alpha SA")
    client.force_login(alice)
    response = client.post(reverse("agenda:letters-pdf"), {"actions": [zulu.pk, alpha.pk]})
    text = pdf_text(response.content, tmp_path)
    assert text.index("Zulu SA") < text.index("Alpha SA")
