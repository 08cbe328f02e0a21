"""Links: issued with their hash only, resolved as valid, expired, revoked or unknown."""

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from relance.activity.models import CustomerEvent
from relance.portal.choices import LinkState
from relance.portal.models import PortalLink
from relance.portal.services import (
    portal_link_issue,
    portal_link_open,
    portal_link_resolve,
    portal_links_revoke,
)

pytestmark = pytest.mark.django_db


def test_a_link_keeps_only_the_hash_of_a_long_random_token(customer, settings):
    settings.SITE_URL = "https://relance.example"
    url = portal_link_issue(customer=customer)
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert url == f"https://relance.example/p/{token}/"
    assert len(token) >= 43  # 32 bytes in base64url: 256 bits
    link = PortalLink.objects.get()
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(PortalLink.objects.values().get())
    days = customer.entity.portal_link_days
    assert link.expires_at - link.created_at == timedelta(days=days)


def test_resolution_states(customer, token):
    assert portal_link_resolve(token).state == LinkState.VALID
    assert portal_link_resolve(token[:-1] + ("A" if token[-1] != "A" else "B")).state == "unknown"
    assert portal_link_resolve("").state == LinkState.UNKNOWN
    PortalLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert portal_link_resolve(token).state == LinkState.EXPIRED
    PortalLink.objects.update(expires_at=timezone.now() + timedelta(days=1))
    assert portal_links_revoke(customer=customer) == 1
    assert portal_link_resolve(token).state == LinkState.REVOKED


def test_opening_counts_and_writes_the_timeline(customer, token):
    link = portal_link_resolve(token).link
    portal_link_open(link=link)
    link = portal_link_open(link=link)
    assert link.open_count == 2 and link.first_opened_at <= link.last_opened_at
    # A reload is the same visit on the timeline; a view half an hour later is a new one.
    assert CustomerEvent.objects.filter(customer=customer, kind="portal_opened").count() == 1
    PortalLink.objects.update(last_opened_at=timezone.now() - timedelta(minutes=31))
    link.refresh_from_db()
    portal_link_open(link=link)
    assert CustomerEvent.objects.filter(customer=customer, kind="portal_opened").count() == 2


def test_a_user_revokes_the_links_from_the_customer_page(client, alice, customer, token):
    client.force_login(alice)
    page = client.get(f"/customers/{customer.pk}/")
    assert "Revoke all links" in page.content.decode()
    response = client.post(f"/p/customers/{customer.pk}/revoke/")
    assert response.status_code == 302
    assert portal_link_resolve(token).state == LinkState.REVOKED
    assert CustomerEvent.objects.filter(kind="portal_links_revoked").exists()
