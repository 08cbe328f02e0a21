"""When a confirmed automatic action leaves, as the pages say it: the next send tick within
the entity's sending hours ("today around 10:15"), or the opening of the next working day
("Monday 08:00")."""

import datetime
import zoneinfo

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from relance.agenda.models import Action
from relance.agenda.selectors import departure_label, first_departure_label
from relance.agenda.tests.test_views import make_action
from relance.core.tests.factories import EntityFactory
from relance.scenarios.tests.factories import ScenarioFactory

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=PARIS)


def action(due: datetime.date, status="confirmed", mode="auto_confirm", channel="email"):
    """Acme France (Monday to Friday, French public holidays, 08:00-19:00), unsaved."""
    entity = EntityFactory.build(slug="acme-fr", name="Acme France")
    return Action(entity=entity, status=status, mode=mode, channel=channel, due_date=due)


@pytest.mark.parametrize(
    ("now", "due", "expected"),
    [
        (at(1, 26, 10, 12), datetime.date(2026, 1, 26), "today around 10:15"),
        (at(1, 26, 10, 15), datetime.date(2026, 1, 20), "today around 10:15"),
        (at(1, 26, 10, 58), datetime.date(2026, 1, 26), "today around 11:00"),
        (at(1, 26, 7, 0), datetime.date(2026, 1, 26), "today at 08:00"),
        (at(1, 27, 19, 30), datetime.date(2026, 1, 27), "tomorrow at 08:00"),
        (at(1, 30, 19, 30), datetime.date(2026, 1, 30), "Monday 08:00"),  # a Friday
        (at(1, 31, 11, 0), datetime.date(2026, 1, 30), "Monday 08:00"),  # a Saturday
        (at(4, 30, 20, 0), datetime.date(2026, 4, 30), "Monday 08:00"),  # then May Day
        (at(1, 26, 10, 0), datetime.date(2026, 1, 29), "Thursday 08:00"),  # due later
    ],
)
def test_when_a_confirmed_action_leaves(now, due, expected):
    assert departure_label(action(due), now) == expected


def test_a_date_further_on_is_written_as_a_date():
    label = departure_label(action(datetime.date(2026, 2, 20)), at(1, 26, 10, 0))
    assert label == "on 20 Feb 2026 at 08:00"  # the language's date, as everywhere
    with translation.override("fr"):
        label = departure_label(action(datetime.date(2026, 2, 20)), at(1, 26, 10, 0))
    assert "20 février 2026" in label


def test_in_french_the_day_is_french():
    with translation.override("fr"):
        assert departure_label(action(datetime.date(2026, 1, 30)), at(1, 30, 19, 30)).startswith(
            "lundi 08:00"
        )


def test_only_what_leaves_by_itself_has_a_departure():
    now, due = at(1, 26, 10, 0), datetime.date(2026, 1, 26)
    assert departure_label(action(due, status="to_confirm"), now) == ""
    assert departure_label(action(due, status="to_confirm"), now, if_confirmed=True) == (
        "today around 10:00"
    )
    assert departure_label(action(due, status="planned", mode="manual"), now) == ""
    assert departure_label(action(due, status="confirmed", channel="call"), now) == ""
    assert departure_label(action(due, status="sent"), now) == ""
    assert departure_label(action(due, status="planned", mode="auto"), now) == (
        "today around 10:00"
    )


def test_sending_hours_and_time_zone_of_the_entity():
    late = action(datetime.date(2026, 1, 26))
    late.entity.sending_start = datetime.time(9, 30)
    assert departure_label(late, at(1, 26, 7, 0)) == "today at 09:30"
    far = action(datetime.date(2026, 1, 26))
    far.entity.time_zone = "America/New_York"  # 10:00 in Paris is 04:00 there
    assert departure_label(far, at(1, 26, 10, 0)) == "today at 08:00"


# --- the pages --------------------------------------------------------------------------


@pytest.fixture
def email_scenario(acme):
    return ScenarioFactory(
        name="Emails", steps=[{"name": "first", "channel": "email", "mode": "auto_confirm"}]
    )


@pytest.mark.django_db
def test_confirming_says_when_the_action_leaves(client, bob, acme, email_scenario):
    pending = make_action(
        acme, email_scenario, mode="auto_confirm", channel="email", status="to_confirm"
    )
    client.force_login(bob)
    page = client.get(reverse("agenda:action-detail", args=[pending.pk])).content.decode()
    assert f"Once confirmed, it leaves {departure_label(pending, if_confirmed=True)}." in page

    response = client.post(reverse("agenda:action-confirm", args=[pending.pk]))
    pending.refresh_from_db()
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == f"Action confirmed: it leaves {departure_label(pending)}."
    page = client.get(reverse("agenda:action-detail", args=[pending.pk])).content.decode()
    assert 'class="col-7 departure"' in page and "the next run" not in page


@pytest.mark.django_db
def test_retrying_and_confirming_many_say_when_they_leave(client, bob, acme, email_scenario):
    failed = make_action(
        acme, email_scenario, mode="auto_confirm", channel="email", status="error", name="A"
    )
    later = make_action(
        acme,
        email_scenario,
        mode="auto_confirm",
        channel="email",
        status="to_confirm",
        name="B",
        due_offset=9,
    )
    soon = make_action(
        acme, email_scenario, mode="auto_confirm", channel="email", status="to_confirm", name="C"
    )
    client.force_login(bob)
    response = client.post(reverse("agenda:action-retry", args=[failed.pk]))
    failed.refresh_from_db()
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == f"Action put back in line: it leaves {departure_label(failed)}."

    response = client.post(reverse("agenda:confirm-many"), {"actions": [later.pk, soon.pk]})
    soon.refresh_from_db()
    message = [str(m) for m in get_messages(response.wsgi_request)][-1]
    assert message == f"2 actions confirmed: the first leaves {departure_label(soon)}."
    assert first_departure_label([Action.objects.get(pk=later.pk)]) != departure_label(soon)
