"""Reading a configuration file into a plan, checking everything before anything is written.

Every error names its place in the file, the way a reader would point at it:
`scenarios[0].steps[2].template: unknown template 'firts-reminder'`. The checks are the
services' own (template text, step rules, segment criteria), run on unsaved objects.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from difflib import get_close_matches

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from relance.accounts.models import User
from relance.core.choices import Language
from relance.core.models import Entity
from relance.scenarios.choices import Anchor, Attachments, FallbackChannel, StepChannel, StepMode
from relance.scenarios.models import Scenario, Step
from relance.scenarios.services import step_errors, steps_order_errors
from relance.segments.criteria import LOOKUPS, criteria_clean, criterion_fields
from relance.templating.choices import Channel, LetterType
from relance.templating.models import MessageTemplate
from relance.templating.services import clean_variants

SECTIONS = ("templates", "scenarios", "segments")
# Where the file writes what the services call by their field names.
FILE_KEYS = {"responsible_users": "responsibles.users", "cc_users": "copy_to.users"}
MATCH = {"all": "and", "any": "or"}  # a segment's `match` and the criteria tree's `op`
RULE_KEYS = ("field", "op", "value")
SCENARIO_INTS = {
    "min_contact_days": 7,
    "repeat_last_every_days": 0,
    "lookahead_days": 7,
    "promise_grace_days": 3,
}


class Errors(list):
    def add(self, path: str, message: str) -> None:
        self.append(f"{path}: {message}")

    def add_validation(self, path: str, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for key, messages in error.message_dict.items():
                where = path if key == "__all__" else f"{path}.{key}"
                for message in messages:
                    self.add(where, message)
        else:
            for message in error.messages:
                self.add(path, message)


@dataclass
class Plan:
    """What an import will write: plain values, references resolved by name."""

    templates: list[dict] = field(default_factory=list)
    scenarios: list[dict] = field(default_factory=list)
    segments: list[dict] = field(default_factory=list)


@dataclass
class _Context:
    errors: Errors
    entities: dict[str, Entity]
    users: dict[str, User]
    groups: dict[str, Group]
    templates: dict[str, MessageTemplate]  # after the file's own (unsaved when new)
    scenarios: dict[str, Scenario]


def _items(data: dict, section: str, errors: Errors) -> list[tuple[str, dict]]:
    """The mappings of a section with their path; the section itself checked."""
    items = data.get(section) or []
    if not isinstance(items, list):
        errors.add(section, "must be a list")
        return []
    result, names = [], set()
    for index, item in enumerate(items):
        path = f"{section}[{index}]"
        if not isinstance(item, dict):
            errors.add(path, "must be a mapping")
            continue
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            errors.add(f"{path}.name", "required")
            continue
        if name in names:
            errors.add(f"{path}.name", f"{name!r} appears twice")
            continue
        names.add(name)
        result.append((path, item))
    return result


def _choice(item, key, path, choices, errors, default=None):
    value = item.get(key, default)
    if value not in choices:
        errors.add(f"{path}.{key}", f"{value!r} is not one of {', '.join(choices)}")
        return default
    return value


def _int(item, key, path, errors, default: int, minimum: int | None = 0) -> int:
    value = item.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        errors.add(f"{path}.{key}", f"{value!r} is not a whole number")
        return default
    if minimum is not None and value < minimum:
        errors.add(f"{path}.{key}", f"must be at least {minimum}")
        return default
    return value


def _text(item, key, path, errors) -> str:
    value = item.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        errors.add(f"{path}.{key}", "must be text")
        return ""
    return value


def _entity(item, path, ctx: _Context) -> Entity | None:
    slug = item.get("entity")
    if not slug:
        return None
    if not isinstance(slug, str) or slug not in ctx.entities:
        ctx.errors.add(f"{path}.entity", f"unknown entity {slug!r}")
    return ctx.entities.get(slug) if isinstance(slug, str) else None


def _names(item, key, path, known: dict, what: str, errors: Errors) -> list:
    values = item.get(key) or []
    if not isinstance(values, list):
        errors.add(f"{path}.{key}", "must be a list")
        return []
    found = []
    for value in values:
        if value in known:
            found.append(known[value])
        else:
            errors.add(f"{path}.{key}", f"unknown {what} {value!r}")
    return found


# --- templates --------------------------------------------------------------------------


def _read_variants(item, path, channel, errors: Errors) -> dict:
    variants = item.get("variants")
    if not isinstance(variants, dict) or not variants:
        errors.add(f"{path}.variants", "a mapping of languages (en, fr…) is required")
        return {}
    raw = {}
    for language, texts in variants.items():
        if language not in Language.values:
            errors.add(
                f"{path}.variants.{language}",
                f"unknown language (use {', '.join(Language.values)})",
            )
        elif not isinstance(texts, dict) or set(texts) - {"subject", "body"}:
            errors.add(f"{path}.variants.{language}", "a mapping of subject and body")
        else:
            raw[language] = {key: str(texts.get(key) or "") for key in ("subject", "body")}
    try:
        return clean_variants(channel=channel, variants=raw)
    except ValidationError as exc:
        for key, messages in getattr(exc, "message_dict", {"": exc.messages}).items():
            where = f"{path}.variants" + (".{}.{}".format(*key.split("_", 1)) if key else "")
            for message in messages:
                errors.add(where, message)
        return {}


def _read_template(path, item, ctx: _Context) -> dict:
    errors = ctx.errors
    channel = _choice(item, "channel", path, Channel.values, errors)
    letter_type = item.get("letter_type") or ""
    if letter_type and (channel != Channel.LETTER or letter_type not in LetterType.values):
        errors.add(
            f"{path}.letter_type",
            f"{letter_type!r}: only letters have one, among {', '.join(LetterType.values)}",
        )
    fields = {
        "channel": channel,
        "entity": _entity(item, path, ctx),
        "letter_type": letter_type,
        "description": _text(item, "description", path, errors),
        "show_logo": bool(item.get("show_logo", True)),
    }
    variants = _read_variants(item, path, channel, errors) if channel else {}
    existing = MessageTemplate.objects.filter(name=item["name"]).first()
    ctx.templates[item["name"]] = MessageTemplate(name=item["name"], **fields)
    return {
        "path": path,
        "name": item["name"],
        "fields": fields,
        "variants": variants,
        "existing": existing,
    }


# --- scenarios --------------------------------------------------------------------------


def _read_step(path, item, scenario: Scenario, ctx: _Context) -> dict:
    errors = ctx.errors
    fields = {
        "name": _text(item, "name", path, errors),
        "channel": _choice(item, "channel", path, StepChannel.values, errors),
        "mode": _choice(item, "mode", path, StepMode.values, errors, StepMode.MANUAL),
        "anchor": _choice(item, "anchor", path, Anchor.values, errors, Anchor.DUE_DATE),
        "offset_days": _int(item, "offset_days", path, errors, 0, minimum=None),
        "attachments": _choice(item, "attachments", path, Attachments.values, errors, "none"),
        "instructions": _text(item, "instructions", path, errors),
        # Absent or empty: no fallback (the bounced email's action stays in error).
        "fallback_channel": _choice(
            item, "fallback_channel", path, FallbackChannel.values, errors, ""
        )
        if item.get("fallback_channel")
        else "",
        "template": None,
    }
    name = item.get("template")
    if name:
        fields["template"] = ctx.templates.get(name)
        if fields["template"] is None:
            errors.add(f"{path}.template", f"unknown template {name!r}")
    responsibles, copy_to = item.get("responsibles") or {}, item.get("copy_to") or {}
    relations = {
        "responsible_users": _names(
            responsibles, "users", f"{path}.responsibles", ctx.users, "user", errors
        ),
        "responsible_groups": _names(
            responsibles, "groups", f"{path}.responsibles", ctx.groups, "group", errors
        ),
        "cc_users": _names(copy_to, "users", f"{path}.copy_to", ctx.users, "user", errors),
    }
    roles = copy_to.get("contact_roles") or []
    fields["cc_contact_roles"] = ",".join(roles) if isinstance(roles, list) else str(roles)
    fields["cc_email"] = _text(copy_to, "email", f"{path}.copy_to", errors)
    if fields["channel"] and (not name or fields["template"] is not None):
        step = Step(scenario=scenario, position=1, **fields)
        found = step_errors(
            step,
            cc_users=relations["cc_users"],
            responsible_users=relations["responsible_users"],
        )
        for key, messages in found.items():
            for message in messages:
                errors.add(f"{path}.{FILE_KEYS.get(key, key)}", message)
    return {"path": path, "fields": fields, "template_name": name or "", "relations": relations}


def _read_scenario(path, item, ctx: _Context) -> dict:
    errors = ctx.errors
    settings = {
        key: _int(item, key, path, errors, default) for key, default in SCENARIO_INTS.items()
    }
    try:
        settings["min_amount"] = Decimal(str(item.get("min_amount", "0.01")))
    except InvalidOperation:
        errors.add(f"{path}.min_amount", f"{item.get('min_amount')!r} is not an amount")
        settings["min_amount"] = Decimal("0.01")
    settings["entity"] = _entity(item, path, ctx)
    settings["description"] = _text(item, "description", path, errors)
    scenario = Scenario(name=item["name"], **settings)
    try:
        scenario.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors.add_validation(path, exc)
    ctx.scenarios[item["name"]] = scenario
    steps = item.get("steps") or []
    if not isinstance(steps, list):
        errors.add(f"{path}.steps", "must be a list")
        steps = []
    plans = []
    for index, step in enumerate(steps):
        where = f"{path}.steps[{index}]"
        if isinstance(step, dict):
            plans.append(_read_step(where, step, scenario, ctx))
        else:
            errors.add(where, "must be a mapping")
    _check_order(plans, errors)
    return {"path": path, "name": item["name"], "settings": settings, "steps": plans}


def _check_order(plans: list[dict], errors: Errors) -> None:
    """The scenarios' own rule: steps on one anchor in order in time (the whole list is
    checked here, before the steps are written one by one)."""
    steps = [
        Step(
            name=p["fields"]["name"],
            anchor=p["fields"]["anchor"] or Anchor.DUE_DATE,
            offset_days=p["fields"]["offset_days"],
        )
        for p in plans
    ]
    for index, message in steps_order_errors(steps):
        errors.add(plans[index]["path"], message)


# --- segments ---------------------------------------------------------------------------


def _read_rule(path, rule, fields, errors: Errors) -> dict | None:
    """One `{field, op, value}` rule as a criteria rule, checked; None when it is wrong."""
    unknown = [str(key) for key in rule if key not in RULE_KEYS]
    if unknown:
        errors.add(path, f"unknown key {unknown[0]!r} (use {', '.join(RULE_KEYS)})")
        return None
    key, op = rule.get("field"), rule.get("op", "eq")
    criterion = fields.get(key) if isinstance(key, str) else None
    if criterion is None:
        close = get_close_matches(str(key), list(fields), n=1) if key else []
        hint = f": did you mean {close[0]!r}?" if close else ""
        errors.add(f"{path}.field", f"unknown field {key!r}{hint}" if key else "required")
        return None
    allowed = ", ".join(criterion.lookups)
    if not isinstance(op, str) or op not in LOOKUPS:
        errors.add(f"{path}.op", f"unknown operator {op!r} (use {allowed})")
        return None
    if op not in criterion.lookups:
        errors.add(f"{path}.op", f"{op!r} is not allowed on {key!r} (use {allowed})")
        return None
    raw = {"field": key, "lookup": op}
    if "value" in rule:
        raw["value"] = rule["value"]
    try:
        return criteria_clean({"op": "and", "rules": [raw]}, fields)["rules"][0]
    except ValidationError as exc:
        # "rule 1: <field>: <reason>": the path says where, keep the reason.
        for message in exc.messages:
            errors.add(f"{path}.value", message.split(": ", 2)[-1])
        return None


def _read_rules(path, item, fields, errors: Errors) -> dict:
    """A `match` and its `rules` (groups nest as `{match, rules}`) as a criteria tree."""
    match = item.get("match", "all")
    if not isinstance(match, str) or match not in MATCH:
        errors.add(f"{path}.match", f"{match!r} is not one of all, any")
        match = "all"
    rules = item.get("rules") or []
    where = f"{path}.rules"
    if not isinstance(rules, list):
        errors.add(where, "must be a list")
        rules = []
    cleaned = []
    for index, rule in enumerate(rules):
        at = f"{where}[{index}]"
        if not isinstance(rule, dict):
            errors.add(at, "must be a mapping")
        elif "rules" in rule or "match" in rule:
            extra = [str(key) for key in rule if key not in ("match", "rules")]
            if extra:
                errors.add(at, f"unknown key {extra[0]!r} in a group (use match, rules)")
            else:
                cleaned.append(_read_rules(at, rule, fields, errors))
        else:
            result = _read_rule(at, rule, fields, errors)
            if result is not None:
                cleaned.append(result)
    return {"op": MATCH[match], "rules": cleaned}


def _read_criteria(path, item, fields, errors: Errors) -> dict:
    """The segment's criteria: `match` and `rules`, or (older files) a `criteria` tree."""
    if "criteria" not in item:
        return _read_rules(path, item, fields, errors)
    if "rules" in item or "match" in item:
        errors.add(f"{path}.criteria", "write either criteria or match and rules, not both")
        return {}
    try:
        return criteria_clean(item.get("criteria") or {}, fields)
    except ValidationError as exc:
        for message in exc.messages:
            errors.add(f"{path}.criteria", message)
        return {}


def _read_segment(path, item, ctx: _Context, fields) -> dict:
    errors = ctx.errors
    name = item.get("scenario")
    scenario = ctx.scenarios.get(name) if isinstance(name, str) else None
    if scenario is None:
        errors.add(f"{path}.scenario", f"unknown scenario {item.get('scenario')!r}")
    entity = _entity(item, path, ctx)
    if scenario is not None and scenario.entity and scenario.entity != entity:
        errors.add(
            f"{path}.scenario",
            f"{scenario.name!r} is restricted to the entity {scenario.entity.slug}",
        )
    criteria = _read_criteria(path, item, fields, errors)
    active = item.get("active", True)
    if not isinstance(active, bool):
        errors.add(f"{path}.active", "must be true or false")
    return {
        "path": path,
        "name": item["name"],
        "scenario_name": item.get("scenario"),
        "fields": {
            "priority": _int(item, "priority", path, errors, 100),
            "entity": entity,
            "description": _text(item, "description", path, errors),
            "is_active": active is not False,
            "criteria": criteria,
        },
    }


def read_config(data) -> tuple[Plan, Errors]:
    """The plan of an import of `data` (parsed YAML), and every error found in it."""
    errors = Errors()
    plan = Plan()
    if not isinstance(data, dict):
        errors.add("file", "a mapping with templates, scenarios and segments is expected")
        return plan, errors
    for key in set(data) - set(SECTIONS):
        errors.add(str(key), f"unknown section (use {', '.join(SECTIONS)})")
    ctx = _Context(
        errors=errors,
        entities={entity.slug: entity for entity in Entity.objects.all()},
        users={user.username: user for user in User.objects.all()},
        groups={group.name: group for group in Group.objects.all()},
        templates={t.name: t for t in MessageTemplate.objects.select_related("entity")},
        scenarios={s.name: s for s in Scenario.objects.select_related("entity")},
    )
    plan.templates = [_read_template(p, i, ctx) for p, i in _items(data, "templates", errors)]
    plan.scenarios = [_read_scenario(p, i, ctx) for p, i in _items(data, "scenarios", errors)]
    fields = criterion_fields()
    plan.segments = [_read_segment(p, i, ctx, fields) for p, i in _items(data, "segments", errors)]
    return plan, errors
