"""The action page (/agenda/actions/<id>/): its forms in any language, the message it shows
(as it will leave while the action is open, as it left once sent), who signs it, and the
reference invoice's promise."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.formats import date_format

from relance.agenda.tests.test_views import make_action
from relance.delivery.choices import OutboxStatus
from relance.delivery.models import Outbox
from relance.engine.tests.conftest import make_invoice
from relance.scenarios.tests.factories import ScenarioFactory
from relance.templating.tests.factories import MessageTemplateFactory

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def scenario(acme):
    return ScenarioFactory(
        name="Standard", steps=[{"name": "call", "channel": "call", "mode": "manual"}]
    )


def page(client, action, **headers) -> str:
    return client.get(reverse("agenda:action-detail", args=[action.pk]), **headers).content.decode()


def test_reschedule_date_is_iso_in_french(client, bob, acme, scenario):
    action = make_action(acme, scenario, due_offset=3)
    bob.language = "fr"
    bob.save()
    client.force_login(bob)
    html = page(client, action, HTTP_ACCEPT_LANGUAGE="fr")
    assert '<html lang="fr"' in html
    value = re.search(r'<input type="date" name="due_date" value="([^"]*)"', html).group(1)
    assert value == action.due_date.isoformat()


@pytest.fixture
def email_scenario(acme, email_template):
    scenario = ScenarioFactory(
        name="Emails", steps=[{"name": "first", "channel": "email", "mode": "auto"}]
    )
    scenario.steps.update(template=email_template)
    return scenario


def sent_row(action, **fields):
    fields = {
        "key": f"action-{action.pk}-1",
        "channel": action.channel,
        "day": action.entity.today() - 3 * DAY,
        "status": OutboxStatus.SENT,
        "recipients": "compta@client.example",
        **fields,
    }
    return Outbox.objects.create(action=action, **fields)


def test_a_sent_action_shows_what_left_not_todays_figures(client, bob, acme, email_scenario):
    action = make_action(acme, email_scenario, channel="email", mode="auto", status="sent")
    sent_row(
        action,
        subject="Reminder of 25 October",
        body="You owe 1 000,00 €.",
        html='<p>You owe <strong>1 000,00 €</strong>.</p><img src="https://evil.example/t.gif">'
        '<script>alert("sent")</script>',
    )
    make_invoice(action.customer, "F-AFTER", acme.today(), amount=Decimal("2345.67"))
    client.force_login(bob)
    html = page(client, action)
    assert "The message as sent" in html and "The message as it will leave" not in html
    handed_over = date_format(acme.today() - 3 * DAY)  # "5 Dec 2026"
    assert f"Handed over on {handed_over}" in html and "compta@client.example" in html
    assert "Reminder of 25 October" in html and "<strong>1 000,00 €</strong>" in html
    # Nothing rendered now: neither the template's words nor today's total.
    assert "vous devez" not in html and "345,67" not in html
    assert 'alert("sent")' not in html and "evil.example" not in html


def test_a_sent_sms_shows_its_text(client, bob, acme, email_scenario):
    action = make_action(acme, email_scenario, channel="sms", mode="auto", status="sent")
    sent_row(action, body="Acme France: <b>1 000,00 €</b> overdue.")
    client.force_login(bob)
    html = page(client, action)
    assert "Acme France: &lt;b&gt;1 000,00 €&lt;/b&gt; overdue." in html


def test_an_open_action_shows_the_message_as_it_will_leave(client, bob, acme, email_scenario):
    action = make_action(acme, email_scenario, channel="email", mode="auto")
    sent_row(action, status=OutboxStatus.FAILED, body="An attempt that failed")
    make_invoice(action.customer, "F-AFTER", acme.today(), amount=Decimal("2345.67"))
    client.force_login(bob)
    html = page(client, action)
    assert "The message as it will leave" in html and "The message as sent" not in html
    assert "vous devez" in html and "345,67" in html
    assert "An attempt that failed" not in html


@pytest.mark.parametrize("status", ["done", "skipped"])
def test_a_finished_action_with_nothing_sent_shows_no_message(
    client, bob, acme, email_scenario, status
):
    action = make_action(acme, email_scenario, channel="email", mode="manual", status=status)
    client.force_login(bob)
    html = page(client, action)
    assert "No message was sent by Relance for this action." in html
    assert "The message as it will leave" not in html and "vous devez" not in html


def signed_scenario(channel: str):
    body = "Cordialement, #user_name / #user_phone"
    template = MessageTemplateFactory(
        name=f"Signed {channel}",
        channel=channel,
        variants={"fr": ("Relance", f"<p>{body}</p>" if channel == "email" else body)},
    )
    scenario = ScenarioFactory(
        name=f"Signed {channel}", steps=[{"name": "one", "channel": channel, "mode": "manual"}]
    )
    scenario.steps.update(template=template)
    return scenario


def test_the_preview_is_signed_as_the_send_signs_not_by_the_viewer(client, alice, bob, acme):
    """The engine renders with no user: the customer's collector signs. Alice, looking at
    Bob's action, sees Bob's name, as the customer will."""
    bob.first_name, bob.last_name, bob.phone = "Bob", "Leroy", "+33600000002"
    bob.save()
    action = make_action(acme, signed_scenario("email"), channel="email", responsible=bob)
    action.customer.collector = bob
    action.customer.save()
    client.force_login(alice)
    html = page(client, action)
    assert "Cordialement, Bob Leroy / 06 00 00 00 02" in html  # as read in France
    assert "Cordialement, Alice" not in html


def test_a_preview_with_no_collector_is_signed_by_the_credit_department(client, alice, acme):
    acme.phone = "+33199001801"
    acme.save()
    action = make_action(acme, signed_scenario("email"), channel="email", responsible=alice)
    client.force_login(alice)
    assert "Cordialement, Service recouvrement / 01 99 00 18 01" in page(client, action)


def test_a_call_script_names_the_user_who_calls(client, alice, bob, acme):
    action = make_action(acme, signed_scenario("call"), channel="call")
    action.customer.collector = bob
    action.customer.save()
    client.force_login(alice)
    assert "Cordialement, Alice / " in page(client, action)


BROKEN = '<span class="badge text-bg-danger promise-broken">Broken promise {day}</span>'
KEPT = '<span class="badge text-bg-info promise">Promise {day}</span>'


@pytest.mark.parametrize(
    ("promise_offset", "paid", "badge"),
    [(-1, False, BROKEN), (0, False, KEPT), (7, False, KEPT), (-1, True, KEPT)],
)
def test_a_passed_promise_on_an_open_invoice_is_broken(
    client, bob, acme, scenario, promise_offset, paid, badge
):
    action = make_action(acme, scenario)
    invoice = action.reference
    invoice.promise_date = acme.today() + promise_offset * DAY
    if paid:
        invoice.open_amount = Decimal("0")  # the promise was kept
    invoice.save()
    client.force_login(bob)
    html = page(client, action)
    assert badge.format(day=date_format(invoice.promise_date)) in html
    assert ("Broken promise" in html) is (badge == BROKEN)
