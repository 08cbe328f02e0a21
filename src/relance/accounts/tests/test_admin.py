"""The user admin: a collector or responsible is not made read-only before their work is
given to someone else; an administrator turns off a user's lost two-factor device."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from relance.accounts.tests.factories import UserFactory
from relance.customers.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def root_client(client):
    client.force_login(
        UserFactory(username="root", role="administrator", is_staff=True, is_superuser=True)
    )
    return client


def change_data(user, **changes) -> dict:
    data = {
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "role": user.role,
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00:00",
        "language": "",
        "phone": "",
    }
    return {**data, **changes}


def test_a_collector_is_not_made_read_only(root_client, acme, bob):
    CustomerFactory(entity=acme, collector=bob)
    url = reverse("admin:accounts_user_change", args=[bob.pk])
    response = root_client.post(url, change_data(bob, role="read_only"))
    assert response.status_code == 200
    assert "bob collects 1 customers" in response.text
    bob.refresh_from_db()
    assert bob.role == "collector"


def test_a_user_without_work_is_made_read_only(root_client, bob):
    url = reverse("admin:accounts_user_change", args=[bob.pk])
    response = root_client.post(url, change_data(bob, role="read_only"))
    assert response.status_code == 302
    bob.refresh_from_db()
    assert bob.role == "read_only"


def test_an_administrator_turns_off_a_lost_device(root_client, bob):
    TOTPDevice.objects.create(user=bob, name="phone", confirmed=True)
    response = root_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "turn_off_two_factor", "_selected_action": [bob.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=bob).exists()


def test_the_admin_shows_no_device_secret(root_client, bob):
    device = TOTPDevice.objects.create(user=bob, name="phone", confirmed=True)
    page = root_client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert page.status_code == 200
    assert device.key not in page.text
    assert root_client.get(f"/admin/otp_totp/totpdevice/{device.pk}/config/").status_code != 200
