"""`relance config import`: templates, scenarios and segments from one YAML file.

Everything is checked first (configuration/reader.py) and nothing is written when anything
is wrong; then, in one transaction, each object is upserted by name through its app's
services (templates sanitized and their hashtags checked, steps validated). Steps of an
existing scenario are updated in place by position, so that the engine's cycles keep
their steps; steps beyond the file's are deleted.
"""

from dataclasses import dataclass, field

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from relance.configuration.export import config_dump
from relance.configuration.reader import Errors, Plan, read_config
from relance.scenarios.models import Scenario
from relance.scenarios.services import (
    scenario_check_step_order,
    scenario_create,
    scenario_update,
    step_create,
    step_delete,
    step_update,
)
from relance.segments.models import Segment
from relance.segments.services import segment_create, segment_update
from relance.templating.models import MessageTemplate
from relance.templating.services import template_create, template_update

__all__ = ["ConfigError", "ImportSummary", "config_dump", "config_import"]


class ConfigError(Exception):
    """The file cannot be imported; `errors` lists every problem with its path."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class ImportSummary:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [f"Created {line}" for line in self.created] + [
            f"Updated {line}" for line in self.updated
        ]


class _Rollback(Exception):
    pass


def parse_yaml(text: str):
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "file"
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError([f"{where}: not valid YAML: {problem}"]) from None


def _write_templates(plan: Plan, summary: ImportSummary, acting_user) -> dict:
    saved = {}
    for entry in plan.templates:
        fields, existing = entry["fields"], entry["existing"]
        if existing is None:
            template = template_create(
                name=entry["name"], variants=entry["variants"], acting_user=acting_user, **fields
            )
            summary.created.append(f"template {entry['name']!r}")
        else:
            template = template_update(
                template=existing, variants=entry["variants"], acting_user=acting_user, **fields
            )
            summary.updated.append(f"template {entry['name']!r}")
        saved[entry["name"]] = template
    return saved


def _write_steps(scenario: Scenario, steps: list[dict], templates: dict, acting_user) -> None:
    existing = list(scenario.steps.all())
    for index, entry in enumerate(steps):
        fields = {**entry["fields"], **entry["relations"]}
        if entry["template_name"]:
            fields["template"] = templates.get(entry["template_name"]) or (
                MessageTemplate.objects.get(name=entry["template_name"])
            )
        # In order once all are written (checked by the reader): not one by one.
        try:
            if index < len(existing):
                step_update(
                    step=existing[index], acting_user=acting_user, check_order=False, **fields
                )
            else:
                step_create(scenario=scenario, acting_user=acting_user, check_order=False, **fields)
        except ValidationError as exc:
            errors = Errors()
            errors.add_validation(entry["path"], exc)
            raise ConfigError(errors) from exc
    for step in existing[len(steps) :]:
        step_delete(step=step, acting_user=acting_user)
    scenario_check_step_order(scenario=scenario)


def _write_scenarios(plan: Plan, templates: dict, summary: ImportSummary, acting_user) -> dict:
    saved = {}
    for entry in plan.scenarios:
        scenario = Scenario.objects.filter(name=entry["name"]).first()
        if scenario is None:
            scenario = scenario_create(
                name=entry["name"], acting_user=acting_user, **entry["settings"]
            )
            summary.created.append(f"scenario {entry['name']!r}")
        else:
            scenario_update(scenario=scenario, acting_user=acting_user, **entry["settings"])
            summary.updated.append(f"scenario {entry['name']!r}")
        _write_steps(scenario, entry["steps"], templates, acting_user)
        saved[entry["name"]] = scenario
    return saved


def _write_segments(plan: Plan, scenarios: dict, summary: ImportSummary, acting_user) -> None:
    for entry in plan.segments:
        scenario = scenarios.get(entry["scenario_name"]) or Scenario.objects.get(
            name=entry["scenario_name"]
        )
        segment = Segment.objects.filter(name=entry["name"]).first()
        if segment is None:
            segment_create(
                name=entry["name"], scenario=scenario, acting_user=acting_user, **entry["fields"]
            )
            summary.created.append(f"segment {entry['name']!r}")
        else:
            segment_update(
                segment=segment, scenario=scenario, acting_user=acting_user, **entry["fields"]
            )
            summary.updated.append(f"segment {entry['name']!r}")


def _write(plan: Plan, acting_user) -> ImportSummary:
    summary = ImportSummary()
    templates = _write_templates(plan, summary, acting_user)
    scenarios = _write_scenarios(plan, templates, summary, acting_user)
    _write_segments(plan, scenarios, summary, acting_user)
    return summary


def config_import(*, text: str, acting_user=None, dry_run: bool = False) -> ImportSummary:
    """Import a configuration file (YAML text): all of it, or nothing and ConfigError with
    every problem. With `dry_run`, everything is checked and written, then rolled back."""
    plan, errors = read_config(parse_yaml(text))
    if errors:
        raise ConfigError(errors)
    summary = ImportSummary()
    try:
        with transaction.atomic():
            summary = _write(plan, acting_user)
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    except ValidationError as exc:  # a rule only the database could check
        messages = Errors()
        messages.add_validation("file", exc)
        raise ConfigError(messages) from exc
    return summary
