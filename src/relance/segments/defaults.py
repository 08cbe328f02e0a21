"""Default segments: key accounts on the gentle scenario, the public sector on the standard
one, risky customers on the firm one; everyone else follows the default scenario of their
entity, in its language. Created by `relance setup` when absent (by `default_key`), never
overwritten, in the installation's main language (that of most entities, else
LANGUAGE_CODE), pointing to the default scenarios of that language; an entity writing
another language gets its own set (default_segments)."""

from collections import Counter

from django.conf import settings
from django.utils import translation
from django.utils.translation import pgettext_lazy

from relance.core.defaults import register
from relance.core.models import Entity
from relance.scenarios.models import Scenario
from relance.segments.models import Segment
from relance.segments.services import segment_create

KEY_ACCOUNTS = {"op": "and", "rules": [{"field": "tags", "lookup": "eq", "value": "Key account"}]}
PUBLIC_SECTOR = {
    "op": "or",
    "rules": [
        {"field": "tags", "lookup": "eq", "value": "Public sector"},
        {
            "field": "category",
            "lookup": "in",
            "value": ["public", "public sector", "secteur public"],
        },
    ],
}

RISKY = {
    "op": "or",
    "rules": [
        {"field": "days_overdue", "lookup": "gte", "value": 60},
        {"field": "credit_limit_use", "lookup": "gt", "value": "100"},
    ],
}

# key, name (in English, translated by the catalogue of the segment's language), priority
# (lower first), scenario kind, criteria. Public
# bodies pay slowly but surely: they come before the risky customers, whom slowness alone
# (60 days overdue) would otherwise send them to, and keep the standard pace.
SEGMENTS = [
    ("key-accounts", pgettext_lazy("default segment", "Key accounts"), 10, "gentle", KEY_ACCOUNTS),
    (
        "public-sector",
        pgettext_lazy("default segment", "Public sector"),
        20,
        "standard",
        PUBLIC_SECTOR,
    ),
    ("risky", pgettext_lazy("default segment", "Risky customers"), 30, "firm", RISKY),
]
KINDS = ("standard", "gentle", "firm")


def _name(label, language: str) -> str:
    """A default segment's name (pgettext_lazy) in `language`."""
    with translation.override(language):
        return str(label)


def main_language() -> str:
    languages = Counter(Entity.objects.values_list("language", flat=True))
    if languages:
        return languages.most_common(1)[0][0]
    return settings.LANGUAGE_CODE[:2]


def _default_scenarios(language: str) -> dict[str, Scenario]:
    keys = [f"{kind}-{language}" for kind in KINDS]
    return {s.default_key: s for s in Scenario.objects.filter(default_key__in=keys)}


@register(order=400)
def default_segments() -> list[str]:
    """The default segments, when absent and when their scenario exists: shared by every
    entity, in the installation's main language; and for each entity writing another
    language, its own (restricted to it, named after it, one priority point ahead of the
    shared ones, pointing to the scenarios of its language), so that its collectors'
    agenda is in their language."""
    existing = set(Segment.objects.exclude(default_key="").values_list("default_key", flat=True))
    names = set(Segment.objects.values_list("name", flat=True))
    shared = Segment.objects.filter(default_key__in=[key for key, *_rest in SEGMENTS])
    shared_language = next(  # that of the shared defaults' scenarios, once they exist
        (
            s.scenario.default_key.split("-", 1)[1]
            for s in shared.select_related("scenario")
            if s.scenario.default_key
        ),
        main_language(),
    )
    created = []

    def create(entity, language: str) -> None:
        scenarios = _default_scenarios(language)
        for key, label, priority, kind, criteria in SEGMENTS:
            name, scenario = _name(label, language), scenarios.get(f"{kind}-{language}")
            if entity is not None:
                key, name = f"{key}--{entity.slug}"[:50], f"{name} – {entity.name}"
                priority -= 1
            if key in existing or name[:100] in names or scenario is None:
                continue
            segment_create(
                name=name[:100],
                scenario=scenario,
                priority=priority,
                criteria=criteria,
                default_key=key,
                entity=entity,
            )
            created.append(f"segment {name!r}")

    create(None, shared_language)
    for entity in Entity.objects.exclude(language=shared_language).order_by("pk"):
        create(entity, entity.language)
    return created
