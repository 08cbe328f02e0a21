"""The default segments route each entity's customers to scenarios in its language."""

import pytest

from relance.core.defaults import run_defaults
from relance.core.tests.factories import EntityFactory
from relance.segments.models import Segment

pytestmark = pytest.mark.django_db


def routes(entity):
    """{segment name: scenario default key} of the segments that apply to `entity`, the
    one routing first for each criterion."""
    rows = Segment.objects.filter(is_active=True).select_related("scenario")
    rows = [s for s in rows if s.entity_id in (None, entity.pk)]
    return {s.default_key.split("--")[0]: s for s in sorted(rows, key=lambda s: s.priority)[::-1]}


def test_an_entity_of_another_language_gets_segments_in_its_own():
    run_defaults()  # a first start: no entity yet, shared segments in LANGUAGE_CODE (en)
    france = EntityFactory(slug="acme-france", name="Acme France", language="fr")
    uk = EntityFactory(slug="acme-uk", name="Acme UK", language="en")
    run_defaults()
    french = routes(france)
    assert {s.scenario.default_key for s in french.values()} == {
        "gentle-fr",
        "standard-fr",
        "firm-fr",
    }
    assert french["key-accounts"].name == "Grands comptes – Acme France"
    assert french["key-accounts"].entity == france
    assert {s.scenario.default_key for s in routes(uk).values()} == {
        "gentle-en",
        "standard-en",
        "firm-en",
    }
    before = Segment.objects.count()
    run_defaults()  # never twice
    assert Segment.objects.count() == before


def test_entities_of_one_language_share_the_default_segments():
    EntityFactory(language="fr")
    EntityFactory(language="fr")
    run_defaults()
    defaults = Segment.objects.exclude(default_key="")
    assert defaults.count() == 3 and not defaults.filter(entity__isnull=False).exists()
    assert {s.scenario.default_key for s in defaults} == {"gentle-fr", "standard-fr", "firm-fr"}
