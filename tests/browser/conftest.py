"""Browser tests' shared steps."""

import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On SQLite the browser tests use a database file, as the demo does, not Django's
    shared in-memory database. Pages here start imports in a thread of the server: in
    shared-cache memory SQLite locks whole tables and fails at once ("database table is
    locked") where a file in WAL mode lets readers on and makes a writer wait its turn."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        folder = Path(tempfile.mkdtemp(prefix="relance-browser-"))
        database.setdefault("TEST", {})["NAME"] = str(folder / "test.sqlite3")


@pytest.fixture
def log_in(live_server, page):
    """`log_in(username, start="/")`: open `start`, log in through the form, and wait for
    the page it lands on to fire its load event: its scripts (htmx, keyboard shortcuts) run
    at the end of the page, and a test that types or chooses before them is flaky."""
    from relance.accounts.tests.factories import PASSWORD

    def _log_in(username: str = "alice", start: str = "/"):
        page.goto(live_server.url + start)
        expect(page).to_have_url(re.compile(r"/login/"))
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(lambda url: "/login/" not in url, wait_until="load")

    return _log_in


@pytest.fixture
def switch_language(page):
    """`switch_language("fr")`: choose a language in the header's menu, as a user does
    (open the menu, click the language named in its own words), and wait for the page."""

    def _switch(code: str):
        form = page.locator("form.language-form").first
        form.locator(".language-toggle").click()
        with page.expect_navigation(wait_until="load"):
            form.locator(f'button[name="language"][value="{code}"]').click()

    return _switch


@pytest.fixture(autouse=True)
def _no_content_security_policy_violation(request):
    """Every browser test also checks that Chromium refused nothing under the
    Content-Security-Policy (it says so in the console: "…violates the following Content
    Security Policy directive…")."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield
    assert refused == []
