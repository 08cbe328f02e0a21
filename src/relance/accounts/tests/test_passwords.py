"""The password rules (AUTH_PASSWORD_VALIDATORS): 12 characters at least, not close to the
user's name or email, not a common password, not only digits."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from relance.accounts.tests.factories import PASSWORD, UserFactory
from relance.demo.generator import PASSWORD as DEMO_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("alice2026", "at least 12 characters"),
        ("alice@example.com!", "too similar to the email"),
        ("qwerty123456", "too common"),
        ("738491027364518", "entirely numeric"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(alice, password, reason):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user=alice)
    assert any(reason in message for message in refused.value.messages)


def test_the_demo_and_test_passwords_pass(alice):
    validate_password(DEMO_PASSWORD, user=UserFactory(username="dave", first_name="Dave"))
    validate_password(PASSWORD, user=alice)


def test_the_password_page_applies_the_rules(client, alice):
    client.force_login(alice)
    url = reverse("accounts:password-change")
    fields = {"old_password": PASSWORD}
    refused = client.post(
        url, {**fields, "new_password1": "alice2026", "new_password2": "alice2026"}
    )
    assert refused.status_code == 200
    assert "at least 12 characters" in refused.text
    new = "tawny-orchard-lantern"
    done = client.post(url, {**fields, "new_password1": new, "new_password2": new})
    assert done.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(new)
