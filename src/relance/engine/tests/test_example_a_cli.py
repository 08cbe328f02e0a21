"""The spec's example A from the command line alone: the commands of the README section
"Reproduce the spec's example A from the command line", run through call_command on the
files of docs/examples/example-a/, give the spec's dates in `relance actions export`."""

import csv
import io
import shlex
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[4]
EXAMPLE = "docs/examples/example-a"
ENTITY = (
    'relance entity create acme-fr --name "Acme France" --country FR --currency EUR '
    "--working-days mon,tue,wed,thu,fri,sat,sun --holidays none"
)
COMMANDS = [
    ENTITY,
    f"relance import customers {EXAMPLE}/customers.csv --entity acme-fr",
    f"relance import contacts {EXAMPLE}/contacts.csv --entity acme-fr",
    f"relance import items {EXAMPLE}/items.csv --entity acme-fr",
    f"relance config import {EXAMPLE}/config.yaml",
]
LOOP = (
    'for d in $(seq 0 60); do relance run --date $(date -d "2026-01-15 + $d day" +%F) '
    "--entity acme-fr; done"
)
EXPORT = "relance actions export --entity acme-fr"
EXPECTED = [
    # step, channel, mode, status, reason, reference, created_on, due_date, finished_on
    ["courtesy", "email", "auto", "sent", "", "A1", "2026-01-19", "2026-01-26", "2026-01-26"],
    ["first", "email", "auto", "sent", "", "A1", "2026-01-27", "2026-02-03", "2026-02-03"],
    ["second", "email", "auto", "sent", "", "A1", "2026-02-08", "2026-02-15", "2026-02-15"],
    ["notice", "registered_letter", "manual", "planned", "", "A1", "2026-02-23", "2026-03-02", ""],
]


def relance(line: str, **kwargs) -> None:
    """`relance …` as call_command, relative paths read from the repository's root."""
    args = shlex.split(line)[1:]
    args = [str(ROOT / arg) if arg.startswith(EXAMPLE) else arg for arg in args]
    call_command(*args, **kwargs)


def test_the_readme_shows_these_very_commands():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Reproduce the spec's example A from the command line", 1)[1]
    section = section.split("\n## ", 1)[0]
    for line in [*COMMANDS, LOOP, EXPORT]:
        assert line in section, line
    for row in EXPECTED:
        assert ",".join(row) in section


@pytest.mark.django_db
def test_example_a_from_the_command_line(capsys):
    for line in COMMANDS:
        relance(line)
    start = date(2026, 1, 15)
    for offset in range(61):  # the README's shell loop
        relance(f"relance run --date {start + timedelta(offset)} --entity acme-fr")
    capsys.readouterr()
    out = io.StringIO()
    relance(EXPORT, stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    columns = ["step", "channel", "mode", "status", "reason", "reference_number"]
    columns += ["created_on", "due_date", "finished_on"]
    assert [[row[c] for c in columns] for row in rows] == EXPECTED
    assert {(row["customer_external_id"], row["scenario"]) for row in rows} == {("A", "S")}
    assert [m.to for m in mail.outbox] == [["claire.martin@customer-a.example"]] * 3
    assert [m.subject for m in mail.outbox] == [
        "Invoice A1 falls due soon",
        "Invoice A1 is overdue",
        "Second reminder: invoice A1",
    ]
