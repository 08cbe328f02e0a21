"""Default segments: key accounts on the gentle scenario, the public sector on the standard
one, risky customers on the firm one; everyone else follows the default scenario of their
entity, in its language. Created by `relance setup` when absent (by `default_key`), never
overwritten, in the installation's main language (that of most entities, else
LANGUAGE_CODE), pointing to the default scenarios of that language."""

from collections import Counter

from django.conf import settings

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

# key, names (English, French), priority (lower first), scenario kind, criteria. Public
# bodies pay slowly but surely: they come before the risky customers, whom slowness alone
# (60 days overdue) would otherwise send them to, and keep the standard pace.
SEGMENTS = [
    ("key-accounts", ("Key accounts", "Grands comptes"), 10, "gentle", KEY_ACCOUNTS),
    ("public-sector", ("Public sector", "Secteur public"), 20, "standard", PUBLIC_SECTOR),
    ("risky", ("Risky customers", "Clients à risque"), 30, "firm", RISKY),
]
KINDS = ("standard", "gentle", "firm")


def main_language() -> str:
    languages = Counter(Entity.objects.values_list("language", flat=True))
    if languages:
        return languages.most_common(1)[0][0]
    return settings.LANGUAGE_CODE[:2]


@register(order=400)
def default_segments() -> list[str]:
    """The default segments, when absent and when their scenario exists."""
    existing = set(Segment.objects.exclude(default_key="").values_list("default_key", flat=True))
    names = set(Segment.objects.values_list("name", flat=True))
    language = main_language()
    index = 1 if language == "fr" else 0
    scenarios = {
        scenario.default_key: scenario
        for scenario in Scenario.objects.filter(
            default_key__in=[f"{kind}-{language}" for kind in KINDS]
        )
    }
    created = []
    for key, labels, priority, kind, criteria in SEGMENTS:
        scenario = scenarios.get(f"{kind}-{language}")
        if key in existing or labels[index] in names or scenario is None:
            continue
        segment_create(
            name=labels[index],
            scenario=scenario,
            priority=priority,
            criteria=criteria,
            default_key=key,
        )
        created.append(f"segment {labels[index]!r}")
    return created
