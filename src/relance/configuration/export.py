"""`relance config export`: message templates, scenarios and segments as one YAML document.

Everything is referenced by name (templates, scenarios), username (users), group name and
entity slug, never by database id, so that the file moves between installations. Optional
keys are written only when they differ from their default, to keep the file readable.
"""

import yaml
from django.db.models import Prefetch

from relance.scenarios.models import Scenario, Step
from relance.segments.models import Segment
from relance.templating.models import MessageTemplate


class _Dumper(yaml.SafeDumper):
    """Multi-line text (HTML bodies, scripts) as literal blocks, the rest as usual."""


def _str_representer(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


class _Flow(dict):
    """A mapping written on one line (a segment rule), like the examples in docs/config.md."""


def _flow_representer(dumper, value: _Flow):
    return dumper.represent_mapping("tag:yaml.org,2002:map", value, flow_style=True)


_Dumper.add_representer(str, _str_representer)
_Dumper.add_representer(_Flow, _flow_representer)


def _optional(data: dict, **fields) -> dict:
    data.update({key: value for key, value in fields.items() if value not in ("", None, [], {})})
    return data


def template_data(template: MessageTemplate) -> dict:
    data = {"name": template.name, "channel": template.channel}
    _optional(
        data,
        letter_type=template.letter_type,
        entity=template.entity.slug if template.entity_id else "",
        description=template.description,
    )
    if not template.show_logo:
        data["show_logo"] = False
    data["variants"] = {
        variant.language: _optional({}, subject=variant.subject, body=variant.body)
        for variant in template.variants.all()
    }
    return data


def step_data(step: Step) -> dict:
    data = {
        "name": step.name,
        "channel": step.channel,
        "mode": step.mode,
        "anchor": step.anchor,
        "offset_days": step.offset_days,
    }
    _optional(data, template=step.template.name if step.template_id else "")
    responsibles = _optional(
        {},
        users=[user.username for user in step.responsible_users.all()],
        groups=[group.name for group in step.responsible_groups.all()],
    )
    copy_to = _optional(
        {},
        contact_roles=[role for role in step.cc_contact_roles.split(",") if role],
        users=[user.username for user in step.cc_users.all()],
        email=step.cc_email,
    )
    _optional(data, responsibles=responsibles, copy_to=copy_to)
    if step.attachments != "none":
        data["attachments"] = step.attachments
    return _optional(data, fallback_channel=step.fallback_channel, instructions=step.instructions)


def scenario_data(scenario: Scenario) -> dict:
    data = _optional(
        {"name": scenario.name},
        description=scenario.description,
        entity=scenario.entity.slug if scenario.entity_id else "",
    )
    data.update(
        min_contact_days=scenario.min_contact_days,
        min_amount=str(scenario.min_amount),
        repeat_last_every_days=scenario.repeat_last_every_days,
        lookahead_days=scenario.lookahead_days,
        promise_grace_days=scenario.promise_grace_days,
        steps=[step_data(step) for step in scenario.steps.all()],
    )
    return data


def segment_data(segment: Segment) -> dict:
    data = _optional(
        {"name": segment.name},
        description=segment.description,
        entity=segment.entity.slug if segment.entity_id else "",
    )
    data.update(priority=segment.priority, scenario=segment.scenario.name)
    if not segment.is_active:
        data["active"] = False
    data.update(rules_data(segment.criteria or {}))
    return data


def rules_data(tree: dict) -> dict:
    """A criteria tree as the file writes it: `match` (all, any) and `rules` of `{field, op,
    value}`, groups nesting as `{match, rules}`."""
    rules = []
    for rule in tree.get("rules", []):
        if "rules" in rule:
            rules.append(rules_data(rule))
        else:
            rules.append(_Flow(field=rule["field"], op=rule["lookup"], value=rule["value"]))
    return {"match": "any" if tree.get("op") == "or" else "all", "rules": rules}


def config_export() -> dict:
    """The whole configuration as plain data, in a fixed order (by name, steps by position)."""
    steps = Step.objects.select_related("template").prefetch_related(
        "responsible_users", "responsible_groups", "cc_users"
    )
    templates = MessageTemplate.objects.select_related("entity").prefetch_related("variants")
    scenarios = Scenario.objects.select_related("entity").prefetch_related(
        Prefetch("steps", queryset=steps.order_by("position", "id"))
    )
    segments = Segment.objects.select_related("entity", "scenario").order_by("priority", "name")
    return {
        "templates": [template_data(t) for t in templates.order_by("name")],
        "scenarios": [scenario_data(s) for s in scenarios.order_by("name")],
        "segments": [segment_data(s) for s in segments],
    }


def config_dump() -> str:
    """The configuration as a YAML document."""
    header = "# Relance configuration: templates, scenarios and segments (docs/config.md)\n"
    body = yaml.dump(
        config_export(), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100
    )
    return header + body
