"""Each user's start page: the agenda for collectors, the charts for credit managers."""

import pytest
from django.urls import reverse

from relance.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "page"),
    [
        ("collector", "agenda:index"),
        ("credit_manager", "analytics:index"),
        ("administrator", "customers:list"),
        ("read_only", "customers:list"),
    ],
)
def test_home_opens_the_page_of_the_role(client, acme, role, page):
    user = UserFactory(username="someone", role=role)
    user.entities.set([acme])
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse(page)


def test_login_lands_on_the_page_of_the_role(client, acme):
    bob = UserFactory(username="bob", role="collector")
    bob.entities.set([acme])
    response = client.post(reverse("login"), {"username": "bob", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("agenda:manual")


def test_home_asks_a_visitor_to_log_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
