"""What a command line start imports: `relance run` (and `--help`) set Django up and load
the command without the heavy libraries that only some paths use (PDFs, Celery, the
assistant's model, spreadsheets). Counted, not timed: bench_cycles and the closing note
give the times."""

import json
import os
import subprocess
import sys

import pytest

HEAVY = ("weasyprint", "celery", "kombu", "pypdf", "sklearn", "openpyxl", "numpy", "scipy")

SCRIPT = """
import json, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "relance.config.settings"
import django
django.setup()
from django.core.management import get_commands, load_command_class
for name in sys.argv[1:]:
    command = load_command_class(get_commands()[name], name)
    checks = command.requires_system_checks  # what BaseCommand.execute runs before handle()
    if checks:
        command.check(tags=None if checks == "__all__" else checks)
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in %r)))
"""


def _loaded(tmp_path, *commands: str) -> list[str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'startup.sqlite3'}",
        "RELANCE_VAR": str(tmp_path),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT % (HEAVY,), *commands],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("commands", [(), ("run",), ("tick",)])
def test_a_command_starts_without_the_heavy_libraries(tmp_path, commands):
    assert _loaded(tmp_path, *commands) == []


def test_the_tasks_bring_their_configured_celery_app(tmp_path):
    """Celery comes with the tasks modules, and the app they run on is the project's
    (its broker settings), not a default one."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'startup.sqlite3'}"}
    env["RELANCE_VAR"] = str(tmp_path)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    script = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'relance.config.settings'\n"
        "import django; django.setup()\n"
        "from relance.engine.tasks import engine_tick\n"
        "from celery import current_app\n"
        "print(current_app.main, engine_tick.app.main)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["relance", "relance"]
