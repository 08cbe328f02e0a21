"""Default scenarios, in French and English, built on the default message templates.

Created by `relance setup` when absent (looked up by `default_key`), never overwritten: an
administrator's changes to them are kept. A scenario whose automatic steps lack their default
template (deleted, or the templates' defaults not run yet) is left for a later run rather
than created half-way. Each entity without a default scenario gets the standard scenario of
its language, on every run, so that new entities get one too.
"""

from dataclasses import dataclass

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
    names: tuple[str, str]  # English, French
    channel: str
    mode: str
    offset_days: int
    template_key: str
    attachments: str = "none"
    instructions: tuple[str, str] = ("", "")


STANDARD = [
    DefaultStep(("Courtesy reminder", "Rappel de courtoisie"), "email", "auto", -5, COURTESY),
    DefaultStep(
        ("First reminder", "Première relance"), "email", "auto", 3, FIRST, "overdue_invoices"
    ),
    DefaultStep(
        ("Second reminder", "Deuxième relance"), "email", "auto", 15, SECOND, "overdue_invoices"
    ),
    DefaultStep(("SMS reminder", "Relance SMS"), "sms", "auto_confirm", 20, SMS),
    DefaultStep(
        ("Phone call", "Appel téléphonique"),
        "call",
        "manual",
        25,
        CALL,
        instructions=(
            "Ask for a payment date and record it as a promise.",
            "Demander une date de paiement et l'enregistrer comme promesse.",
        ),
    ),
    DefaultStep(
        ("Formal notice", "Mise en demeure"),
        "registered_letter",
        "manual",
        30,
        NOTICE,
        "overdue_invoices",
    ),
    DefaultStep(
        ("Escalation", "Escalade"),
        "task",
        "manual",
        45,
        TASK,
        instructions=(
            "Decide: payment plan, collection agency or legal action.",
            "Décider : échéancier, société de recouvrement ou contentieux.",
        ),
    ),
]
GENTLE = [
    DefaultStep(("Courtesy reminder", "Rappel de courtoisie"), "email", "auto", -5, COURTESY),
    DefaultStep(
        ("First reminder", "Première relance"),
        "email",
        "auto_confirm",
        7,
        FIRST,
        "overdue_invoices",
    ),
    DefaultStep(
        ("Account manager call", "Appel du chargé de compte"),
        "call",
        "manual",
        15,
        CALL,
        instructions=(
            "Call the usual contact first; stay courteous.",
            "Appeler d'abord l'interlocuteur habituel ; rester courtois.",
        ),
    ),
    DefaultStep(
        ("Second reminder", "Deuxième relance"), "email", "auto_confirm", 30, SECOND, "statement"
    ),
    DefaultStep(
        ("Review with the credit manager", "Point avec le credit manager"),
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
        ("First reminder", "Première relance"), "email", "auto", 1, FIRST, "overdue_invoices"
    ),
    DefaultStep(
        ("Second reminder", "Deuxième relance"), "email", "auto", 8, SECOND, "overdue_invoices"
    ),
    DefaultStep(("SMS reminder", "Relance SMS"), "sms", "auto_confirm", 13, SMS),
    DefaultStep(
        ("Phone call", "Appel téléphonique"),
        "call",
        "manual",
        18,
        CALL,
        instructions=(
            "Ask for payment now or a firm date; announce the formal notice.",
            "Demander le paiement immédiat ou une date ferme ; annoncer la mise en demeure.",
        ),
    ),
    DefaultStep(
        ("Formal notice", "Mise en demeure"),
        "registered_letter",
        "manual",
        23,
        NOTICE,
        "overdue_invoices",
    ),
    DefaultStep(
        ("Escalation", "Escalade"),
        "task",
        "manual",
        30,
        TASK,
        instructions=(
            "Decide: collection agency, legal action or stopping deliveries.",
            "Décider : société de recouvrement, contentieux ou arrêt des livraisons.",
        ),
    ),
]


@dataclass(frozen=True)
class DefaultScenario:
    key: str
    language: str
    name: str
    description: str
    steps: list[DefaultStep]
    min_contact_days: int = 7


SCENARIOS = [
    DefaultScenario(
        "standard-en",
        "en",
        "Standard",
        "Courtesy email, two reminders, SMS, call, formal notice, escalation.",
        STANDARD,
    ),
    DefaultScenario(
        "standard-fr",
        "fr",
        "Relance standard",
        "Courriel de courtoisie, deux relances, SMS, appel, mise en demeure, escalade.",
        STANDARD,
    ),
    DefaultScenario(
        "gentle-en",
        "en",
        "Key accounts (gentle)",
        "Fewer, confirmed reminders and a call from the account manager.",
        GENTLE,
        min_contact_days=10,
    ),
    DefaultScenario(
        "gentle-fr",
        "fr",
        "Grands comptes (en douceur)",
        "Moins de relances, confirmées, et un appel du chargé de compte.",
        GENTLE,
        min_contact_days=10,
    ),
    DefaultScenario(
        "firm-en",
        "en",
        "Risky customers (firm)",
        "Reminders from the day after the due date, a quick call, an early formal notice.",
        FIRM,
        min_contact_days=5,
    ),
    DefaultScenario(
        "firm-fr",
        "fr",
        "Clients à risque (ferme)",
        "Relances dès le lendemain de l'échéance, appel rapide, mise en demeure anticipée.",
        FIRM,
        min_contact_days=5,
    ),
]


def _create(default: DefaultScenario, templates: dict[str, MessageTemplate]) -> Scenario | None:
    automatic = [step for step in default.steps if step.mode != "manual"]
    if any(step.template_key not in templates for step in automatic):
        return None
    index = 0 if default.language == "en" else 1
    scenario = scenario_create(
        name=default.name,
        description=default.description,
        min_contact_days=default.min_contact_days,
        default_key=default.key,
    )
    for step in default.steps:
        step_create(
            scenario=scenario,
            name=step.names[index],
            channel=step.channel,
            mode=step.mode,
            offset_days=step.offset_days,
            template=templates.get(step.template_key),
            attachments=step.attachments,
            instructions=step.instructions[index],
        )
    return scenario


@register(order=300)
def default_scenarios() -> list[str]:
    """The standard, gentle and firm scenarios in English and French, when absent."""
    existing = set(Scenario.objects.exclude(default_key="").values_list("default_key", flat=True))
    names = set(Scenario.objects.values_list("name", flat=True))
    templates = {
        template.default_key: template
        for template in MessageTemplate.objects.exclude(default_key="").filter(entity=None)
    }
    created = []
    for default in SCENARIOS:
        if default.key in existing or default.name in names:
            continue
        scenario = _create(default, templates)
        if scenario is not None:
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
