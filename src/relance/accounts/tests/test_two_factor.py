"""Two-factor authentication through the real pages: setting up an authenticator (codes
computed with django-otp's own TOTP), the second step of a login, recovery codes, turning it
off, and the entity setting that makes it mandatory."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from relance.accounts import services
from relance.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_wait_after_a_wrong_code(settings):
    """django-otp makes a device wait 1, 2, 4… seconds after each wrong code; these tests
    type the right code right after a wrong one (the wait has its own test)."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


SETUP = reverse("accounts:two-factor-setup")
VERIFY = reverse("accounts:two-factor-verify")
CUSTOMERS = reverse("customers:list")


def code_of(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the user's phone shows (`steps_ahead` periods later: codes are single-use)."""
    drift = device.drift + steps_ahead
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, drift):06d}"


def enrolled(user) -> tuple[TOTPDevice, list[str]]:
    device = services.two_factor_enrolment_start(user=user)
    return services.two_factor_enable(user=user, token=code_of(device))


def log_in(client, username):
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.text
    return response


def test_setting_up_shows_a_qr_code_then_the_recovery_codes_once(client, bob):
    client.force_login(bob)
    page = client.get(SETUP)
    assert page.status_code == 200
    assert "<svg" in page.text
    assert "https://" not in page.text.split("two-factor-qr", 1)[1].split("</div>", 1)[0]
    device = TOTPDevice.objects.get(user=bob, confirmed=False)
    assert client.get(SETUP).text.count("<svg") == 1  # the same device on reload
    assert TOTPDevice.objects.filter(user=bob).count() == 1

    wrong = client.post(SETUP, {"token": "000000" if code_of(device) != "000000" else "111111"})
    assert wrong.status_code == 400
    assert "This code is not valid" in wrong.text

    done = client.post(SETUP, {"token": code_of(device)})
    assert done.status_code == 200
    codes = re.findall(r'<li class="col">(\w+)</li>', done.text)
    assert len(codes) == 10
    assert sorted(codes) == sorted(
        StaticToken.objects.filter(device__user=bob).values_list("token", flat=True)
    )
    device.refresh_from_db()
    assert device.confirmed
    assert "recovery codes left" in client.get(reverse("accounts:security")).text


def test_a_login_asks_for_the_code_before_any_page(client, bob):
    device, _codes = enrolled(bob)
    log_in(client, "bob")
    response = client.get(CUSTOMERS)
    assert response.status_code == 302
    assert response.url.startswith(VERIFY)
    assert client.get(reverse("api-schema")).status_code == 302  # the API too

    refused = client.post(VERIFY, {"token": "12345", "next": CUSTOMERS})
    assert refused.status_code == 400
    assert client.get(CUSTOMERS).status_code == 302

    accepted = client.post(VERIFY, {"token": code_of(device, 1), "next": CUSTOMERS})
    assert accepted.status_code == 302
    assert accepted.url == CUSTOMERS
    assert client.get(CUSTOMERS).status_code == 200


def test_a_recovery_code_logs_in_once(client, bob):
    _device, codes = enrolled(bob)
    log_in(client, "bob")
    typed = f" {codes[0][:4].upper()}-{codes[0][4:]} "  # as people type them
    assert client.post(VERIFY, {"token": typed}).status_code == 302
    assert client.get(CUSTOMERS).status_code == 200
    client.logout()
    log_in(client, "bob")
    assert client.post(VERIFY, {"token": codes[0]}).status_code == 400
    assert client.get(CUSTOMERS).status_code == 302


def test_new_recovery_codes_replace_the_old_ones(client, bob):
    _device, old = enrolled(bob)
    client.force_login(bob)
    client.post(VERIFY, {"token": old[1]})
    response = client.post(reverse("accounts:recovery-codes"))
    new = re.findall(r'<li class="col">(\w+)</li>', response.text)
    assert len(new) == 10
    with pytest.raises(ValidationError):
        services.two_factor_verify(user=bob, token=old[2])
    assert services.two_factor_verify(user=bob, token=new[0]).user == bob


def test_turning_it_off_needs_a_current_code(client, bob):
    device, _codes = enrolled(bob)
    client.force_login(bob)
    client.post(VERIFY, {"token": code_of(device, 1)})
    refused = client.post(reverse("accounts:two-factor-disable"), {"token": "999999x"})
    assert refused.status_code == 400
    assert TOTPDevice.objects.filter(user=bob).exists()
    done = client.post(reverse("accounts:two-factor-disable"), {"token": code_of(device, 2)})
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=bob).exists()
    assert not StaticToken.objects.filter(device__user=bob).exists()


def test_an_entity_can_require_it_of_its_administrators_and_credit_managers(
    client, acme, alice, bob
):
    acme.two_factor_required = True
    acme.save()
    client.force_login(bob)  # a collector: not concerned
    assert client.get(CUSTOMERS).status_code == 200

    client.force_login(alice)  # a credit manager without an authenticator
    response = client.get(CUSTOMERS)
    assert response.status_code == 302
    assert response.url.startswith(SETUP)
    page = client.get(SETUP)
    assert "requires two-factor authentication" in page.text
    device = TOTPDevice.objects.get(user=alice)
    client.post(SETUP, {"token": code_of(device)})
    assert client.get(CUSTOMERS).status_code == 200

    with pytest.raises(ValidationError, match="requires two-factor"):
        services.two_factor_disable(user=alice, token=code_of(device, 1))


def test_an_administrator_removes_the_authenticator_of_a_user_who_lost_it(alice, bob):
    enrolled(bob)
    services.two_factor_disable(user=bob, acting_user=alice)
    assert not TOTPDevice.objects.filter(user=bob).exists()


def test_a_user_without_two_factor_is_not_asked(client, bob):
    log_in(client, "bob")
    assert client.get(CUSTOMERS).status_code == 200


def test_wrong_codes_in_a_row_make_the_user_wait(client, bob, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 30
    settings.OTP_STATIC_THROTTLE_FACTOR = 30
    device, _codes = enrolled(bob)
    log_in(client, "bob")
    client.post(VERIFY, {"token": "123"})
    response = client.post(VERIFY, {"token": code_of(device, 1)})  # right, but too soon
    assert response.status_code == 400
    assert "Too many wrong codes: wait" in response.text
    assert client.get(CUSTOMERS).status_code == 302
