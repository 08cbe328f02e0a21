"""Personal API tokens: created on the security page, the secret shown once and stored as a
digest, acting as their user, revoked into a 401, limited in rate per token."""

import hashlib

import pytest
from django.urls import reverse

from relance.accounts import services
from relance.accounts.models import ApiToken
from relance.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ENTITIES = "/api/v1/entities/"


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_the_secret_is_shown_once_and_stored_as_its_digest(client, bob):
    client.force_login(bob)
    response = client.post(reverse("accounts:api-token-create"), {"name": "accounting sync"})
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret in response.content.decode()
    token = ApiToken.objects.get(user=bob)
    assert token.name == "accounting sync"
    assert secret.startswith(f"rl_{token.prefix}_")
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    page = client.get(reverse("accounts:security")).content.decode()
    assert token.prefix in page and "accounting sync" in page
    assert secret not in page


def test_a_token_without_a_name_is_refused(client, bob):
    client.force_login(bob)
    response = client.post(reverse("accounts:api-token-create"), {"name": "  "})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_a_token_acts_as_its_user_and_notes_its_use(client, bob, acme, globex):
    token, secret = services.api_token_create(user=bob, name="sync")
    response = client.get(ENTITIES, **bearer(secret))
    assert response.status_code == 200
    assert [row["slug"] for row in response.json()["results"]] == ["acme-fr"]
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_revoked_token_answers_401(client, bob):
    token, secret = services.api_token_create(user=bob, name="sync")
    client.force_login(bob)
    response = client.post(reverse("accounts:api-token-revoke", args=[token.pk]))
    assert response.status_code == 302
    client.logout()
    response = client.get(ENTITIES, **bearer(secret))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["status"] == 401


@pytest.mark.parametrize(
    "presented",
    ["rl_nothere_abc", "rl_broken", "not-a-token", "rl__"],
)
def test_an_unknown_or_malformed_token_answers_401(client, bob, presented):
    services.api_token_create(user=bob, name="sync")
    assert client.get(ENTITIES, **bearer(presented)).status_code == 401


def test_a_right_prefix_with_a_wrong_secret_answers_401(client, bob):
    token, secret = services.api_token_create(user=bob, name="sync")
    forged = f"rl_{token.prefix}_{'A' * 43}"
    assert forged != secret
    assert client.get(ENTITIES, **bearer(forged)).status_code == 401


def test_the_token_of_an_inactive_user_answers_401(client, bob):
    _token, secret = services.api_token_create(user=bob, name="sync")
    bob.is_active = False
    bob.save()
    assert client.get(ENTITIES, **bearer(secret)).status_code == 401


def test_no_credentials_answer_401(client):
    response = client.get(ENTITIES)
    assert response.status_code == 401
    assert response.json()["title"] == "Not authenticated"


def test_one_user_cannot_revoke_another_users_token(client, bob, alice):
    token, _secret = services.api_token_create(user=alice, name="alice's")
    client.force_login(bob)
    response = client.post(reverse("accounts:api-token-revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_rate_limit_counts_per_token(client, bob, settings):
    rest = settings.REST_FRAMEWORK
    settings.REST_FRAMEWORK = {**rest, "DEFAULT_THROTTLE_RATES": {"api_token": "2/minute"}}
    _first, secret = services.api_token_create(user=bob, name="one")
    _second, other = services.api_token_create(user=bob, name="two")
    assert [client.get(ENTITIES, **bearer(secret)).status_code for _n in range(3)] == [
        200,
        200,
        429,
    ]
    refused = client.get(ENTITIES, **bearer(secret))
    assert refused["Content-Type"] == "application/problem+json"
    assert "Retry-After" in refused
    assert client.get(ENTITIES, **bearer(other)).status_code == 200


def test_a_read_only_user_reads_but_cannot_write(client, acme):
    reader = UserFactory(username="rita", role="read_only")
    reader.entities.set([acme])
    _token, secret = services.api_token_create(user=reader, name="reports")
    assert client.get(ENTITIES, **bearer(secret)).status_code == 200
    response = client.post(
        "/api/v1/engine-runs/",
        {"entity": acme.pk},
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 403
