"""Refused and missing pages keep the application's layout and language: a user lands on
a page that says why, with the menu to go on."""

import pytest
from django.urls import reverse

from relance.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_refused_page_says_why_within_the_layout(client, acme):
    client.force_login(UserFactory(username="dave", role="read_only", all_entities=True))
    response = client.get(reverse("ledger:import-new"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "You are not allowed to do this" in html
    assert 'aria-label="Main menu"' in html and reverse("customers:list") in html


def test_a_missing_page_says_so_within_the_layout(client, alice):
    client.force_login(alice)
    response = client.get("/customers/999999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "This page does not exist" in html and 'aria-label="Main menu"' in html
