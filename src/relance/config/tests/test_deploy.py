"""Production settings: `check --deploy` is silent with the variables docs/deploy.md lists,
and those variables reach Django's HTTPS settings."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

DEPLOY_MD = Path(__file__).resolve().parents[4] / "docs" / "deploy.md"
BASE_ENV = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}


def documented_env() -> dict[str, str]:
    """The `sh` block of docs/deploy.md's "Security settings", with a real SECRET_KEY for
    its placeholder."""
    section = DEPLOY_MD.read_text().split("## Security settings", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL).group(1)
    variables = dict(line.split("=", 1) for line in block.splitlines() if "=" in line)
    assert variables["SECRET_KEY"].startswith("<")
    variables["SECRET_KEY"] = secrets.token_urlsafe(50)
    return variables


def relance(tmp_path, *args, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "relance", *args],
        env={**BASE_ENV, "RELANCE_VAR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_silent_with_the_documented_production_settings(tmp_path):
    result = relance(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **documented_env())

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_check_deploy_warns_when_one_of_them_is_missing(tmp_path):
    production = documented_env()
    del production["SECURE_HSTS_SECONDS"]

    result = relance(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **production)

    assert result.returncode != 0
    assert "security.W004" in result.stderr


def test_the_variables_reach_the_https_settings(tmp_path):
    script = (
        "from django.conf import settings as s;"
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
        " s.SECURE_HSTS_PRELOAD, s.SECURE_PROXY_SSL_HEADER, s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE)"
    )

    result = relance(tmp_path, "shell", "--no-imports", "-c", script, **documented_env())

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "True 31536000 True True ('HTTP_X_FORWARDED_PROTO', 'https') True True"
    )
