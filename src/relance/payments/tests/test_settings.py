import os
import subprocess
import sys

SHOW = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'])"
)


def settings_of(**environ) -> subprocess.CompletedProcess:
    """The settings as a fresh process reads them from this environment."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "relance.config.settings", **environ}
    return subprocess.run(
        [sys.executable, "-c", SHOW], env=env, capture_output=True, text=True, timeout=60
    )


def test_the_card_form_may_redirect_to_stripe_only_with_a_key():
    with_key = settings_of(STRIPE_SECRET_KEY="sk_test_relance")
    without = settings_of(STRIPE_SECRET_KEY="")

    assert "https://checkout.stripe.com" in with_key.stdout
    assert "stripe" not in without.stdout


def test_a_bad_api_base_names_the_variable_not_its_value():
    result = settings_of(STRIPE_API_BASE="ftp://secret-host.example")

    assert result.returncode != 0
    assert "STRIPE_API_BASE" in result.stderr
    assert "secret-host" not in result.stderr
