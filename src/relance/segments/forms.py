"""The segment form and its small rule builder.

The builder posts groups of rules: `group` lists the group ids; each group `g<id>` has an
operator `g<id>-op` and aligned lists `g<id>-field`, `g<id>-lookup`, `g<id>-value`; `op`
combines the groups. One group is stored as a flat tree; several as a tree of groups (one
level of nesting, which is what the page edits; the JSON itself may nest deeper).
"""

from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext_lazy as _

from relance.core.models import Entity
from relance.customers.filtersets import bootstrap_form
from relance.scenarios.models import Scenario
from relance.segments.criteria import OPS
from relance.segments.models import Segment


class SegmentForm(forms.ModelForm):
    class Meta:
        model = Segment
        fields = ["name", "description", "entity", "priority", "scenario", "is_active"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity"].queryset = Entity.objects.visible_to(user)
        self.fields["entity"].empty_label = _("All entities")
        self.fields["scenario"].queryset = Scenario.objects.visible_to(user)
        bootstrap_form(self)

    def _post_clean(self):
        """Model validation is the service's job (see views)."""


def criteria_from_post(data) -> dict:
    """The criteria tree the rule builder posted (values as typed; the service checks)."""
    groups = []
    for group_id in data.getlist("group"):
        prefix = f"g{group_id}"
        rows = zip(
            data.getlist(f"{prefix}-field"),
            data.getlist(f"{prefix}-lookup"),
            data.getlist(f"{prefix}-value"),
            strict=False,
        )
        rules = [
            {"field": key, "lookup": lookup, "value": value.strip()}
            for key, lookup, value in rows
            if key
        ]
        if rules:
            op = data.get(f"{prefix}-op", "and")
            groups.append({"op": op if op in OPS else "and", "rules": rules})
    if not groups:
        return {"op": "and", "rules": []}
    if len(groups) == 1:
        return groups[0]
    op = data.get("op", "and")
    return {"op": op if op in OPS else "and", "rules": groups}


@dataclass
class BuilderGroup:
    op: str
    rules: list[dict] = field(default_factory=list)


@dataclass
class Builder:
    """A criteria tree as the page shows it: groups of rules under one operator."""

    op: str
    groups: list[BuilderGroup]
    too_deep: bool = False


def _row(rule: dict) -> dict:
    """A rule with its value as the text field shows it."""
    value = rule.get("value")
    if isinstance(value, list):
        value = ", ".join(map(str, value))
    elif rule.get("lookup") == "is_empty" and value is True:
        value = ""
    elif isinstance(value, bool):
        value = "yes" if value else "no"
    return {**rule, "value": "" if value is None else str(value)}


def builder_from_criteria(criteria: dict | None) -> Builder:
    """The groups of a tree for the builder; `too_deep` when it nests more than one level."""
    criteria = criteria or {}
    op = criteria.get("op", "and")
    plain = BuilderGroup(op=op)
    groups = []
    too_deep = False
    for rule in criteria.get("rules", []):
        if "rules" in rule:
            group = BuilderGroup(op=rule.get("op", "and"))
            for inner in rule["rules"]:
                if "rules" in inner:
                    too_deep = True
                    continue
                group.rules.append(_row(inner))
            groups.append(group)
        else:
            plain.rules.append(_row(rule))
    if plain.rules or not groups:
        groups.insert(0, plain)
    return Builder(op=op, groups=groups, too_deep=too_deep)
