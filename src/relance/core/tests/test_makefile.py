"""The README's commands as a reader types them: `make demo PORT=8010` serves on that port,
and the links the demo's messages carry point there too."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize("target", ["demo", "serve-prod"])
def test_the_port_is_chosen_on_the_command_line(target):
    printed = subprocess.run(
        ["make", "-n", target, "PORT=8010"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    serving = [line for line in printed.splitlines() if "runserver" in line or " serve " in line]
    assert serving and "127.0.0.1:8010" in serving[-1] and "8000" not in serving[-1]
    assert "SITE_URL=http://127.0.0.1:8010" in serving[-1]
