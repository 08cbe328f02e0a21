"""Examples G, H and I of the contract's amendment 1 from the command line alone: the
commands of the README section "Reproduce the amendment's examples G, H and I", run through
call_command on the files of docs/examples/amendment-1/, give the examples' dates in
`relance actions export` (G: no loop any more; H: the late preventive call skipped on the
due date) and refuse example I's scenario."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.core.management import CommandError

from relance.engine.models import EngineError
from relance.engine.tests.test_example_a_cli import ENTITY, ROOT, relance
from relance.scenarios.models import Scenario

EXAMPLE = "docs/examples/amendment-1"
CONNECTOR = (
    'relance shell -c "from relance.delivery.models import Connector; '
    "from relance.core.models import Entity; Connector.objects.create("
    "entity=Entity.objects.get(slug='acme-fr'), channel='letter', kind='console')\""
)
COMMANDS = [
    ENTITY,
    CONNECTOR,
    f"relance config import {EXAMPLE}/config.yaml",
    f"relance import customers {EXAMPLE}/customers.csv --entity acme-fr",
    f"relance import contacts {EXAMPLE}/contacts.csv --entity acme-fr",
    f"relance import items {EXAMPLE}/items.csv --entity acme-fr",
]
LOOP_H = (
    'for d in $(seq 0 60); do relance run --date $(date -d "2026-01-15 + $d day" +%F) '
    "--entity acme-fr --strict; done"
)
LOOP_G = (
    'for d in $(seq 0 25); do relance run --date $(date -d "2026-05-06 + $d day" +%F) '
    "--entity acme-fr --strict; done"
)
EXPORT = "relance actions export --entity acme-fr"
REFUSED = f"relance config import {EXAMPLE}/config-refused.yaml"
REFUSAL = (
    "scenarios[0].steps[1]: step 2 `courtesy` (due date −19) comes after step 1 `call` "
    "(due date +51): reorder the steps"
)
EXPECTED = [
    # customer, step, channel, mode, status, reason, reference, created_on, due_date, finished_on
    ["H", "courtesy", "call", "manual", "skipped", "already due", "A1", "2026-01-19",
     "2026-01-26", "2026-01-31"],
    ["H", "first", "email", "auto", "sent", "", "A1", "2026-01-31", "2026-02-03", "2026-02-03"],
    ["H", "second", "email", "auto", "sent", "", "A1", "2026-02-08", "2026-02-15", "2026-02-15"],
    ["H", "notice", "registered_letter", "manual", "planned", "", "A1", "2026-02-23",
     "2026-03-02", ""],
    ["G", "letter", "registered_letter", "auto", "skipped", "already due", "G1", "2026-05-06",
     "2026-05-06", "2026-05-06"],
]  # fmt: skip


def test_the_readme_shows_these_very_commands():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Reproduce the amendment's examples G, H and I", 1)[1]
    section = section.split("\n## ", 1)[0]
    for line in [*COMMANDS, LOOP_H, LOOP_G, EXPORT, REFUSED, REFUSAL]:
        assert line in section, line
    for row in EXPECTED:
        assert ",".join(row[1:]) in section, row


def _run_days(start: date, days: int) -> None:
    for offset in range(days):  # the README's shell loops
        relance(f"relance run --date {start + timedelta(offset)} --entity acme-fr --strict")


@pytest.mark.django_db
def test_examples_g_and_h_from_the_command_line(capsys):
    for line in COMMANDS:
        relance(line)
    _run_days(date(2026, 1, 15), 61)
    _run_days(date(2026, 5, 6), 26)  # G: before the amendment, this run aborted
    capsys.readouterr()
    out = io.StringIO()
    relance(EXPORT, stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    columns = ["customer_external_id", "step", "channel", "mode", "status", "reason"]
    columns += ["reference_number", "created_on", "due_date", "finished_on"]
    assert [[row[c] for c in columns] for row in rows] == EXPECTED
    assert not EngineError.objects.exists()


@pytest.mark.django_db
def test_example_i_is_refused_by_config_import_and_nothing_is_written(capsys):
    with pytest.raises(CommandError, match="nothing was imported"):
        relance(REFUSED)
    assert REFUSAL in capsys.readouterr().err
    assert not Scenario.objects.filter(name="I").exists()
