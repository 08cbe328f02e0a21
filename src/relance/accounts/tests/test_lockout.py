"""Login throttling through the real login page: a username locked after AXES_FAILURE_LIMIT
failures, an address after AXES_IP_FAILURE_LIMIT, the page saying until when, the cool-off,
`relance unlock`, and the events in the audit trail."""

from datetime import timedelta
from io import StringIO

import pytest
from auditlog.models import LogEntry
from axes.models import AccessAttempt
from django.core.management import CommandError, call_command
from django.db.models import F
from django.urls import reverse

from relance.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")


def _log_in(client, username, password="wrong-password-1", address="127.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def _fail(client, username, times, address="127.0.0.1"):
    for _ in range(times):
        _log_in(client, username, address=address)


def _events(user) -> list[str]:
    """The security events on the user's audit trail (not the changes to the account)."""
    entries = LogEntry.objects.get_for_object(user).order_by("timestamp", "pk")
    return [e.additional_data["event"] for e in entries if (e.additional_data or {}).get("event")]


def test_a_username_is_locked_after_the_limit_and_the_page_says_until_when(client, alice):
    _fail(client, "alice", 4)
    response = _log_in(client, "alice")  # the 5th failure locks
    assert response.status_code == 429
    assert "locked until" in response.text
    response = _log_in(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert "locked until" in response.text
    assert "_auth_user_id" not in client.session
    assert 'value="alice"' in response.text  # the login page, in the layout, not a bare page


def test_a_username_is_locked_from_every_address(client, alice):
    for number in range(5):
        _log_in(client, "alice", address=f"198.51.100.{number}")
    assert _log_in(client, "alice", PASSWORD, address="203.0.113.9").status_code == 429


def test_another_colleague_behind_the_same_address_still_logs_in(client, alice, bob):
    _fail(client, "alice", 5)
    response = _log_in(client, "bob", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(bob.pk)


def test_an_address_is_locked_after_its_own_limit_across_usernames(client, alice, settings):
    settings.AXES_IP_FAILURE_LIMIT = 8
    for number in range(8):
        _log_in(client, f"guess{number}")  # each username stays under its own limit
    assert _log_in(client, "alice", PASSWORD).status_code == 429
    assert _log_in(client, "alice", PASSWORD, address="203.0.113.9").status_code == 302


def test_below_the_limit_a_success_clears_the_username_failures(client, alice):
    _fail(client, "alice", 4)
    assert _log_in(client, "alice", PASSWORD).status_code == 302
    client.logout()
    _fail(client, "alice", 4)
    assert _log_in(client, "alice", PASSWORD).status_code == 302


def test_the_lock_ends_with_the_cool_off(client, alice, settings):
    _fail(client, "alice", 5)
    assert _log_in(client, "alice", PASSWORD).status_code == 429
    # The clock moved on: the failures are now older than the cool-off.
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )
    assert _log_in(client, "alice", PASSWORD).status_code == 302


def test_attempts_during_the_lock_do_not_push_its_end(client, alice, settings):
    _fail(client, "alice", 5)
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME + timedelta(seconds=2)
    )
    _fail(client, "alice", 3)  # refused, not recorded
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(seconds=3))
    assert _log_in(client, "alice", PASSWORD).status_code == 302


def test_relance_unlock_lifts_a_username_lock(client, alice):
    _fail(client, "alice", 5)
    out = StringIO()
    call_command("unlock", "alice", stdout=out)
    assert "alice: unlocked" in out.getvalue()
    assert _log_in(client, "alice", PASSWORD).status_code == 302
    assert "unlocked" in _events(alice)


def test_relance_unlock_lifts_an_address_lock(client, alice, settings):
    settings.AXES_IP_FAILURE_LIMIT = 3
    _fail(client, "nobody", 1)
    _fail(client, "someone", 1)
    _fail(client, "anyone", 1)
    assert _log_in(client, "alice", PASSWORD).status_code == 429
    call_command("unlock", ip="127.0.0.1", stdout=StringIO())
    assert _log_in(client, "alice", PASSWORD).status_code == 302


def test_relance_unlock_needs_a_username_or_an_address():
    with pytest.raises(CommandError, match="username or an address"):
        call_command("unlock", stdout=StringIO())


def test_failures_lockouts_and_logins_are_in_the_users_audit_trail(client, alice):
    _fail(client, "alice", 5)
    _log_in(client, "alice", PASSWORD)
    call_command("unlock", "alice", stdout=StringIO())
    _log_in(client, "alice", PASSWORD)
    assert _events(alice) == [
        *["login failed"] * 4,
        "locked out",
        "login refused: locked out",
        "unlocked",
        "logged in",
    ]
    lockout = LogEntry.objects.get_for_object(alice).get(additional_data__event="locked out")
    assert lockout.remote_addr == "127.0.0.1"
    assert lockout.additional_data["until"]


def test_a_test_login_without_the_form_leaves_no_login_event(client):
    user = UserFactory(username="carol")
    client.force_login(user)
    assert _events(user) == []
