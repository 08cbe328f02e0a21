"""No page repeats an HTML id, and every <label for> names an id of its page.

Every URL of the project (urlwalk.routes) with the ids of the demo's objects is requested
as a collector and as the administrator; the fragments a page loads on arrival
(`hx-trigger="load"`: the customer's workbench and timeline, the assistant's reading) are
requested too and counted in the page they land in, as the browser sees them. A <template>
is its own document fragment: its ids count apart from the page's.
"""

import io
from collections import Counter
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from relance.accounts.models import User
from relance.core.tests.urlwalk import fill, routes, sample_values
from relance.customers.models import Customer
from relance.portal.services import portal_link_issue

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class _Ids(HTMLParser):
    """The ids and label targets of a page, by scope (0: the page, n: its n-th <template>),
    and the fragments it loads on arrival."""

    def __init__(self):
        super().__init__()
        self.ids: dict[int, Counter] = {0: Counter()}
        self.label_for: dict[int, list[str]] = {0: []}
        self.loads: list[tuple[str, str, str | None]] = []  # (url, swap, placeholder id)
        self._scopes = [0]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        scope = self._scopes[-1]
        if attrs.get("id"):
            self.ids[scope][attrs["id"]] += 1
        if tag == "label" and attrs.get("for"):
            self.label_for[scope].append(attrs["for"])
        if attrs.get("hx-get") and "load" in (attrs.get("hx-trigger") or "").split(" ")[0]:
            swap = (attrs.get("hx-swap") or "innerHTML").split(" ")[0]
            self.loads.append((attrs["hx-get"], swap, attrs.get("id")))
        if tag == "template":
            scope = len(self.ids)
            self.ids[scope], self.label_for[scope] = Counter(), []
            self._scopes.append(scope)

    def handle_endtag(self, tag):
        if tag == "template" and len(self._scopes) > 1:
            self._scopes.pop()


def _parse(html: str) -> _Ids:
    parser = _Ids()
    parser.feed(html)
    parser.close()
    return parser


def problems(client: Client, path: str) -> list[str]:
    """What is wrong with the ids of the page at `path` (nothing if it is not an HTML page)."""
    response = client.get(path)
    if response.status_code != 200 or response.streaming:
        return []
    if not response.get("Content-Type", "").startswith("text/html"):
        return []
    page = _parse(response.content.decode())
    for url, swap, placeholder in page.loads:
        fragment = client.get(url, **HTMX)
        if fragment.status_code != 200:
            continue
        if swap == "outerHTML" and placeholder:
            page.ids[0][placeholder] -= 1
        loaded = _parse(fragment.content.decode())
        page.ids[0].update(loaded.ids[0])
        page.label_for[0].extend(loaded.label_for[0])
    found = []
    for scope, counts in page.ids.items():
        found += [f"{path}: id {name!r} x{n}" for name, n in counts.items() if n > 1]
        found += [
            f"{path}: <label for={target!r}> names no id"
            for target in page.label_for[scope]
            if counts[target] < 1
        ]
    return found


@pytest.fixture
def demo(db, settings):
    settings.RELANCE_BACKGROUND_INLINE = True
    call_command(
        "demo", customers=8, seed=3, engine_days=3, today="2026-03-02", stdout=io.StringIO()
    )


# Pages that only a query string reaches: the letters to print, the responses to handle.
QUERIES = ["/agenda/manual/?channel=letter", "/agenda/responses/?state=unhandled"]


def _pages(*, admin_site: bool):
    """Every page with the demo's ids; Django's admin (the entities' settings) if asked."""
    yield from QUERIES
    for route in routes():
        if route.pattern.startswith(("api/", "p/<str:token>")):
            continue
        if route.pattern.startswith("admin/") and not admin_site:
            continue
        values_sets = sample_values(route)
        for values in values_sets[:-1] if route.converters else values_sets:
            yield fill(route, values)


def _walk(username: str) -> tuple[int, list[str]]:
    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    pages, found = 0, []
    for path in _pages(admin_site=user.is_staff):
        with transaction.atomic():
            found += problems(client, path)
            pages += 1
            transaction.set_rollback(True)
    return pages, found


@pytest.mark.parametrize("username", ["bob", "admin"])
def test_no_page_repeats_an_id(demo, username):
    pages, found = _walk(username)
    assert pages > 100
    assert not found, "\n".join(found)


def test_the_customers_page_repeats_no_id(demo):
    customer = Customer.objects.filter(items__isnull=False).order_by("pk").first()
    url = portal_link_issue(customer=customer)
    path = url.split("://", 1)[-1].split("/", 1)[1]
    assert not problems(Client(), "/" + path)
