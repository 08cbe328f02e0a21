"""`relance serve` keeps its processes together: one that ends stops the others, and it
refuses to serve the debug settings. Gunicorn's configuration reads the environment."""

import importlib
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from relance.core.management.commands.serve import (
    _child_setup,
    gunicorn_argv,
    serve_commands,
    supervise,
)


def test_a_process_that_exits_stops_the_others_and_gives_its_code(tmp_path):
    pid_file = tmp_path / "long.pid"
    long_running = (
        f"import os, time; open({str(pid_file)!r}, 'w').write(str(os.getpid())); time.sleep(120)"
    )
    short = f"import os, sys, time\nwhile not os.path.exists({str(pid_file)!r}): time.sleep(0.05)\n"
    commands = {
        "web": [sys.executable, "-c", long_running],
        "worker": [sys.executable, "-c", short + "sys.exit(3)"],
    }

    code = supervise(commands)

    assert code == 3
    with pytest.raises(ProcessLookupError):  # stopped and reaped, not left behind
        os.kill(int(pid_file.read_text()), 0)


def test_serve_refuses_the_debug_settings(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("serve", "--web-only")


def test_gunicorn_options_come_from_the_command_line():
    argv = gunicorn_argv("127.0.0.1:9000", 3, 2)
    assert argv[-6:] == ["--bind", "127.0.0.1:9000", "--workers", "3", "--threads", "2"]
    assert "python:relance.config.gunicorn" in argv


def test_gunicorn_config_reads_the_environment(monkeypatch):
    monkeypatch.setenv("RELANCE_BIND", "127.0.0.1:8100,unix:/tmp/relance.sock")
    monkeypatch.setenv("WEB_CONCURRENCY", "5")
    monkeypatch.setenv("WEB_THREADS", "3")
    from relance.config import gunicorn

    config = importlib.reload(gunicorn)

    assert config.bind == ["127.0.0.1:8100", "unix:/tmp/relance.sock"]
    assert (config.workers, config.threads, config.worker_class) == (5, 3, "gthread")
    assert config.logger_class == "relance.config.logging.GunicornLogger"


@pytest.mark.parametrize(("background", "lower"), [(True, 7), (False, 0)])
def test_background_work_runs_below_the_pages(settings, background, lower):
    settings.BACKGROUND_NICE = 7
    niceness = [sys.executable, "-c", "import os; print(os.nice(0))"]

    child = subprocess.run(
        niceness, preexec_fn=_child_setup(background=background), capture_output=True, text=True
    )

    assert int(child.stdout) == min(os.nice(0) + lower, 19)


@pytest.mark.parametrize(("command", "lower"), [("run", 5), ("worker", 5), ("runserver", 0)])
def test_background_commands_lower_their_own_priority(command, lower):
    script = (
        "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'relance.config.settings'); "
        "from relance.__main__ import lower_background_priority; "
        f"lower_background_priority(['relance', {command!r}]); print(os.nice(0))"
    )
    env = {**os.environ, "RELANCE_BACKGROUND_NICE": "5"}

    child = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)

    assert int(child.stdout) == min(os.nice(0) + lower, 19), child.stderr


def test_without_a_broker_the_send_tick_runs_beside_gunicorn(settings):
    settings.CELERY_BROKER_URL, settings.SEND_TICK_IN_PROCESS = "", True
    commands = serve_commands("", None, None, 2, web_only=False)
    assert list(commands) == ["web", "tick"]
    assert commands["tick"][-3:] == ["relance", "tick", "--loop"]
    assert list(serve_commands("", None, None, 2, web_only=True)) == ["web"]
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    assert list(serve_commands("", None, None, 2, web_only=False)) == ["web", "worker", "beat"]
