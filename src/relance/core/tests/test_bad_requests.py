"""Input a page cannot use answers 400 within the layout, saying which parameter and why."""

import pytest
from django.urls import reverse

from relance.agenda.views import FILTERS_SESSION_KEY
from relance.customers.tests.factories import CustomerFactory
from relance.templating.tests.factories import MessageTemplateFactory

pytestmark = pytest.mark.django_db

LIST_PAGES = [
    "customers:list",
    "ledger:item-list",
    "agenda:manual",
    "agenda:automatic",
    "agenda:history",
    "agenda:responses",
]


def assert_refused(response, *words: str) -> None:
    assert response.status_code == 400
    html = response.content.decode()
    assert 'aria-label="Main menu"' in html, "the 400 page keeps the layout"
    for word in words:
        assert word in html


@pytest.mark.parametrize("url_name", LIST_PAGES)
def test_list_pages_refuse_a_page_size_or_page_they_cannot_show(client, alice, url_name):
    client.force_login(alice)
    url = reverse(url_name)
    for per_page in ("-5", "0", "abc", "501", "100000"):
        assert_refused(client.get(url, {"per_page": per_page}), "per_page", "1 to 500")
    for page in ("abc", "-1", "0"):
        assert_refused(client.get(url, {"page": page}), "page")
    assert_refused(client.get(url, {"sort": "nonsense"}), "sort", "nonsense")
    assert_refused(client.get(url, {"export": "pdf"}), "export", "csv, xlsx")
    assert client.get(url, {"per_page": "500", "page": "999"}).status_code == 200


def test_a_filter_that_does_not_hold_is_refused_never_ignored(client, alice, acme):
    client.force_login(alice)
    url = reverse("ledger:item-list")
    assert_refused(client.get(url, {"due_date_after": "2026-02-30"}), "Enter a valid date")
    assert_refused(client.get(url, {"export": "csv", "entity": "abc"}), "Entity")


def test_remembered_agenda_filters_that_no_longer_hold_are_forgotten(client, alice):
    client.force_login(alice)
    url = reverse("agenda:manual")
    assert_refused(client.get(url, {"collector": "999999"}), "Collector")
    assert client.session.get(FILTERS_SESSION_KEY) is None, "a refused filter is not remembered"
    session = client.session
    session[FILTERS_SESSION_KEY] = "segment=999999"  # a segment deleted since
    session.save()
    assert client.get(url).status_code == 200
    assert client.session[FILTERS_SESSION_KEY] == ""


def test_the_preview_and_its_pdf_refuse_a_customer_that_is_not_an_id(client, alice, acme):
    client.force_login(alice)
    CustomerFactory(entity=acme)
    template = MessageTemplateFactory(channel="letter")
    for name in ("templating:preview", "templating:preview-pdf"):
        url = reverse(name, args=[template.pk])
        assert_refused(client.get(url, {"customer": "abc"}), "customer", "abc")
        assert client.get(url, {"customer": "999999"}).status_code == 404
    url = reverse("templating:preview", args=[template.pk])
    assert_refused(client.get(url, {"language": "xx"}), "language")


def test_the_segment_count_refuses_an_entity_that_is_not_an_id(client, alice, acme):
    client.force_login(alice)
    url = reverse("segments:count")
    assert_refused(client.post(url, {"entity": "abc"}), "entity")
    assert client.post(url, {"entity": "999999"}).status_code == 404
    assert client.post(url, {"entity": acme.pk}).status_code == 200


def test_a_nul_character_in_any_parameter_is_refused(client, alice):
    client.force_login(alice)
    assert_refused(client.get(reverse("customers:list"), {"q": "a\x00"}), "NUL", "“q”")
    assert_refused(client.post(reverse("alerts:create"), {"name": "a\x00"}), "NUL")


def test_other_bad_requests_answer_400_without_details(client):
    response = client.get(reverse("login"), HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "not one this page accepts" in response.content.decode()
