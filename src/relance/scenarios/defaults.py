"""Default scenarios, in English, French and the languages of the entities, built on the
default message templates; their names come from the catalogues (msgids in English).

Created by `relance setup` when absent (looked up by `default_key`), never overwritten: an
administrator's changes to them are kept. A scenario whose automatic steps lack their default
template (deleted, or the templates' defaults not run yet) is left for a later run rather
than created half-way. Each entity without a default scenario gets the standard scenario of
its language, on every run, so that new entities get one too.
"""

from dataclasses import dataclass

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from relance.core.choices import Language
from relance.core.defaults import register
from relance.core.models import Entity
from relance.scenarios.models import Scenario
from relance.scenarios.services import scenario_create, step_create
from relance.templating.models import MessageTemplate

# default_key of the templates created by templating/defaults.py
COURTESY, FIRST, SECOND = "courtesy-reminder", "first-reminder", "second-reminder"
SMS, CALL, NOTICE, TASK = "sms-reminder", "call-script", "formal-notice", "escalation-task"


@dataclass(frozen=True)
class DefaultStep:
    name: Promise  # pgettext_lazy: read in the scenario's language
    channel: str
    mode: str
    offset_days: int
    template_key: str
    attachments: str = "none"
    instructions: Promise | str = ""


STANDARD = [
    DefaultStep(
        pgettext_lazy("default scenario", "Courtesy reminder"), "email", "auto", -5, COURTESY
    ),
    DefaultStep(
        pgettext_lazy("default scenario", "First reminder"),
        "email",
        "auto",
        3,
        FIRST,
        "overdue_invoices",
    ),
    DefaultStep(
        pgettext_lazy("default scenario", "Second reminder"),
        "email",
        "auto",
        15,
        SECOND,
        "overdue_invoices",
    ),
    DefaultStep(pgettext_lazy("default scenario", "SMS reminder"), "sms", "auto_confirm", 20, SMS),
    DefaultStep(
        pgettext_lazy("default scenario", "Phone call"),
        "call",
        "manual",
        25,
        CALL,
        instructions=pgettext_lazy(
            "default scenario", "Ask for a payment date and record it as a promise."
        ),
    ),
    DefaultStep(
        pgettext_lazy("default scenario", "Formal notice"),
        "registered_letter",
        "manual",
        30,
        NOTICE,
        "overdue_invoices",
    ),
    DefaultStep(
        pgettext_lazy("default scenario", "Escalation"),
        "task",
        "manual",
        45,
        TASK,
        instructions=pgettext_lazy(
            "default scenario", "Decide: payment plan, collection agency or legal action."
        ),
    ),
]
GENTLE = [
    DefaultStep(
        pgettext_lazy("default scenario", "Courtesy reminder"), "email", "auto", -5, COURTESY
    ),
    DefaultStep(
        pgettext_lazy("default scenario", "First reminder"),
        "email",
        "auto_confirm",
        7,
        FIRST,
        "overdue_invoices",
    ),
    DefaultStep(
        pgettext_lazy("default scenario", "Account manager call"),
        "call",
        "manual",
        15,
        CALL,
        instructions=pgettext_lazy(
            "default scenario", "Call the usual contact first; stay courteous."
        ),
    ),
    DefaultStep(
        pgettext_lazy("default scenario", "Second reminder"),
        "email",
        "auto_confirm",
        30,
        SECOND,
        "statement",
    ),
    DefaultStep(
        pgettext_lazy("default scenario", "Review with the credit manager"),
        "task",
        "manual",
        45,
        TASK,
    ),
]

# Risky customers: no courtesy email, reminders from the day after the due date, five days
# apart (the scenario's min_contact_days, so the offsets are the dates the engine keeps),
# and the formal notice within the month.
FIRM = [
    DefaultStep(
        pgettext_lazy("default scenario", "First reminder"),
        "email",
        "auto",
        1,
        FIRST,
        "overdue_invoices",
    ),
    DefaultStep(
        pgettext_lazy("default scenario", "Second reminder"),
        "email",
        "auto",
        8,
        SECOND,
        "overdue_invoices",
    ),
    DefaultStep(pgettext_lazy("default scenario", "SMS reminder"), "sms", "auto_confirm", 13, SMS),
    DefaultStep(
        pgettext_lazy("default scenario", "Phone call"),
        "call",
        "manual",
        18,
        CALL,
        instructions=pgettext_lazy(
            "default scenario", "Ask for payment now or a firm date; announce the formal notice."
        ),
    ),
    DefaultStep(
        pgettext_lazy("default scenario", "Formal notice"),
        "registered_letter",
        "manual",
        23,
        NOTICE,
        "overdue_invoices",
    ),
    DefaultStep(
        pgettext_lazy("default scenario", "Escalation"),
        "task",
        "manual",
        30,
        TASK,
        instructions=pgettext_lazy(
            "default scenario", "Decide: collection agency, legal action or stopping deliveries."
        ),
    ),
]


@dataclass(frozen=True)
class DefaultScenario:
    kind: str  # its default_key is "<kind>-<language>"
    name: Promise  # read in the scenario's language, as the steps' names
    description: Promise
    steps: list[DefaultStep]
    min_contact_days: int = 7


KINDS = [
    DefaultScenario(
        "standard",
        pgettext_lazy("default scenario", "Standard"),
        pgettext_lazy(
            "default scenario",
            "Courtesy email, two reminders, SMS, call, formal notice, escalation.",
        ),
        STANDARD,
    ),
    DefaultScenario(
        "gentle",
        pgettext_lazy("default scenario", "Key accounts (gentle)"),
        pgettext_lazy(
            "default scenario", "Fewer, confirmed reminders and a call from the account manager."
        ),
        GENTLE,
        min_contact_days=10,
    ),
    DefaultScenario(
        "firm",
        pgettext_lazy("default scenario", "Risky customers (firm)"),
        pgettext_lazy(
            "default scenario",
            "Reminders from the day after the due date, a quick call, an early formal notice.",
        ),
        FIRM,
        min_contact_days=5,
    ),
]
BASE_LANGUAGES = ("en", "fr")  # always created; other languages when an entity writes them


def translate(text: Promise | str, language: str) -> str:
    """A default's name or instructions in `language`, by its catalogue (English while the
    language has none)."""
    with translation.override(language):
        return str(text)


def scenario_name(default: DefaultScenario, language: str) -> str:
    """Its name in `language`; a language whose word is the English one (or that has no
    catalogue yet) adds its own name, so that each language's scenario has a distinct one:
    "Standard – Deutsch"."""
    name = translate(default.name, language)
    if language != "en" and name == translate(default.name, "en"):
        name = f"{name} – {Language(language).label}"
    return name[:100]


def _languages() -> list[str]:
    """English and French, then the other languages the entities write, in Language order."""
    used = set(Entity.objects.values_list("language", flat=True))
    return [code for code in Language.values if code in BASE_LANGUAGES or code in used]


def _create(
    default: DefaultScenario, language: str, name: str, templates: dict[str, MessageTemplate]
) -> Scenario | None:
    automatic = [step for step in default.steps if step.mode != "manual"]
    if any(step.template_key not in templates for step in automatic):
        return None
    scenario = scenario_create(
        name=name,
        description=translate(default.description, language),
        min_contact_days=default.min_contact_days,
        default_key=f"{default.kind}-{language}",
    )
    for step in default.steps:
        step_create(
            scenario=scenario,
            name=translate(step.name, language),
            channel=step.channel,
            mode=step.mode,
            offset_days=step.offset_days,
            template=templates.get(step.template_key),
            attachments=step.attachments,
            instructions=translate(step.instructions, language),
        )
    return scenario


@register(order=300)
def default_scenarios() -> list[str]:
    """The standard, gentle and firm scenarios in English, French and each language an
    entity writes, when absent. Their steps point to the multilingual default templates:
    the customer's language picks the text when a message is sent."""
    existing = set(Scenario.objects.exclude(default_key="").values_list("default_key", flat=True))
    names = set(Scenario.objects.values_list("name", flat=True))
    templates = {
        template.default_key: template
        for template in MessageTemplate.objects.exclude(default_key="").filter(entity=None)
    }
    created = []
    languages = _languages()
    for default in KINDS:
        for language in languages:
            name = scenario_name(default, language)
            if f"{default.kind}-{language}" in existing or name in names:
                continue
            scenario = _create(default, language, name, templates)
            if scenario is not None:
                names.add(name)
                created.append(f"scenario {scenario.name!r}")
    return created + default_entity_scenarios()


def default_entity_scenarios() -> list[str]:
    """Each entity without a default scenario gets the standard one of its language."""
    standard = {
        scenario.default_key.removeprefix("standard-"): scenario
        for scenario in Scenario.objects.filter(default_key__startswith="standard-")
    }
    lines = []
    for entity in Entity.objects.filter(default_scenario__isnull=True):
        scenario = standard.get(entity.language) or standard.get("en")
        if scenario is None:
            continue
        Entity.objects.filter(pk=entity.pk).update(default_scenario=scenario)
        lines.append(f"default scenario of {entity.slug}: {scenario.name!r}")
    return lines
