"""Writes of scenarios and their steps, each validated before saving (the engine spec's rules
that a form can check): automatic steps need a template of their channel, calls and tasks
are manual, automatic letters need an active connector of the scenario's entity (any
entity's, for a scenario shared by all) that carries them.

Positions are the services' business: steps are numbered 1..n in order after every add,
duplicate, move and delete, so that the engine's "next step" is never ambiguous. Steps on
the same anchor keep their order in time (`steps_order_errors`, the engine contract's
amendment 1): the editor's services and `config import` refuse a scenario that breaks it.
"""

from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, ProtectedError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from relance.core.models import Entity
from relance.customers.choices import ContactRole
from relance.scenarios.choices import (
    LETTER_CHANNELS,
    MANUAL_ONLY_CHANNELS,
    Anchor,
    Attachments,
    FallbackChannel,
    StepChannel,
    StepMode,
    default_mode,
)
from relance.scenarios.models import Scenario, Step
from relance.templating.choices import Channel

SCENARIO_FIELDS = {
    "name",
    "description",
    "entity",
    "min_contact_days",
    "min_amount",
    "repeat_last_every_days",
    "lookahead_days",
    "promise_grace_days",
}
STEP_FIELDS = {
    "name",
    "channel",
    "mode",
    "anchor",
    "offset_days",
    "template",
    "cc_contact_roles",
    "cc_email",
    "attachments",
    "instructions",
    "fallback_channel",
}
STEP_RELATIONS = {"responsible_users", "responsible_groups", "cc_users"}
MAX_OFFSET_DAYS = 999
ATTACHMENT_CHANNELS = frozenset({StepChannel.EMAIL, *LETTER_CHANNELS})

# The template channel each step channel uses (templating.choices.Channel values).
TEMPLATE_CHANNEL = {
    StepChannel.EMAIL: "email",
    StepChannel.SMS: "sms",
    StepChannel.LETTER: "letter",
    StepChannel.REGISTERED_LETTER: "letter",
    StepChannel.E_REGISTERED_LETTER: "letter",
    StepChannel.CALL: "call",
    StepChannel.TASK: "task",
}


def print_mail_connector_configured(entity=None) -> bool:
    """Whether automatic letters can be posted: `entity` (or, without one, any entity) has an
    active letter connector (delivery.Connector, docs/channels.md)."""
    return letter_connector_configured(StepChannel.LETTER, entity)


def letter_connector_configured(channel: str, entity=None) -> bool:
    """Whether automatic steps on this letter channel can be sent: `entity` (or, without
    one, any entity) has an active connector that carries them: a letter connector for
    letters; one that posts registered letters (delivery.choices.REGISTERED_LETTER_KINDS,
    settings without `"registered": false`) for registered letters; an electronic
    registered mail connector for electronic registered letters."""
    from relance.delivery.choices import REGISTERED_LETTER_KINDS, ConnectorChannel
    from relance.delivery.models import Connector

    electronic = channel == StepChannel.E_REGISTERED_LETTER
    connectors = Connector.objects.filter(
        is_active=True,
        channel=ConnectorChannel.E_REGISTERED_LETTER if electronic else ConnectorChannel.LETTER,
    )
    if entity is not None:
        connectors = connectors.filter(entity=entity)
    if channel != StepChannel.REGISTERED_LETTER:
        return connectors.exists()
    # A few rows at most: the JSON setting is read here rather than queried per database.
    rows = connectors.filter(kind__in=REGISTERED_LETTER_KINDS).values_list("settings", flat=True)
    return any((settings or {}).get("registered", True) is not False for settings in rows)


def is_automatic_letter(step: Step) -> bool:
    return step.channel in LETTER_CHANNELS and step.mode != StepMode.MANUAL


# --- validation -------------------------------------------------------------------------


def _template_errors(step: Step, scenario: Scenario) -> list[str]:
    template = step.template
    if template is None:
        return []
    errors = []
    expected = TEMPLATE_CHANNEL.get(step.channel)
    if expected and template.channel != expected:
        errors.append(
            _("This step needs a template of channel “%(expected)s”: “%(name)s” is “%(actual)s”.")
            % {
                "expected": Channel(expected).label,
                "name": template.name,
                "actual": template.get_channel_display(),
            }
        )
    if template.entity_id and template.entity_id != scenario.entity_id:
        errors.append(
            _("The template “%(name)s” is restricted to the entity %(entity)s.")
            % {"name": template.name, "entity": template.entity}
        )
    return errors


def _mode_errors(step: Step) -> list[str]:
    if step.mode == StepMode.MANUAL:
        return []
    if step.channel in MANUAL_ONLY_CHANNELS:
        return [_("Calls and tasks are always manual.")]
    if step.channel in LETTER_CHANNELS:
        entity = step.scenario.entity  # None: shared by every entity
        if not letter_connector_configured(step.channel, entity):
            return [_connector_missing(step.channel, entity)]
    return []


def _connector_missing(channel: str, entity) -> str:
    needs = {
        StepChannel.LETTER: _("Automatic letters need a print-and-mail connector"),
        StepChannel.REGISTERED_LETTER: _(
            "Automatic registered letters need a print-and-mail connector that posts "
            "registered letters"
        ),
        StepChannel.E_REGISTERED_LETTER: _(
            "Automatic electronic registered letters need an electronic registered mail connector"
        ),
    }
    if entity is None:
        return _(
            "%(needs)s: no entity has an active one. Add one in the administration "
            "(Delivery › Connectors) or make this step manual."
        ) % {"needs": needs[channel]}
    return _(
        "%(needs)s: %(entity)s has no active one. Add one in the administration "
        "(Delivery › Connectors) or make this step manual."
    ) % {"needs": needs[channel], "entity": entity}


def _recipient_errors(step: Step, roles: list[str], cc_users) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    unknown = [role for role in roles if role not in ContactRole.values]
    if unknown:
        errors["cc_contact_roles"] = [
            _("Unknown contact role %(roles)s (use %(allowed)s).")
            % {"roles": ", ".join(unknown), "allowed": ", ".join(ContactRole.values)}
        ]
    if cc_users is None:
        cc_users = list(step.cc_users.all()) if step.pk else []
    copies = roles or step.cc_email or cc_users
    if copies and step.channel != StepChannel.EMAIL:
        errors["cc_email"] = [_("Copies are sent by email: only email steps have them.")]
    if step.attachments != Attachments.NONE and step.channel not in ATTACHMENT_CHANNELS:
        errors["attachments"] = [_("Only emails and letters carry attachments.")]
    return errors


def _fallback_errors(step: Step) -> list[str]:
    """A fallback is what happens when an email bounces: email steps only. An automatic
    step falling back to a letter posts it at once, which needs a letter connector (the
    same rule as an automatic letter step)."""
    if not step.fallback_channel:
        return []
    if step.channel != StepChannel.EMAIL:
        return [
            _(
                "Only email steps fall back to another channel when their email bounces: "
                "choose “none” for this step."
            )
        ]
    if step.fallback_channel == FallbackChannel.LETTER and step.mode != StepMode.MANUAL:
        entity = step.scenario.entity
        if not letter_connector_configured(StepChannel.LETTER, entity):
            return [_connector_missing(StepChannel.LETTER, entity)]
    return []


def _responsible_errors(scenario: Scenario, users) -> list[str]:
    """Why these users cannot be responsible for a step of `scenario`: inactive, read-only,
    or blind to its entity. The actions of a scenario shared by every entity may fall in any
    of them: its responsibles must see them all (else an action nobody sees)."""
    errors = []
    for user in users:
        error = user.assignment_error(scenario.entity)
        if not error and scenario.entity is None and not user.sees_all_entities:
            blind = Entity.objects.exclude(users=user).values_list("name", flat=True)
            if blind:
                error = _(
                    "%(user)s has no access to %(entities)s: the responsibles of a scenario "
                    "shared by every entity must see them all."
                ) % {"user": user.username, "entities": ", ".join(blind)}
        if error:
            errors.append(error)
    return errors


def step_errors(step: Step, *, cc_users=None, responsible_users=None) -> dict[str, list[str]]:
    """Every rule `step` breaks, by field (empty when the step can be saved); `cc_users` and
    `responsible_users` are the people it will copy or give its actions to, when they are
    about to change."""
    errors: dict[str, list[str]] = {}
    roles = [role for role in step.cc_contact_roles.split(",") if role]
    try:
        step.full_clean(exclude=["scenario", "position"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    automatic = step.mode != StepMode.MANUAL and step.channel not in MANUAL_ONLY_CHANNELS
    if automatic and step.template is None:
        errors.setdefault("template", []).append(_("An automatic step needs a template."))
    if responsible_users is None:
        responsible_users = list(step.responsible_users.all()) if step.pk else []
    for key, messages in (
        ("template", _template_errors(step, step.scenario)),
        ("mode", _mode_errors(step)),
        ("responsible_users", _responsible_errors(step.scenario, responsible_users)),
        ("fallback_channel", _fallback_errors(step)),
    ):
        if messages:
            errors.setdefault(key, []).extend(messages)
    if abs(step.offset_days or 0) > MAX_OFFSET_DAYS:
        errors.setdefault("offset_days", []).append(
            _("At most %(days)s days before or after the date.") % {"days": MAX_OFFSET_DAYS}
        )
    for key, messages in _recipient_errors(step, roles, cc_users).items():
        errors.setdefault(key, []).extend(messages)
    # The model constraint says the same about calls and tasks: say it once.
    errors.pop("__all__", None)
    return {key: list(dict.fromkeys(messages)) for key, messages in errors.items()}


def _when(step) -> str:
    """ "due date −19", "issue date +40": a step's anchor and signed offset."""
    days = step.offset_days or 0
    signed = f"−{-days}" if days < 0 else f"+{days}"
    return f"{str(Anchor(step.anchor).label).lower()} {signed}"


def steps_order_errors(steps: Sequence) -> list[tuple[int, str]]:
    """Amendment 1, rule 1 of the engine contract: on the same anchor, a step's offset is
    never smaller than an earlier step's. Answers (index in `steps`, message) for each step
    that breaks it, naming the earlier step with the latest date on that anchor. `steps`
    are in scenario order, saved or not (the editor, `config import`, a future API)."""
    errors, latest = [], {}  # anchor: (number, step) with the largest offset so far
    for number, step in enumerate(steps, start=1):
        before = latest.get(step.anchor)
        if before is not None and (step.offset_days or 0) < (before[1].offset_days or 0):
            errors.append(
                (
                    number - 1,
                    _(
                        "step %(number)s `%(name)s` (%(when)s) comes after step "
                        "%(other_number)s `%(other_name)s` (%(other_when)s): reorder the steps"
                    )
                    % {
                        "number": number,
                        "name": step.name,
                        "when": _when(step),
                        "other_number": before[0],
                        "other_name": before[1].name,
                        "other_when": _when(before[1]),
                    },
                )
            )
        elif before is None or (step.offset_days or 0) > (before[1].offset_days or 0):
            latest[step.anchor] = (number, step)
    return errors


def _saved_order_errors(scenario: Scenario) -> list[tuple[int, str]]:
    return steps_order_errors(list(scenario.steps.order_by("position", "id")))


def scenario_check_step_order(*, scenario: Scenario, errors_before: int = 0) -> None:
    """Raise ValidationError (on `offset_days`) when the saved steps of `scenario` break
    rule 1 (`steps_order_errors`); the editor's services call it before committing. A
    scenario saved out of order before the rule (`errors_before` steps out of order) may
    be edited as long as each edit leaves fewer steps out of order."""
    errors = _saved_order_errors(scenario)
    if errors and len(errors) >= max(errors_before, 1):
        raise ValidationError({"offset_days": [message for _index, message in errors]})


def scenario_warnings(scenario: Scenario, steps: list[Step] | None = None) -> list[str]:
    """What is allowed but worth a second look (shown on the scenario page, never refused);
    steps out of order, saved before the editor refused them, are shown here too."""
    steps = list(scenario.steps.all()) if steps is None else steps
    warnings = [message for _index, message in steps_order_errors(steps)]
    if not steps:
        warnings.append(_("This scenario has no step: its customers receive no reminder."))
    elif scenario.repeat_last_every_days and is_automatic_letter(steps[-1]):
        days = scenario.repeat_last_every_days
        warnings.append(
            ngettext(
                "The last step is an automatic letter: it will be sent again every day "
                "until the customer pays.",
                "The last step is an automatic letter: it will be sent again every %(days)s "
                "days until the customer pays.",
                days,
            )
            % {"days": days}
        )
    return warnings


def step_warnings(step: Step) -> list[str]:
    if step.cc_email:
        return [
            _("%(address)s receives a copy of every customer's message of this step.")
            % {"address": step.cc_email}
        ]
    return []


def _normalize_roles(value) -> str:
    if isinstance(value, str):
        value = value.split(",")
    return ",".join(dict.fromkeys(role.strip() for role in value or () if role.strip()))


# --- scenarios --------------------------------------------------------------------------


def _check_entity_change(scenario: Scenario) -> None:
    """A scenario restricted to an entity may not be used beyond it."""
    if not scenario.pk or not scenario.entity_id:
        return
    elsewhere = scenario.segments.exclude(entity_id=scenario.entity_id)
    if elsewhere.exists():
        raise ValidationError(
            {
                "entity": _("Segments of other entities use this scenario: %(names)s.")
                % {"names": ", ".join(s.name for s in elsewhere)}
            }
        )
    templates = scenario.steps.filter(template__entity__isnull=False).exclude(
        template__entity_id=scenario.entity_id
    )
    if templates.exists():
        raise ValidationError(
            {"entity": _("Some steps use templates restricted to another entity.")}
        )


@transaction.atomic
def scenario_create(
    *,
    name: str,
    entity=None,
    description: str = "",
    min_contact_days: int = 7,
    min_amount: Decimal = Decimal("0.01"),
    repeat_last_every_days: int = 0,
    lookahead_days: int = 7,
    promise_grace_days: int = 3,
    default_key: str = "",
    acting_user=None,
) -> Scenario:
    """Create a scenario without steps (add them with step_create)."""
    scenario = Scenario(
        name=name.strip(),
        entity=entity,
        description=description,
        min_contact_days=min_contact_days,
        min_amount=Decimal(str(min_amount)),
        repeat_last_every_days=repeat_last_every_days,
        lookahead_days=lookahead_days,
        promise_grace_days=promise_grace_days,
        default_key=default_key,
    )
    scenario.full_clean()
    scenario.save()
    return scenario


@transaction.atomic
def scenario_update(*, scenario: Scenario, acting_user=None, **fields) -> Scenario:
    """Change a scenario's settings (`fields` among SCENARIO_FIELDS)."""
    unknown = set(fields) - SCENARIO_FIELDS
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(scenario, name, value.strip() if name == "name" else value)
    scenario.full_clean()
    _check_entity_change(scenario)
    scenario.save()
    return scenario


@transaction.atomic
def scenario_delete(*, scenario: Scenario, acting_user=None) -> None:
    """Delete a scenario no segment and no action uses (customers set to it by hand fall
    back to their segment)."""
    segments = list(scenario.segments.values_list("name", flat=True))
    if segments:
        raise ValidationError(
            _("Segments use this scenario: %(names)s.") % {"names": ", ".join(segments)}
        )
    try:
        scenario.delete()
    except ProtectedError as exc:
        raise ValidationError(
            _("Actions were planned with this scenario: it is kept for their history.")
        ) from exc


@transaction.atomic
def scenario_duplicate(*, scenario: Scenario, name: str = "", acting_user=None) -> Scenario:
    """A copy of `scenario` and its steps, named `name` (default "Copy of <name>", then
    "Copy of <name> (2)", … when that name is taken: names are unique)."""
    settings = {field: getattr(scenario, field) for field in SCENARIO_FIELDS}
    settings["name"] = name or _free_name(_("Copy of %(name)s") % {"name": scenario.name})
    copy = scenario_create(**settings)
    for step in scenario.steps.all():
        _copy_step(step, copy, step.position)
    return copy


def _free_name(wanted: str) -> str:
    """`wanted`, or `wanted (2)`, `(3)`… the first no scenario has (names are unique)."""
    wanted = wanted[:90]
    taken = set(Scenario.objects.filter(name__startswith=wanted).values_list("name", flat=True))
    return next(
        name
        for name in (wanted, *(f"{wanted} ({n})" for n in range(2, len(taken) + 3)))
        if name not in taken
    )


# --- steps ------------------------------------------------------------------------------


def _save_step(step: Step, relations: dict) -> Step:
    errors = step_errors(
        step,
        cc_users=relations.get("cc_users"),
        responsible_users=relations.get("responsible_users"),
    )
    if errors:
        raise ValidationError(errors)
    step.save()
    for name, values in relations.items():
        getattr(step, name).set(values or [])
    return step


def _renumber(scenario: Scenario, ordered: list[Step]) -> None:
    changed = []
    for position, step in enumerate(ordered, start=1):
        if step.position != position:
            step.position = position
            changed.append(step)
    Step.objects.bulk_update(changed, ["position"])


@transaction.atomic
def step_create(
    *,
    scenario: Scenario,
    name: str,
    channel: str,
    mode: str | None = None,
    position: int | None = None,
    acting_user=None,
    check_order: bool = True,
    **fields,
) -> Step:
    """Add a step, last or at `position` (1-based), by default after confirmation (manual
    for a call or a task: `default_mode`); `fields` among STEP_FIELDS and the
    relations responsible_users, responsible_groups, cc_users. Refused when the steps end
    up out of order (`check_order=False`: the caller checks the whole scenario itself, as
    `config import` does before writing its steps one by one)."""
    unknown = set(fields) - STEP_FIELDS - STEP_RELATIONS
    if unknown:
        raise TypeError(f"unknown step fields: {', '.join(sorted(unknown))}")
    relations = {key: fields.pop(key) for key in STEP_RELATIONS if key in fields}
    fields["cc_contact_roles"] = _normalize_roles(fields.get("cc_contact_roles", ""))
    last = scenario.steps.aggregate(last=Max("position"))["last"] or 0
    before = len(_saved_order_errors(scenario)) if check_order else 0
    step = Step(
        scenario=scenario,
        name=name.strip(),
        channel=channel,
        mode=mode or default_mode(channel),
        position=last + 1,
        **fields,
    )
    _save_step(step, relations)
    if position is not None and position <= last:
        _place(scenario, step, position)
    if check_order:
        scenario_check_step_order(scenario=scenario, errors_before=before)
    return step


def _place(scenario: Scenario, step: Step, position: int) -> None:
    """Move `step` to `position` (1-based, clamped) and renumber the others."""
    ordered = list(scenario.steps.exclude(pk=step.pk))
    ordered.insert(min(max(position, 1), len(ordered) + 1) - 1, step)
    _renumber(scenario, ordered)
    step.refresh_from_db(fields=["position"])


@transaction.atomic
def step_update(
    *,
    step: Step,
    position: int | None = None,
    acting_user=None,
    check_order: bool = True,
    **fields,
) -> Step:
    """Change a step (`fields` among STEP_FIELDS and the relations), and move it to
    `position` if given: a new date and the place it takes are saved together, since the
    steps must stay in order (refused otherwise, unless `check_order=False`)."""
    unknown = set(fields) - STEP_FIELDS - STEP_RELATIONS
    if unknown:
        raise TypeError(f"unknown step fields: {', '.join(sorted(unknown))}")
    relations = {key: fields.pop(key) for key in STEP_RELATIONS if key in fields}
    if "cc_contact_roles" in fields:
        fields["cc_contact_roles"] = _normalize_roles(fields["cc_contact_roles"])
    before = len(_saved_order_errors(step.scenario)) if check_order else 0
    for name, value in fields.items():
        setattr(step, name, value.strip() if name == "name" else value)
    _save_step(step, relations)
    if position is not None and position != step.position:
        _place(step.scenario, step, position)
    if check_order:
        scenario_check_step_order(scenario=step.scenario, errors_before=before)
    return step


@transaction.atomic
def step_delete(*, step: Step, acting_user=None) -> None:
    """Delete a step and close the gap (past actions keep their copy of its name)."""
    scenario = step.scenario
    step.delete()
    _renumber(scenario, list(scenario.steps.all()))


def _copy_step(step: Step, scenario: Scenario, position: int, name: str = "") -> Step:
    users, groups, cc_users = (
        list(step.responsible_users.all()),
        list(step.responsible_groups.all()),
        list(step.cc_users.all()),
    )
    copy = Step.objects.get(pk=step.pk)
    copy.pk = None
    copy.scenario = scenario
    copy.position = position
    copy.name = name or copy.name
    copy.save()
    copy.responsible_users.set(users)
    copy.responsible_groups.set(groups)
    copy.cc_users.set(cc_users)
    return copy


@transaction.atomic
def step_duplicate(*, step: Step, acting_user=None) -> Step:
    """A copy of `step` right after it, named "Copy of <name>" (told apart at a glance)."""
    scenario = step.scenario
    name = (_("Copy of %(name)s") % {"name": step.name})[:100]
    copy = _copy_step(step, scenario, step.position + 1, name)
    ordered = list(scenario.steps.exclude(pk=copy.pk))
    ordered.insert(ordered.index(step) + 1, copy)
    _renumber(scenario, ordered)
    return copy


@transaction.atomic
def step_move(*, step: Step, offset: int, acting_user=None) -> Step:
    """Move `step` up (offset -1) or down (+1) in its scenario; nothing past either end.
    Refused when it would put two steps of one anchor out of order."""
    scenario = step.scenario
    ordered = list(scenario.steps.select_for_update())
    before = len(steps_order_errors(ordered))
    index = ordered.index(step)
    target = min(max(index + offset, 0), len(ordered) - 1)
    ordered.insert(target, ordered.pop(index))
    _renumber(scenario, ordered)
    step.refresh_from_db(fields=["position"])
    scenario_check_step_order(scenario=scenario, errors_before=before)
    return step


# The customer page: a scenario set by hand ---------------------------------------------------


@transaction.atomic
def customer_scenario_set(*, customer, scenario: Scenario | None, acting_user=None):
    """Set the scenario `customer` follows whatever its segment says, or (`scenario` None)
    go back to its segment's. The scenario must be shared or of the customer's entity. The
    next engine run cancels an open action of the former scenario ("no scenario") and
    starts the new one's cycle."""
    from relance.activity.choices import EventKind
    from relance.activity.services import customer_event_record
    from relance.customers.models import Customer

    customer = Customer.objects.select_for_update().select_related("entity").get(pk=customer.pk)
    if scenario is not None and scenario.entity_id not in (None, customer.entity_id):
        raise ValidationError(
            {
                "scenario": _("The scenario %(name)s belongs to another entity.")
                % {"name": scenario.name}
            }
        )
    if scenario is None and customer.scenario_id is None:
        raise ValidationError(
            {"scenario": _("This customer already follows its segment's scenario.")}
        )
    if scenario is not None and scenario.pk == customer.scenario_id:
        raise ValidationError({"scenario": _("This customer already follows this scenario.")})
    before = Scenario.objects.filter(pk=customer.scenario_id).values_list("name", flat=True)
    customer.scenario = scenario
    customer.save(update_fields=["scenario", "updated_at"])
    customer_event_record(
        customer=customer,
        kind=EventKind.SCENARIO_SET,
        acting_user=acting_user,
        to=scenario.name if scenario else "",
        **{"from": before.first() or ""},
    )
    return customer
