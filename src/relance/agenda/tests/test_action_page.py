"""The action page (/agenda/actions/<id>/): its forms in any language, the message it shows
(as it will leave while the action is open, as it left once sent), who signs it, and the
reference invoice's promise."""

import datetime
import re

import pytest
from django.urls import reverse

from relance.agenda.tests.test_views import make_action
from relance.scenarios.tests.factories import ScenarioFactory

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
