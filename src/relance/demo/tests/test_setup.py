"""`relance setup` (core/management/commands/setup.py) and its registry (core/defaults.py)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from relance.accounts.models import User
from relance.core import defaults
from relance.core.management.commands import setup
from relance.customers.models import Tag


def run_setup(**options) -> str:
    out = StringIO()
    call_command("setup", stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db
def test_setup_creates_the_default_tags_once():
    Tag.objects.create(name="Export")

    first = run_setup()
    counts = (Tag.objects.count(), User.objects.count())
    second = run_setup()

    assert "Created tag 'Key account'" in first and "'Export'" not in first
    assert set(Tag.objects.values_list("name", flat=True)) == {
        "Key account",
        "Public sector",
        "Export",
    }
    assert second.strip() == "Everything was already in place."
    assert (Tag.objects.count(), User.objects.count()) == counts


@pytest.mark.django_db
def test_setup_creates_the_administrator_from_the_environment(monkeypatch):
    monkeypatch.setenv("RELANCE_ADMIN_PASSWORD", "a-long-admin-secret")

    output = run_setup(admin="root", email="root@example.com")
    again = run_setup(admin="root", email="root@example.com")

    root = User.objects.get(username="root")
    assert "Created administrator 'root'" in output
    assert (root.role, root.is_superuser, root.is_staff, root.email) == (
        "administrator",
        True,
        True,
        "root@example.com",
    )
    assert root.check_password("a-long-admin-secret")
    assert "already exists" in again and User.objects.filter(username="root").count() == 1


@pytest.mark.django_db
def test_setup_refuses_an_administrator_without_a_password(monkeypatch):
    monkeypatch.delenv("RELANCE_ADMIN_PASSWORD", raising=False)

    with pytest.raises(CommandError, match="RELANCE_ADMIN_PASSWORD is not set"):
        run_setup(admin="root")

    assert not User.objects.filter(username="root").exists()
    assert not Tag.objects.exists()  # nothing half-done


@pytest.mark.django_db
def test_setup_refuses_an_unmigrated_database(monkeypatch):
    monkeypatch.setattr(setup, "pending_migrations", lambda: ["ledger.0002_disputes"])

    with pytest.raises(CommandError, match=r"not migrated.*relance migrate"):
        run_setup()


@pytest.mark.django_db
def test_the_migrated_test_database_has_no_pending_migrations():
    assert defaults.pending_migrations() == []


def test_registered_defaults_run_in_order_and_once(monkeypatch):
    monkeypatch.setattr(defaults, "_REGISTRY", [])
    calls = []

    @defaults.register(order=20)
    def later():
        calls.append("later")
        return ["later thing"]

    @defaults.register(order=5)
    def sooner():
        calls.append("sooner")
        return []

    defaults.register(later)
    monkeypatch.setattr(defaults, "autodiscover_modules", lambda name: None)

    assert defaults.run_defaults() == ["later thing"]
    assert calls == ["sooner", "later"]
