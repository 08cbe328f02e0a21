"""Shared fixtures: the personas of the tests (Acme France, alice the credit manager,
bob the collector) and the browser set-up for Chromium."""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright runs an event loop

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def _english_between_tests():
    """A request in French leaves French active in the thread; start every test in English."""
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters (the customer's page) live in the cache: every test starts with
    none, whatever the tests before it posted (the hostile-input walkers post everywhere)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def acme(db):
    from relance.core.tests.factories import EntityFactory

    return EntityFactory(
        slug="acme-fr",
        name="Acme France",
        country="FR",
        currency="EUR",
        language="fr",
        time_zone="Europe/Paris",
    )


@pytest.fixture
def globex(db):
    from relance.core.tests.factories import EntityFactory

    return EntityFactory(
        slug="globex-uk",
        name="Globex UK",
        country="GB",
        currency="GBP",
        language="en",
        time_zone="Europe/London",
        holidays_country="GB",
    )


@pytest.fixture
def alice(db, acme):
    """The credit manager, who sees every entity."""
    from relance.accounts.tests.factories import UserFactory

    return UserFactory(username="alice", role="credit_manager", all_entities=True)


@pytest.fixture
def bob(db, acme):
    """A collector limited to Acme France."""
    from relance.accounts.tests.factories import UserFactory

    user = UserFactory(username="bob", role="collector")
    user.entities.set([acme])
    return user


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": CHROMIUM_ARGS,
    }
