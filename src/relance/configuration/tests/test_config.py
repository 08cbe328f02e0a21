# ruff: noqa: E501 - the YAML document reads best on long lines
import copy
from io import StringIO

import pytest
import yaml
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from relance.configuration.export import config_export
from relance.configuration.services import ConfigError, config_dump, config_import
from relance.scenarios.models import Scenario, Step
from relance.segments.models import Segment
from relance.templating.models import MessageTemplate, TemplateVariant

DOCUMENT = """
templates:
  - name: courtesy-reminder
    channel: email
    variants:
      fr: {subject: "Échéance proche #reference_number", body: "<p>Bonjour #contact_name,</p>"}
      en: {subject: "Invoice #reference_number due soon", body: "<p>Hello #contact_name,</p>"}
  - name: first-reminder
    channel: email
    description: The first one
    variants:
      fr: {subject: "Facture #reference_number", body: "<p>Bonjour #contact_name</p>\\n<p>Merci.</p>"}
  - name: sms
    channel: sms
    variants:
      fr: {body: "Relance #customer_name"}
  - name: notice
    channel: letter
    letter_type: registered
    show_logo: false
    variants:
      fr: {subject: Mise en demeure, body: "<p>Madame, Monsieur,</p>"}
  - name: call
    channel: call
    variants:
      en: {subject: Call, body: "Ask for a date."}
scenarios:
  - name: standard
    min_contact_days: 7
    min_amount: "0.01"
    repeat_last_every_days: 0
    lookahead_days: 7
    promise_grace_days: 3
    steps:
      - {name: courtesy, channel: email, mode: auto, anchor: due_date, offset_days: -5, template: courtesy-reminder}
      - name: first
        channel: email
        mode: auto
        anchor: due_date
        offset_days: 3
        template: first-reminder
        responsibles: {users: [alice], groups: [Legal]}
        copy_to: {contact_roles: [billing, legal], users: [bob], email: archive@example.com}
        attachments: overdue_invoices
      - {name: sms, channel: sms, mode: auto_confirm, anchor: due_date, offset_days: 20, template: sms}
      - name: call
        channel: call
        mode: manual
        anchor: issue_date
        offset_days: 60
        template: call
        instructions: |
          Ask for a payment date.
          Record the promise.
      - {name: notice, channel: registered_letter, mode: manual, anchor: due_date, offset_days: 30, template: notice}
  - name: acme only
    entity: acme-fr
    description: Only for Acme
    min_contact_days: 10
    min_amount: "50.00"
    repeat_last_every_days: 10
    lookahead_days: 0
    promise_grace_days: 5
    steps: []
segments:
  - name: key-accounts
    priority: 10
    scenario: standard
    match: all
    rules: [{field: tags, op: eq, value: Key account}]
  - name: acme big
    entity: acme-fr
    description: Big Acme debts
    priority: 20
    scenario: acme only
    active: false
    match: any
    rules:
      - {field: overdue_amount, op: gt, value: "10000"}
      - match: all
        rules:
          - {field: days_overdue, op: gte, value: 90}
          - {field: country, op: in, value: [FR, BE]}
  - {name: everyone, priority: 1000, scenario: standard}
"""


@pytest.fixture
def people(db, acme, alice, bob):
    Group.objects.create(name="Legal")


def wipe():
    Segment.objects.all().delete()
    Step.objects.all().delete()
    Scenario.objects.all().delete()
    MessageTemplate.objects.all().delete()


def counts():
    return (
        MessageTemplate.objects.count(),
        TemplateVariant.objects.count(),
        Scenario.objects.count(),
        Step.objects.count(),
        Segment.objects.count(),
    )


def test_import_creates_everything(people):
    summary = config_import(text=DOCUMENT)
    assert summary.created[:2] == ["template 'courtesy-reminder'", "template 'first-reminder'"]
    assert counts() == (5, 6, 2, 5, 3)
    first = Step.objects.get(name="first")
    assert (first.position, first.template.name, first.cc_contact_roles) == (
        2,
        "first-reminder",
        "billing,legal",
    )
    assert [u.username for u in first.responsible_users.all()] == ["alice"]
    assert [u.username for u in first.cc_users.all()] == ["bob"]
    assert MessageTemplate.objects.get(name="notice").letter_type == "registered"
    assert Segment.objects.get(name="acme big").entity.slug == "acme-fr"


def test_export_then_import_into_an_empty_database_round_trips(people):
    config_import(text=DOCUMENT)
    exported = config_dump()
    before = config_export()
    wipe()
    assert counts() == (0, 0, 0, 0, 0)
    config_import(text=exported)
    assert config_export() == before
    assert config_dump() == exported


def test_export_is_readable_yaml(people):
    config_import(text=DOCUMENT)
    text = config_dump()
    assert text.startswith("# Relance configuration")
    assert "  instructions: |\n" in text or "instructions: |" in text
    data = yaml.safe_load(text)
    assert [t["name"] for t in data["templates"]] == [
        "call",
        "courtesy-reminder",
        "first-reminder",
        "notice",
        "sms",
    ]
    step = data["scenarios"][1]["steps"][0]
    assert step == {
        "name": "courtesy",
        "channel": "email",
        "mode": "auto",
        "anchor": "due_date",
        "offset_days": -5,
        "template": "courtesy-reminder",
    }
    assert data["segments"][0] == {
        "name": "key-accounts",
        "priority": 10,
        "scenario": "standard",
        "match": "all",
        "rules": [{"field": "tags", "op": "eq", "value": "Key account"}],
    }
    assert "  rules:\n  - {field: tags, op: eq, value: Key account}\n" in text
    assert data["segments"][1]["rules"][1] == {
        "match": "all",
        "rules": [
            {"field": "days_overdue", "op": "gte", "value": 90},
            {"field": "country", "op": "in", "value": ["FR", "BE"]},
        ],
    }
    assert data["segments"][2]["rules"] == []


def test_segment_rules_are_stored_as_a_criteria_tree(people):
    config_import(text=DOCUMENT)
    assert Segment.objects.get(name="acme big").criteria == {
        "op": "or",
        "rules": [
            {"field": "overdue_amount", "lookup": "gt", "value": "10000"},
            {
                "op": "and",
                "rules": [
                    {"field": "days_overdue", "lookup": "gte", "value": 90},
                    {"field": "country", "lookup": "in", "value": ["FR", "BE"]},
                ],
            },
        ],
    }
    assert Segment.objects.get(name="everyone").criteria == {"op": "and", "rules": []}


def test_the_older_criteria_form_is_still_read(people):
    config_import(text=DOCUMENT)
    expected = {s.name: s.criteria for s in Segment.objects.all()}
    data = yaml.safe_load(DOCUMENT)
    data["segments"][0] = {
        "name": "key-accounts",
        "priority": 10,
        "scenario": "standard",
        "criteria": {
            "op": "and",
            "rules": [{"field": "tags", "lookup": "eq", "value": "Key account"}],
        },
    }
    data["segments"][1].pop("match")
    data["segments"][1]["criteria"] = {
        "op": "or",
        "rules": [
            {"field": "overdue_amount", "lookup": "gt", "value": "10000"},
            {
                "op": "and",
                "rules": [
                    {"field": "days_overdue", "lookup": "gte", "value": 90},
                    {"field": "country", "lookup": "in", "value": ["FR", "BE"]},
                ],
            },
        ],
    }
    data["segments"][1].pop("rules")
    wipe()
    config_import(text=yaml.safe_dump(data))
    assert {s.name: s.criteria for s in Segment.objects.all()} == expected
    exported = yaml.safe_load(config_dump())["segments"]
    assert all("criteria" not in segment for segment in exported)
    assert exported[0]["rules"] == [{"field": "tags", "op": "eq", "value": "Key account"}]


def test_import_upserts_by_name(people):
    config_import(text=DOCUMENT)
    steps = list(Step.objects.filter(scenario__name="standard").values_list("pk", flat=True))
    data = yaml.safe_load(DOCUMENT)
    data["scenarios"][0]["min_contact_days"] = 9
    data["scenarios"][0]["steps"] = data["scenarios"][0]["steps"][:3]
    data["templates"][1]["variants"]["en"] = {"subject": "Invoice", "body": "<p>Hi</p>"}
    data["segments"][2]["priority"] = 999
    summary = config_import(text=yaml.safe_dump(data))
    assert "Updated scenario 'standard'" in summary.lines()
    assert not summary.created
    standard = Scenario.objects.get(name="standard")
    assert standard.min_contact_days == 9
    # Steps kept in place (same ids) and the ones past the file's deleted.
    assert list(standard.steps.values_list("pk", flat=True)) == steps[:3]
    assert MessageTemplate.objects.get(name="first-reminder").variants.count() == 2
    assert Segment.objects.get(name="everyone").priority == 999


def test_dry_run_writes_nothing(people):
    summary = config_import(text=DOCUMENT, dry_run=True)
    assert len(summary.created) == 10
    assert counts() == (0, 0, 0, 0, 0)


def mutate(path_and_value):
    data = yaml.safe_load(DOCUMENT)
    for path, value in path_and_value:
        target = data
        for key in path[:-1]:
            target = target[key]
        if value is DELETE:
            del target[path[-1]]
        else:
            target[path[-1]] = value
    return yaml.safe_dump(data, allow_unicode=True)


DELETE = object()
STEPS = ("scenarios", 0, "steps")


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        (
            [((*STEPS, 2, "template"), "firts-reminder")],
            "scenarios[0].steps[2].template: unknown template 'firts-reminder'",
        ),
        (
            [(("templates", 0, "channel"), "fax")],
            "templates[0].channel: 'fax' is not one of email, sms, letter, call, task",
        ),
        (
            [(("templates", 0, "variants", "xx"), {"body": "x"})],
            "templates[0].variants.xx: unknown language (use en, fr, de, es, it, nl, pt, pt-br, "
            "pl, ro, hr, sv, tr, ja, zh-hans)",
        ),
        (
            [(("templates", 0, "variants", "fr", "body"), "<p>#contact_nme</p>")],
            "templates[0].variants.fr.body: #contact_nme: did you mean #contact_name?",
        ),
        (
            [(("templates", 2, "letter_type"), "registered")],
            "templates[2].letter_type: 'registered': only letters have one",
        ),
        (
            [(("templates", 1, "name"), "courtesy-reminder")],
            "templates[1].name: 'courtesy-reminder' appears twice",
        ),
        ([(("templates", 1, "name"), DELETE)], "templates[1].name: required"),
        (
            [((*STEPS, 3, "mode"), "auto")],
            "scenarios[0].steps[3].mode: Calls and tasks are always manual.",
        ),
        (
            [((*STEPS, 4, "mode"), "auto")],
            "scenarios[0].steps[4].mode: Automatic registered letters need a print-and-mail "
            "connector that posts registered letters: no entity has an active one.",
        ),
        (
            [((*STEPS, 0, "template"), "sms")],
            "scenarios[0].steps[0].template: This step needs a template of channel “Email”",
        ),
        (
            [((*STEPS, 0, "template"), DELETE)],
            "scenarios[0].steps[0].template: An automatic step needs a template.",
        ),
        ([((*STEPS, 0, "channel"), "pigeon")], "scenarios[0].steps[0].channel: 'pigeon'"),
        (
            [((*STEPS, 0, "offset_days"), "soon")],
            "scenarios[0].steps[0].offset_days: 'soon' is not a whole number",
        ),
        (
            [((*STEPS, 1, "responsibles", "users"), ["zoe"])],
            "scenarios[0].steps[1].responsibles.users: unknown user 'zoe'",
        ),
        (
            [((*STEPS, 1, "responsibles", "groups"), ["Nobody"])],
            "scenarios[0].steps[1].responsibles.groups: unknown group 'Nobody'",
        ),
        (
            [((*STEPS, 1, "copy_to", "contact_roles"), ["boss"])],
            "scenarios[0].steps[1].cc_contact_roles: Unknown contact role boss",
        ),
        ([(("scenarios", 0, "min_amount"), "0")], "scenarios[0].min_amount:"),
        (
            [(("scenarios", 0, "min_amount"), "lots")],
            "scenarios[0].min_amount: 'lots' is not an amount",
        ),
        (
            [(("scenarios", 0, "lookahead_days"), -1)],
            "scenarios[0].lookahead_days: must be at least 0",
        ),
        (
            [(("scenarios", 1, "entity"), "nowhere")],
            "scenarios[1].entity: unknown entity 'nowhere'",
        ),
        (
            [(("segments", 0, "scenario"), "standrad")],
            "segments[0].scenario: unknown scenario 'standrad'",
        ),
        (
            [(("segments", 1, "entity"), DELETE)],
            "segments[1].scenario: 'acme only' is restricted to the entity acme-fr",
        ),
        (
            [(("segments", 0, "rules", 0, "field"), "tag")],
            "segments[0].rules[0].field: unknown field 'tag': did you mean 'tags'?",
        ),
        ([(("segments", 0, "rules", 0, "field"), DELETE)], "segments[0].rules[0].field: required"),
        (
            [(("segments", 1, "rules", 0, "op"), "gtee")],
            "segments[1].rules[0].op: unknown operator 'gtee' (use eq, ne, gt, gte, lt, lte)",
        ),
        (
            [(("segments", 0, "rules", 0, "op"), "gt")],
            "segments[0].rules[0].op: 'gt' is not allowed on 'tags' (use eq, ne, in, is_empty)",
        ),
        (
            [(("segments", 1, "rules", 1, "rules", 0, "value"), "ninety")],
            "segments[1].rules[1].rules[0].value: 'ninety' is not a whole number",
        ),
        (
            [(("segments", 1, "rules", 0, "value"), DELETE)],
            "segments[1].rules[0].value: a value is required",
        ),
        (
            [(("segments", 0, "rules", 0, "lookup"), "eq")],
            "segments[0].rules[0]: unknown key 'lookup' (use field, op, value)",
        ),
        (
            [(("segments", 1, "rules", 1, "op"), "and")],
            "segments[1].rules[1]: unknown key 'op' in a group (use match, rules)",
        ),
        ([(("segments", 1, "rules", 1), "tags")], "segments[1].rules[1]: must be a mapping"),
        ([(("segments", 0, "match"), "some")], "segments[0].match: 'some' is not one of all, any"),
        ([(("segments", 0, "rules"), "tags")], "segments[0].rules: must be a list"),
        (
            [(("segments", 0, "criteria"), {"op": "and", "rules": []})],
            "segments[0].criteria: write either criteria or match and rules, not both",
        ),
        (
            [
                (("segments", 0, "rules"), DELETE),
                (("segments", 0, "match"), DELETE),
                (("segments", 0, "criteria"), {"rules": [{"field": "tag", "value": "x"}]}),
            ],
            "segments[0].criteria: Rule 1: no field is called 'tag'.",
        ),
        ([(("segments", 0, "active"), "maybe")], "segments[0].active: must be true or false"),
        ([(("extras",), [])], "extras: unknown section"),
        ([(("scenarios",), {"name": "x"})], "scenarios: must be a list"),
    ],
)
def test_every_import_error_names_its_path_and_nothing_is_written(people, changes, error):
    with pytest.raises(ConfigError) as caught:
        config_import(text=mutate(changes))
    assert any(line.startswith(error) for line in caught.value.errors), caught.value.errors
    assert counts() == (0, 0, 0, 0, 0)


def test_not_yaml(people):
    with pytest.raises(ConfigError) as caught:
        config_import(text="templates: [\n  - {name: x")
    assert caught.value.errors[0].startswith("line ")
    with pytest.raises(ConfigError, match="file: a mapping"):
        config_import(text="- 1\n- 2\n")


def test_every_error_at_once_and_nothing_changed(people):
    config_import(text=DOCUMENT)
    before = config_export()
    data = yaml.safe_load(DOCUMENT)
    data["scenarios"][0]["min_contact_days"] = 1
    data["scenarios"][0]["steps"][2]["template"] = "firts-reminder"
    data["segments"][0]["scenario"] = "nope"
    with pytest.raises(ConfigError) as caught:
        config_import(text=yaml.safe_dump(data))
    assert len(caught.value.errors) == 2
    assert config_export() == before


def test_reference_to_existing_objects(people):
    config_import(text=DOCUMENT)
    only_segment = {
        "segments": [
            {
                "name": "gb",
                "priority": 5,
                "scenario": "standard",
                "criteria": {
                    "op": "and",
                    "rules": [{"field": "country", "lookup": "eq", "value": "GB"}],
                },
            }
        ],
        "scenarios": [
            {
                "name": "other",
                "steps": [
                    {"name": "x", "channel": "email", "mode": "auto", "template": "first-reminder"}
                ],
            }
        ],
    }
    summary = config_import(text=yaml.safe_dump(only_segment))
    assert summary.created == ["scenario 'other'", "segment 'gb'"]
    assert Segment.objects.get(name="gb").scenario.name == "standard"


def test_command(people, tmp_path):
    source = tmp_path / "in.yaml"
    source.write_text(DOCUMENT, encoding="utf-8")
    out = StringIO()
    call_command("config", "import", str(source), "--dry-run", stdout=out)
    assert "Dry run: nothing was written." in out.getvalue()
    assert Scenario.objects.count() == 0
    call_command("config", "import", str(source), stdout=StringIO())
    target = tmp_path / "out.yaml"
    call_command("config", "export", str(target), stdout=StringIO())
    assert yaml.safe_load(target.read_text())["scenarios"][1]["name"] == "standard"
    bad = tmp_path / "bad.yaml"
    broken = copy.deepcopy(yaml.safe_load(DOCUMENT))
    broken["segments"][0]["scenario"] = "nope"
    bad.write_text(yaml.safe_dump(broken), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="1 error"):
        call_command("config", "import", str(bad), stderr=err)
    assert "segments[0].scenario: unknown scenario 'nope'" in err.getvalue()
    with pytest.raises(CommandError, match="No such file"):
        call_command("config", "import", str(tmp_path / "missing.yaml"))


def test_default_setup_round_trips(acme):
    from relance.core.defaults import run_defaults

    run_defaults()
    exported = config_dump()
    before = config_export()
    wipe()
    config_import(text=exported)
    assert config_export() == before
